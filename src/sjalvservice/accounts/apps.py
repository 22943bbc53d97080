from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.signals import language_chosen


class AccountsConfig(AppConfig):
    name = "sjalvservice.accounts"
    label = "accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        # Notices are written in the language the person last used the portal in.
        user_logged_in.connect(_logged_in, dispatch_uid="accounts-language-login")
        language_chosen.connect(_language_chosen, dispatch_uid="accounts-language-chosen")


def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    _remember(user, translation.get_language())


def _language_chosen(sender: Any, request: HttpRequest, language: str, **kwargs: Any) -> None:
    if request.user.is_authenticated:
        _remember(request.user, language)


def _remember(user: Any, language: str | None) -> None:
    from sjalvservice.accounts.models import User

    code = (language or "").split("-")[0]
    if code in dict(settings.LANGUAGES) and getattr(user, "language", code) != code:
        User.objects.filter(pk=user.pk).update(language=code)
        user.language = code

"""The admin site at /admin/, installed as Django's default site by ``sjalvservice.apps``."""

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from sjalvservice.core.http import safe_next


class SecondFactorAdminSite(OTPAdminSite):
    """The admin, only for platform administrators (``is_superuser``) who logged in with
    password and second factor.

    There is one staff login, the back office's (where django-axes counts failures): the
    admin's own login page sends people there. Other logged-in staff get 404 here, as for
    anything else they may not see: municipality administration is in the back office.
    """

    site_header = _("Självservice – administration")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.site_title = settings.PORTAL_NAME

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request) and request.user.is_superuser)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        guarded = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def only_platform_administrators(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not request.user.is_superuser:
                raise Http404
            return guarded(request, *args, **kwargs)

        return only_platform_administrators

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        return redirect_to_login(target or reverse("admin:index"), reverse("backoffice:login"))

"""The admin site at /admin/, installed as Django's default site by ``sjalvservice.apps``."""

from typing import Any

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from sjalvservice.core.http import safe_next


class SecondFactorAdminSite(OTPAdminSite):
    """The admin, only for staff who logged in with password and second factor.

    There is one staff login, the back office's (where django-axes counts failures): the
    admin's own login page sends people there.
    """

    site_header = _("Självservice – administration")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.site_title = settings.PORTAL_NAME

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        return redirect_to_login(target or reverse("admin:index"), reverse("backoffice:login"))

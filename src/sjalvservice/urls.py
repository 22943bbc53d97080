from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from sjalvservice.core.http import safe_next
from sjalvservice.core.views import healthz


class SecondFactorAdminSite(OTPAdminSite):
    """The admin, only for staff who logged in with password and second factor.

    There is one staff login, the back office's (where django-axes counts failures): the
    admin's own login page sends people there.
    """

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        target = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
        return redirect_to_login(target or reverse("admin:index"), reverse("backoffice:login"))


admin.site.__class__ = SecondFactorAdminSite
admin.site.site_header = _("Självservice – administration")
admin.site.site_title = settings.PORTAL_NAME

urlpatterns = [
    path("", include("sjalvservice.core.urls")),
    path("", include("sjalvservice.eservices.urls")),
    path("", include("sjalvservice.accounts.urls")),
    path("", include("sjalvservice.eid.urls")),
    path("", include("sjalvservice.cases.urls")),
    path("handlaggare/", include("sjalvservice.backoffice.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

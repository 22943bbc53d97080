from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.views import healthz

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

from django.contrib import admin
from django.urls import include, path

from sjalvservice.core.views import healthz

urlpatterns = [
    path("", include("sjalvservice.core.urls")),
    path("", include("sjalvservice.eservices.urls")),
    path("", include("sjalvservice.accounts.urls")),
    path("", include("sjalvservice.eid.urls")),
    path("", include("sjalvservice.reservations.urls")),
    path("", include("sjalvservice.cases.urls")),
    path("", include("sjalvservice.notifications.urls")),
    path("handlaggare/", include("sjalvservice.backoffice.urls")),
    path("handlaggare/administrera/api-klienter/", include("sjalvservice.api.urls_manage")),
    path("", include("sjalvservice.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "sjalvservice.core.errors.bad_request"
handler403 = "sjalvservice.core.errors.permission_denied"
handler404 = "sjalvservice.core.errors.page_not_found"
handler500 = "sjalvservice.core.errors.server_error"

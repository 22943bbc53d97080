from django.urls import include, path

from sjalvservice.api.docs import reference
from sjalvservice.api.v1 import api

urlpatterns = [
    path("api/v1/docs", reference, name="api_docs"),
    path("api/v1/", api.urls),
    # Open ePlatform's paths, for the integrations a region keeps when it replaces it.
    path("api/", include("sjalvservice.api.urls_openeplatform")),
]

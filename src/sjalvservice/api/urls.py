from django.urls import path

from sjalvservice.api.docs import reference
from sjalvservice.api.v1 import api

urlpatterns = [
    path("api/v1/docs", reference, name="api_docs"),
    path("api/v1/", api.urls),
]

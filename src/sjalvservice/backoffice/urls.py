"""The back office at /handlaggare/: staff login, the inbox and cases, municipality management."""

from django.urls import path

from sjalvservice.backoffice import views_cases
from sjalvservice.backoffice.urls_auth import urlpatterns as auth_patterns
from sjalvservice.backoffice.urls_manage import urlpatterns as manage_patterns

app_name = "backoffice"

urlpatterns = [
    *auth_patterns,
    *manage_patterns,
    path("", views_cases.inbox, name="inbox"),
]

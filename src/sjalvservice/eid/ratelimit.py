"""The limit on logins started from one client address, shared by every e-ID method
(counted by ``core.ratelimit``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.http import client_ip
from sjalvservice.core.ratelimit import allow


def login_start_allowed(request: HttpRequest) -> bool:
    """Count a login started from this client address (every e-ID method shares the
    limit); when it is exceeded, say so to the person and return False."""
    if allow(f"login-start:{client_ip(request)}", settings.LOGIN_START_LIMIT):
        return True
    messages.error(
        request, _("Du har försökt logga in för många gånger. Vänta en minut och försök igen.")
    )
    return False

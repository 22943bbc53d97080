"""Session policy: log people out after inactivity and after an absolute lifetime.

Requests marked as background work (``X-Background: 1``, e.g. the timeout dialog asking how
long is left) do not count as activity.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from sjalvservice.eid.services import LAST_ACTIVITY, LOGIN_AT

# Writing the session on every request costs a database write; a coarser clock is enough.
ACTIVITY_RESOLUTION = 15


def remaining_seconds(request: HttpRequest, now: float | None = None) -> int:
    """Seconds until the session ends by inactivity or by its absolute lifetime."""
    now = time.time() if now is None else now
    last = request.session.get(LAST_ACTIVITY, now)
    login_at = request.session.get(LOGIN_AT, now)
    return int(
        min(last + settings.SESSION_IDLE_TIMEOUT, login_at + settings.SESSION_COOKIE_AGE) - now
    )


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if LOGIN_AT not in request.session:
                # Logged in some other way (e.g. the admin): the policy starts now.
                request.session[LOGIN_AT] = now
                request.session[LAST_ACTIVITY] = now
            if remaining_seconds(request, now) <= 0:
                reason = (
                    "tid"
                    if now - request.session[LOGIN_AT] >= settings.SESSION_COOKIE_AGE
                    else "inaktivitet"
                )
                staff = request.user.is_staff
                logout(request)
                target = f"{reverse('eid:logged_out')}?orsak={reason}"
                if staff:
                    target += "&vem=personal"
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return HttpResponseRedirect(target)
            background = request.headers.get("X-Background") == "1"
            if not background and now - request.session[LAST_ACTIVITY] >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

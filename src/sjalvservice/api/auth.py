"""Who is calling: a bearer token of an active client, counted against its rate limit."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from sjalvservice.api import tokens
from sjalvservice.api.models import ApiToken
from sjalvservice.core import ratelimit
from sjalvservice.core.access_log import log_access
from sjalvservice.core.models import AccessLog


class RateLimited(Exception):
    """The client made more calls this minute than it may; answered 429."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def admit(request: HttpRequest, token: ApiToken | None) -> ApiToken | None:
    """``token`` if its client may make one more call this minute, the call written to
    the access log in the system's name (what it then reads of a case is logged as well);
    raises RateLimited when it may not (shared by every process: the count is in the
    database)."""
    if token is None:
        return None
    if not ratelimit.allow(f"api-client:{token.client_id}", settings.API_REQUESTS_PER_MINUTE):
        raise RateLimited(60 - int(time.time()) % 60)
    client = token.client
    # The path only: a query string may carry what the system searched for.
    log_access(
        request,
        AccessLog.Action.API_CALL,
        municipality=client.municipality,
        detail=f"{request.method} {request.path}",
        user=client.user,
    )
    return token


class BearerToken(HttpBearer):
    """``Authorization: Bearer sjs_…``, a token made in "Administrera" > "API-klienter"."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return admit(request, tokens.authenticate(token))

"""Recording that staff viewed personal data (the access log)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sjalvservice.core.http import client_ip
from sjalvservice.core.models import AccessLog

if TYPE_CHECKING:
    from django.http import HttpRequest

    from sjalvservice.core.models import Municipality


def log_access(
    request: HttpRequest,
    action: AccessLog.Action,
    *,
    municipality: Municipality | None,
    case_number: int | None = None,
    detail: str = "",
    user: Any = None,
) -> AccessLog:
    """One row of the access log; ``user`` is who looked when it is not the request's
    logged-in person (a system reading through the integration API)."""
    user = user if user is not None else request.user
    address = client_ip(request) or None
    return AccessLog.objects.create(
        user=user if user.is_authenticated else None,
        user_name=str(user) if user.is_authenticated else "",
        action=action,
        municipality=municipality,
        case_number=case_number,
        # A path from a request may hold NUL, which PostgreSQL keeps in no text column.
        detail=detail.replace("\x00", "")[:300],
        ip_address=address,
    )

"""What an API client may see and do: its municipality's cases of the e-services it was
given (404 for any other), within its scopes (403)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from sjalvservice.api.models import ApiClient, Scope
from sjalvservice.cases.models import Case
from sjalvservice.core.access_log import log_access
from sjalvservice.core.models import AccessLog

NOT_FOUND = "Not found."


def client_of(request: HttpRequest) -> ApiClient:
    """The client the request authenticated as (set by ``api.auth``)."""
    return request.auth.client  # type: ignore[attr-defined]


def require(request: HttpRequest, scope: Scope) -> ApiClient:
    """The request's client, if it holds ``scope``; 403 otherwise."""
    client = client_of(request)
    if not client.may(scope):
        raise HttpError(403, f"The client lacks the scope {scope.value}.")
    return client


def eservice_ids(client: ApiClient) -> list[int]:
    """The client's e-services, once per request."""
    cached: list[int] | None = getattr(client, "_eservice_ids", None)
    if cached is None:
        cached = list(client.eservices.values_list("pk", flat=True))
        client._eservice_ids = cached  # type: ignore[attr-defined]
    return cached


def cases_for(client: ApiClient) -> QuerySet[Case]:
    """The submitted cases the client may see."""
    return Case.objects.filter(
        municipality_id=client.municipality_id,
        eservice_id__in=eservice_ids(client),
        number__isnull=False,
    )


def get_case_for_client(request: HttpRequest, number: int, scope: Scope) -> Case:
    """Case ``number`` if the client may see it and holds ``scope``, else 404 or 403.

    The scope is checked after the case, so that a client without it learns nothing of
    which numbers exist outside its e-services."""
    case = find_case(client_of(request), number)
    if case is None:
        raise HttpError(404, NOT_FOUND)
    require(request, scope)
    return case


def find_case(client: ApiClient, number: int) -> Case | None:
    """The client's case ``number``, or None (also for a number no case can have)."""
    if not 0 < number < 2**31:
        return None
    return (
        cases_for(client)
        .select_related(
            "eservice", "eservice_version", "municipality", "status", "owner", "handler"
        )
        .filter(number=number)
        .first()
    )


def log_read(request: HttpRequest, case: Case, action: AccessLog.Action, detail: str = "") -> None:
    """The access log's row for personal data read through the API, in the system's name."""
    client = client_of(request)
    log_access(
        request,
        action,
        municipality=case.municipality,
        case_number=case.number,
        detail=f"API {detail}".strip(),
        user=client.user,
    )

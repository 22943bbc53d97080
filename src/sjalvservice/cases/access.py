"""One access helper per object type: not yours is exactly like not existing (404)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from sjalvservice.cases.models import Case

# Cases of e-services that need no login belong to the browser session that made them.
ANONYMOUS_CASES = "anonymous_cases"


def get_case_for_citizen(request: HttpRequest, reference: str) -> Case:
    try:
        key = uuid.UUID(str(reference))
    except ValueError:
        raise Http404 from None
    cases = Case.objects.select_related(
        "eservice", "eservice_version", "municipality", "status"
    ).filter(reference=key)
    if request.user.is_authenticated:
        case = cases.filter(owner=request.user).first()
        if case is not None:
            return case
    if str(key) in request.session.get(ANONYMOUS_CASES, []):
        case = cases.filter(owner__isnull=True).first()
        if case is not None:
            return case
    raise Http404


def get_submitted_case_for_citizen(request: HttpRequest, number: int) -> Case:
    """The logged-in citizen's own submitted case "ärendenummer" ``number``, else 404."""
    if not request.user.is_authenticated:
        raise Http404
    case = (
        Case.objects.select_related("eservice", "municipality", "status")
        .filter(number=number, owner=request.user)
        .first()
    )
    if case is None:
        raise Http404
    return case


def remember_anonymous_case(request: HttpRequest, case: Case) -> None:
    known = request.session.get(ANONYMOUS_CASES, [])
    # A bounded list: a session never needs more than a handful of open anonymous cases.
    request.session[ANONYMOUS_CASES] = [*known[-19:], str(case.reference)]

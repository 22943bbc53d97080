"""One access helper per object type: not yours is exactly like not existing (404)."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from sjalvservice.cases.models import Attachment, Case, CaseRevision

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


# Larger numbers are not versions; refusing them early keeps them out of the query.
MAX_VERSION = 2**31 - 1


def get_revision(case: Case, version: str | int | None = None) -> CaseRevision:
    """Revision ``version`` of a case the caller may see (``?version=N``), the latest when
    none is asked for; 404 for anything else. The revision's ``case`` is ``case``."""
    revisions = case.revisions.select_related("created_by").order_by("-number")
    if version not in (None, ""):
        revisions = revisions.filter(number=_version(str(version)))
    revision = revisions.first()
    if revision is None:
        raise Http404
    revision.case = case
    return revision


def get_attachment(case: Case, attachment_id: int) -> Attachment:
    """A file sent with a message on a case the caller may see, else 404."""
    found = Attachment.objects.filter(pk=attachment_id, message__case=case).first()
    if found is None:
        raise Http404
    return found


def _version(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_VERSION))):
        raise Http404
    version = int(value)
    if not 0 < version <= MAX_VERSION:
        raise Http404
    return version


def remember_anonymous_case(request: HttpRequest, case: Case) -> None:
    known = request.session.get(ANONYMOUS_CASES, [])
    # A bounded list: a session never needs more than a handful of open anonymous cases.
    request.session[ANONYMOUS_CASES] = [*known[-19:], str(case.reference)]


def anonymous_references(request: HttpRequest) -> list[str]:
    """The references of the cases this browser made without logging in (some may be
    submitted or deleted since)."""
    return list(request.session.get(ANONYMOUS_CASES, []))


def anonymous_drafts(request: HttpRequest) -> QuerySet[Case]:
    """The drafts this browser made without logging in that are still drafts."""
    return Case.objects.drafts().filter(
        owner__isnull=True, reference__in=anonymous_references(request)
    )

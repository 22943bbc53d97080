"""The PDF copy of "Visa ärende" for the citizen."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from sjalvservice.cases.access import get_submitted_case_for_citizen
from sjalvservice.cases.pdf import pdf_response

# Larger numbers are not versions; refusing them early keeps them out of the query.
MAX_VERSION = 2**31 - 1


@require_safe
@login_required
def case_pdf(request: HttpRequest, number: int) -> HttpResponseBase:
    """The latest submitted revision as a PDF download, or ``?version=N``."""
    case = get_submitted_case_for_citizen(request, number)
    revisions = case.revisions.order_by("-number")
    wanted = request.GET.get("version")
    if wanted:
        revisions = revisions.filter(number=_version(wanted))
    revision = revisions.first()
    if revision is None:
        raise Http404
    revision.case = case
    return pdf_response(revision)


def _version(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_VERSION))):
        raise Http404
    version = int(value)
    if not 0 < version <= MAX_VERSION:
        raise Http404
    return version

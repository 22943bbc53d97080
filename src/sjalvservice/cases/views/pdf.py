"""The PDF copy of "Visa ärende" for the citizen."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from sjalvservice.cases.access import get_revision, get_submitted_case_for_citizen
from sjalvservice.cases.pdf import pdf_response


@require_safe
@login_required
def case_pdf(request: HttpRequest, number: int) -> HttpResponseBase:
    """The latest submitted revision as a PDF download, or ``?version=N``."""
    case = get_submitted_case_for_citizen(request, number)
    return pdf_response(get_revision(case, request.GET.get("version")))

"""A citizen's own cases on Mina sidor: the case page and "Ta bort" for drafts."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sjalvservice.cases import runner, services
from sjalvservice.cases.access import get_case_for_citizen, get_submitted_case_for_citizen
from sjalvservice.cases.models import CaseEvent
from sjalvservice.eservices.definitions import summarise


@require_safe
@login_required
def case(request: HttpRequest, number: int) -> HttpResponse:
    """The case overview ("Ärendesöversikt"): summary and "Ärendehistorik"."""
    case = get_submitted_case_for_citizen(request, number)
    events = list(case.events.select_related("status").order_by("created_at", "pk"))
    supplemented = [event for event in events if event.kind == CaseEvent.Kind.SUPPLEMENTED]
    first_step = None
    if case.awaits_supplement:
        definition = runner.definition_of(case)
        first_step = runner.step_links(definition, case.answers)[0].key
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "events": events,
            "last_supplemented": supplemented[-1] if supplemented else None,
            "last_changed": events[-1] if events else None,
            "first_step": first_step,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def delete_draft(request: HttpRequest, reference: uuid.UUID) -> HttpResponse:
    """ "Ta bort" on Mina sidor: confirm, then delete the saved (not submitted) case."""
    case = get_case_for_citizen(request, str(reference))
    if case.number is not None:
        raise Http404
    if request.method == "POST":
        try:
            services.delete_draft(case)
        except services.CaseNotEditable:
            raise Http404 from None
        messages.success(request, _("Det sparade ärendet är borttaget."))
        return redirect("accounts:my_pages")
    return render(request, "cases/delete_draft.html", {"case": case})


@require_safe
@login_required
def show(request: HttpRequest, number: int) -> HttpResponse:
    """ "Visa ärende": a read-only copy of what was submitted, one revision at a time."""
    case = get_submitted_case_for_citizen(request, number)
    revisions = list(case.revisions.select_related("created_by").order_by("number"))
    if not revisions:
        raise Http404
    wanted = request.GET.get("version")
    revision = {str(r.number): r for r in revisions}.get(wanted) if wanted else revisions[-1]
    if revision is None:
        raise Http404
    definition = runner.definition_of(case)
    return render(
        request,
        "cases/show.html",
        {
            "case": case,
            "revision": revision,
            "revisions": revisions,
            "summary": summarise(definition, revision.answers),
        },
    )

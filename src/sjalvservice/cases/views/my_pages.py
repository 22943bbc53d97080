"""A citizen's own cases on Mina sidor: the overview and its list pages, the case page,
"Visa ärende" and "Ta bort" for drafts."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.cases import runner, services
from sjalvservice.cases.access import (
    get_case_for_citizen,
    get_revision,
    get_submitted_case_for_citizen,
)
from sjalvservice.cases.models import Case, CaseEvent, Message, PersonalDataExport
from sjalvservice.cases.personal_data import personal_data as collect_personal_data
from sjalvservice.cases.selectors import (
    Page,
    my_pages_overview,
    news_page,
    section_page,
    supplement_request,
    waiting_supplements,
)
from sjalvservice.cases.tasks import make_personal_data_pdf
from sjalvservice.core.keyset import parse_cursor
from sjalvservice.eservices.definitions import summarise
from sjalvservice.notifications import outbox


@require_safe
@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina sidor": "Mina meddelanden", saved drafts, ongoing and closed cases, the
    newest of each with "Visa alla" to the rest; above them what the handlers wait for."""
    overview = my_pages_overview(request.user)
    return render(
        request,
        "cases/my_pages.html",
        {
            "waiting": waiting_supplements(request.user),
            "news": overview.news,
            "drafts": overview.drafts,
            "ongoing": overview.ongoing,
            "closed": overview.closed,
        },
    )


@require_safe
@login_required
def drafts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Ej inskickade ärenden": all of the person's saved drafts, 20 a page."""
    return _list_page(request, "drafts")


@require_safe
@login_required
def ongoing(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Pågående ärenden": all of the person's submitted cases not yet closed."""
    return _list_page(request, "ongoing")


@require_safe
@login_required
def closed(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Avslutade ärenden": all of the person's closed cases."""
    return _list_page(request, "closed")


@require_safe
@login_required
def news(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina meddelanden": all of the person's submitted cases with their latest events."""
    return _list_page(request, "news")


def _list_page(request: AuthenticatedHttpRequest, section: str) -> HttpResponse:
    """A section of the overview, all of it: "Nästa sida" goes on after the last row
    shown (``efter``); a cursor that makes no sense shows the first page."""
    after = parse_cursor(request.GET.get("efter", ""))
    if section == "news":
        page: Page[Any] = news_page(request.user, after=after)
    else:
        page = section_page(request.user, section, after=after)
    return render(
        request,
        f"cases/my_pages_{section}.html",
        {
            "rows": page.rows,
            "after": after is not None,
            "next_url": "?" + urlencode({"efter": page.next_cursor}) if page.next_cursor else "",
            "first_url": request.path if after else "",
        },
    )


@require_safe
@login_required
def case(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """The case overview ("Ärendesöversikt"): summary and the "Ärendehistorik" tab."""
    case = get_submitted_case_for_citizen(request, number)
    events = list(case.events.select_related("status").order_by("created_at", "pk"))
    outbox.mark_notices_read(request.user, case)
    return render(
        request,
        "cases/case.html",
        {**overview_context(case, events=events), "events": events, "resident": True},
    )


def overview_context(
    case: Case,
    *,
    events: list[CaseEvent] | None = None,
    message_count: int | None = None,
    unread_count: int | None = None,
) -> dict[str, Any]:
    """What both tabs of the case page show above them: the summary, the handler's
    request with "Ändra ärende" while it waits, and the "Meddelanden (N)" tab with its
    unread count.

    ``events`` (all of the case's, in time order) and the counts are used when the caller
    has them already; otherwise a fixed number of small queries finds them.
    """
    if events is None:
        latest = case.events.order_by("-created_at", "-pk")
        last_changed = latest.first()
        last_supplemented = latest.filter(kind=CaseEvent.Kind.SUPPLEMENTED).first()
    else:
        last_changed = events[-1] if events else None
        supplemented = [event for event in events if event.kind == CaseEvent.Kind.SUPPLEMENTED]
        last_supplemented = supplemented[-1] if supplemented else None
    if message_count is None or unread_count is None:
        counts = case.messages.aggregate(
            total=Count("pk"),
            unread=Count(
                "pk",
                filter=Q(direction=Message.Direction.TO_CITIZEN, read_at__isnull=True),
            ),
        )
        message_count, unread_count = counts["total"], counts["unread"]
    first_step = supplement_start(case)
    waiting = supplement_request(case)
    handler = case.handler if case.handler_id else None
    return {
        "case": case,
        "last_supplemented": last_supplemented,
        "last_changed": last_changed,
        "first_step": first_step,
        "supplement_requests": [waiting] if waiting else [],
        "handler_name": handler.display_name if handler else "",
        "message_count": message_count,
        "unread_count": unread_count,
    }


@require_http_methods(["GET", "POST"])
@login_required
def delete_draft(request: AuthenticatedHttpRequest, reference: uuid.UUID) -> HttpResponse:
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
        return redirect("cases:my_pages")
    return render(request, "cases/delete_draft.html", {"case": case})


@require_safe
@login_required
def show(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """ "Visa ärende": a read-only copy of what was submitted, one revision at a time."""
    case = get_submitted_case_for_citizen(request, number)
    revision = get_revision(case, request.GET.get("version"))
    revisions = list(case.revisions.only("number", "created_at").order_by("number"))
    definition = runner.shown_definition(case)
    return render(
        request,
        "cases/show.html",
        {
            "case": case,
            "revision": revision,
            "revisions": revisions,
            "summary": summarise(definition, revision.answers),
            "first_step": supplement_start(case),
        },
    )


def supplement_start(case: Case) -> str | None:
    """The step "Ändra ärende" opens, while the case awaits a supplement."""
    if not case.awaits_supplement:
        return None
    return runner.step_links(runner.definition_of(case), case.answers)[0].key


@require_safe
@login_required
def personal_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina personuppgifter": what the portal holds about the person, why, how long, and
    the whole of it to download."""
    export = PersonalDataExport.objects.filter(user=request.user).order_by("-requested_at").first()
    return render(request, "cases/personal_data.html", {"export": export})


@require_safe
@login_required
def personal_data_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = json.dumps(
        collect_personal_data(request.user), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder
    )
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mina-personuppgifter.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def personal_data_pdf_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The PDF is made by the task worker (a large account takes a while); the page says
    when it is ready. Asking again while one is being made starts no second one."""
    pending = PersonalDataExport.objects.filter(user=request.user, finished_at__isnull=True)
    if not pending.exists():
        with transaction.atomic():
            export = PersonalDataExport.objects.create(user=request.user)
            transaction.on_commit(lambda: make_personal_data_pdf.enqueue(export.pk))
    messages.info(request, _("Vi gör i ordning din PDF. Ladda om sidan om en stund."))
    return redirect("cases:personal_data")


@require_safe
@login_required
def personal_data_pdf(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponseBase:
    export = PersonalDataExport.objects.filter(
        pk=export_id, user=request.user, finished_at__isnull=False
    ).first()
    if export is None:
        raise Http404
    response = FileResponse(
        storages["default"].open(export.key, "rb"),
        as_attachment=True,
        filename="mina-personuppgifter.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response

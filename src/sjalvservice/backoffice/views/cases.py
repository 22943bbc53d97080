"""The handler's inbox and case pages, and the actions on a case.

Every action is a domain function in ``cases.services`` that writes the case history with
the handler as "Person"; the views only check access, read forms and show results. Every
time staff open a case, its PDF or one of its files, the access log says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.storage import storages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.backoffice.access import (
    colleagues_for,
    edits_only,
    get_case_for_handler,
    staff_required,
)
from sjalvservice.backoffice.forms_cases import AssignForm, MessageForm, NoteForm, StatusForm
from sjalvservice.backoffice.models import ReplyTemplate
from sjalvservice.backoffice.selectors import TABS, Choices, InboxQuery, filter_choices
from sjalvservice.backoffice.selectors import inbox as inbox_page
from sjalvservice.cases import runner, services
from sjalvservice.cases.access import get_attachment, get_revision
from sjalvservice.cases.models import Attachment, Case, status_label
from sjalvservice.core import uploads
from sjalvservice.core.access_log import log_access
from sjalvservice.core.models import AccessLog
from sjalvservice.core.se_ids import parse_personal_identity_number
from sjalvservice.eservices.definitions import summarise
from sjalvservice.eservices.definitions.fields.files import answer_files
from sjalvservice.notifications.selectors import notices_to_citizen

STALE = gettext_lazy(
    "Någon annan har ändrat ärendet sedan du öppnade det. Det du skrev finns kvar nedan: "
    "läs det som har hänt och försök igen."
)


@require_safe
@staff_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Inkorg": the tabs, filters and search over the handler's own cases."""
    if edits_only(request.user):
        # A redaktör's back office is the municipality's e-services.
        return redirect("backoffice:manage_eservices")
    query = InboxQuery.from_params(request.GET)
    choices = filter_choices(request.user)
    page = inbox_page(request.user, query, choices)
    if query.search and query.searches_personal_identity_number:
        log_access(request, AccessLog.Action.SEARCH, municipality=request.user.municipality)
    tabs = [
        {
            "slug": slug,
            "label": label,
            "count": page.count_label(slug),
            "url": "?" + urlencode(query.params(flik=slug)),
            "current": slug == query.tab,
        }
        for slug, label in TABS.items()
    ]
    return render(
        request,
        "backoffice/inbox.html",
        {
            "query": query,
            "tabs": tabs,
            "current_tab": TABS[query.tab],
            "rows": page.rows,
            "next_url": (
                "?" + urlencode(query.params(efter=page.next_cursor)) if page.next_cursor else ""
            ),
            "first_url": "?" + urlencode(query.params()) if query.after else "",
            **_filter_options(choices, query),
        },
    )


def _filter_options(choices: Choices, query: InboxQuery) -> dict[str, Any]:
    """The filters' choices as (value, label, chosen), so the template only prints them."""
    return {
        "eservice_options": [
            (str(pk), title, pk == query.eservice) for pk, title in choices.handled.eservices
        ],
        "status_options": [
            (str(pk), status_label(name), pk == query.status)
            for pk, name, _kind in choices.statuses
        ],
        "handler_options": [
            (str(pk), name, str(pk) == query.handler) for pk, name in choices.handlers
        ],
    }


@require_safe
@staff_required
def case(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """The case: answers (with changes since the previous revision), files, history,
    messages, internal notes and the actions."""
    case = get_case_for_handler(request, number)
    log_access(
        request, AccessLog.Action.CASE, municipality=case.municipality, case_number=case.number
    )
    services.mark_read(case, by=request.user)
    message_form = MessageForm(case=case, initial=_template_text(request, case))
    return _render_case(request, case, message_form=message_form)


def _template_text(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any]:
    """ "Använd mall": the chosen reply template's text in the message field."""
    wanted = request.GET.get("mall", "")
    if not (wanted.isascii() and wanted.isdigit()):  # "²" is a digit, but not to int()
        return {}
    template = ReplyTemplate.objects.filter(pk=int(wanted), eservice_id=case.eservice_id).first()
    return {"text": template.text} if template else {}


def _render_case(
    request: AuthenticatedHttpRequest, case: Case, *, status: int = 200, **forms: Any
) -> HttpResponse:
    revisions = list(case.revisions.order_by("number"))
    definition = runner.shown_definition(case)
    current = revisions[-1] if revisions else None
    previous = revisions[-2] if len(revisions) > 1 else None
    summary = summarise(definition, current.answers if current else case.answers)
    previous_summary = summarise(definition, previous.answers) if previous else []
    changed, removed = _changes(summary, previous_summary) if previous else (set(), [])
    colleagues = list(colleagues_for(case))
    owner = case.owner
    context = {
        "case": case,
        "citizen": owner,
        "citizen_pin": (
            parse_personal_identity_number(owner.personal_identity_number).formatted
            if owner and owner.personal_identity_number
            else ""
        ),
        "overdue": bool(case.due_at and case.due_at < timezone.now() and not case.is_closed),
        "previous_summary": previous_summary,
        "revision": current,
        "previous": previous,
        "earlier_revisions": revisions[:-1],
        "summary": summary,
        "changed": changed,
        "removed": removed,
        "answer_files": _answer_files(definition, current),
        "events": list(case.events.select_related("status").order_by("created_at", "pk")),
        "case_messages": list(
            case.messages.prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
            ).order_by("created_at", "pk")
        ),
        "notes": list(case.notes.order_by("created_at", "pk")),
        # What the municipality's case-management systems call the case (integration API).
        "system_references": list(case.system_references.all()),
        "notices": list(notices_to_citizen(case)),
        "reply_templates": list(
            ReplyTemplate.objects.filter(eservice_id=case.eservice_id).order_by("title")
        ),
        "assign_form": forms.get("assign_form") or AssignForm(case=case, colleagues=colleagues),
        "status_form": forms.get("status_form") or StatusForm(case=case),
        "message_form": forms.get("message_form") or MessageForm(case=case),
        "note_form": forms.get("note_form") or NoteForm(case=case),
        **uploads.limits(),
    }
    return render(request, "backoffice/case.html", context, status=status)


def _changes(now: list[Any], before: list[Any]) -> tuple[set[str], list[Any]]:
    """Keys of answers that differ from the previous revision's, and rows no longer there."""
    current = {row.key: row for step in now for row in step.rows}
    earlier = {row.key: row for step in before for row in step.rows}
    changed = {key for key, row in current.items() if earlier.get(key) != row}
    removed = [row for key, row in earlier.items() if key not in current]
    return changed, removed


def _answer_files(definition: Any, revision: Any) -> list[dict[str, Any]]:
    """The files attached in the e-service's file fields, numbered for download links."""
    if revision is None:
        return []
    return [
        {**item, "index": index, "label": field.label}
        for index, (field, item) in enumerate(answer_files(definition, revision.answers))
    ]


def _case_url(case: Case, anchor: str = "") -> str:
    url = reverse("backoffice:case", args=[case.number])
    return f"{url}#{anchor}" if anchor else url


@require_POST
@staff_required
def assign(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """ "Tilldela mig" or a colleague."""
    case = get_case_for_handler(request, number)
    data = request.POST.copy()
    if "assign_me" in data:
        data["handler"] = str(request.user.pk)
    form = AssignForm(data, case=case, colleagues=list(colleagues_for(case)))
    return _act(
        request,
        case,
        "assign_form",
        form,
        lambda cleaned: services.assign(
            case,
            handler=form.chosen(),
            by=request.user,
            expected_version=cleaned["version"],
        ),
        done=lambda cleaned: _("Handläggaren är ändrad."),
    )


@require_POST
@staff_required
@uploads.capped_uploads
def change_status(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """Change the status; "Väntar på komplettering" sends its message in the same step."""
    case = get_case_for_handler(request, number)
    return _act(
        request,
        case,
        "status_form",
        StatusForm(request.POST, request.FILES, case=case, size_error=uploads.size_error(request)),
        lambda cleaned: services.set_status(
            case,
            status=cleaned["status"],
            by=request.user,
            message=cleaned["message"],
            files=cleaned["attachments"],
            expected_version=cleaned["version"],
        ),
        done=lambda cleaned: _("Status ändrad till %(status)s.") % {"status": cleaned["status"]},
    )


@require_POST
@staff_required
@uploads.capped_uploads
def send_message(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """A message to the citizen, with attachments."""
    case = get_case_for_handler(request, number)
    return _act(
        request,
        case,
        "message_form",
        MessageForm(request.POST, request.FILES, case=case, size_error=uploads.size_error(request)),
        lambda cleaned: services.send_message(
            case,
            by=request.user,
            text=cleaned["text"],
            files=cleaned["attachments"],
            token=cleaned["token"],
            expected_version=cleaned["version"],
        ),
        done=lambda cleaned: _("Meddelandet är skickat till invånaren."),
        anchor="meddelanden",
    )


@require_POST
@staff_required
def add_note(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """An internal note, never shown to the citizen."""
    case = get_case_for_handler(request, number)
    return _act(
        request,
        case,
        "note_form",
        NoteForm(request.POST, case=case),
        lambda cleaned: services.add_note(
            case,
            by=request.user,
            text=cleaned["text"],
            token=cleaned["token"],
        ),
        done=lambda cleaned: _("Anteckningen är sparad."),
        anchor="anteckningar",
    )


def _act(
    request: AuthenticatedHttpRequest,
    case: Case,
    form_name: str,
    form: Any,
    action: Callable[[dict[str, Any]], object],
    *,
    done: Callable[[dict[str, Any]], str],
    anchor: str = "",
) -> HttpResponse:
    """Run one handler action from its form: the page again with the problems (400), with
    a request to reload when someone else changed the case first (409, what was typed
    kept), or back to the case with a confirmation."""
    if not form.is_valid():
        return _render_case(request, case, status=400, **{form_name: form})
    try:
        action(form.cleaned_data)
    except services.StaleCase:
        form.add_error(None, STALE)
        return _render_case(request, _reload(request, case), status=409, **{form_name: form})
    except services.StatusNotAllowed:
        raise Http404 from None
    messages.success(request, done(form.cleaned_data))
    return redirect(_case_url(case, anchor))


def _reload(request: AuthenticatedHttpRequest, case: Case) -> Case:
    return get_case_for_handler(request, case.number or 0)


@require_safe
@staff_required
def case_pdf(request: AuthenticatedHttpRequest, number: int) -> HttpResponseBase:
    """The PDF of the current (or ``?version=N``) revision."""
    from sjalvservice.cases.pdf import pdf_response

    case = get_case_for_handler(request, number)
    revision = get_revision(case, request.GET.get("version"))
    log_access(
        request,
        AccessLog.Action.PDF,
        municipality=case.municipality,
        case_number=case.number,
        detail=f"version {revision.number}",
    )
    return pdf_response(revision)


@require_safe
@staff_required
def attachment(
    request: AuthenticatedHttpRequest, number: int, attachment_id: int
) -> HttpResponseBase:
    """A file sent with a message, by the citizen or by staff."""
    from sjalvservice.cases.downloads import attachment_response

    case = get_case_for_handler(request, number)
    found = get_attachment(case, attachment_id)
    log_access(
        request,
        AccessLog.Action.ATTACHMENT,
        municipality=case.municipality,
        case_number=case.number,
        detail=f"bifogad fil {found.pk}",
    )
    return attachment_response(found)


@require_safe
@staff_required
def answer_file(
    request: AuthenticatedHttpRequest, number: int, version: int, index: int
) -> HttpResponseBase:
    """A file attached in one of the e-service's file fields, in revision ``version``."""
    from sjalvservice.cases.downloads import file_response

    case = get_case_for_handler(request, number)
    revision = get_revision(case, version)
    files = _answer_files(runner.definition_of(case), revision)
    if index >= len(files) or not storages["default"].exists(files[index]["key"]):
        raise Http404
    log_access(
        request,
        AccessLog.Action.ATTACHMENT,
        municipality=case.municipality,
        case_number=case.number,
        detail=f"version {version} fil {index + 1}",
    )
    stored = files[index]
    return file_response(stored["key"], stored.get("name") or "fil", stored.get("content_type", ""))

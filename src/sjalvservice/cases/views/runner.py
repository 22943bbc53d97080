from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from sjalvservice.cases import runner, services
from sjalvservice.cases.access import (
    anonymous_drafts,
    anonymous_references,
    get_case_for_citizen,
    get_revision,
    remember_anonymous_case,
)
from sjalvservice.cases.drafts import deletion_due, kept_until, resume_path
from sjalvservice.cases.models import Case
from sjalvservice.cases.selectors import supplement_changes, supplement_request
from sjalvservice.core.http import client_ip
from sjalvservice.eservices.definitions import Definition, build_step_form, summarise, visible_steps
from sjalvservice.eservices.definitions.schema import FileSpec
from sjalvservice.eservices.models import EService
from sjalvservice.reservations import services as reservations


# The upload caps go in before anything reads the body; the CSRF check reads it, so, as
# Django's documentation shows, a post is checked after them (csrf_protect below).
@require_http_methods(["GET", "POST"])
@csrf_exempt
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Starta e-tjänsten": the first step; the draft is created when it is first posted."""
    eservice = get_object_or_404(EService.objects.published(), slug=slug)
    if not eservice.accepts_cases:
        return _closed(request, eservice)
    if eservice.requires_login and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    version = eservice.current_version
    assert version is not None  # published() guarantees one
    definition = runner.shown_definition_of_version(version)
    first = visible_steps(definition, {})[0]
    if request.method == "POST":
        runner.cap_uploads(request, definition, first.key)
        return csrf_protect(_start_draft)(request, eservice, definition, first.key)
    form = _first_step_form(request, eservice, definition, first.key, bound=False)
    return _render_step(request, definition, first.key, form, case=None, eservice=eservice)


def _first_step_form(
    request: HttpRequest, eservice: EService, definition: Definition, step_key: str, *, bound: bool
) -> Any:
    """The first step before there is a draft: empty, or as it was just posted."""
    data = request.POST if bound else None
    return build_step_form(
        definition,
        step_key,
        answers={},
        data=data,
        files=request.FILES if bound else None,
        prefill=runner.contact_prefill(definition, request),
        organisations=runner.organisations_of(request),
        find_organisation=runner.organisation_lookup(),
        calendar=runner.calendar_for(eservice),
        week=runner.booking_week(request, definition, data),
    )


@require_http_methods(["GET", "POST"])
@csrf_exempt  # a post is checked once its upload caps are in place, as in start()
def step(request: HttpRequest, reference: str, step_key: str) -> HttpResponse:
    case = _case_or_log_in(request, reference)
    if isinstance(case, HttpResponse):
        return case
    if not case.is_editable:
        return _not_editable(request, case)
    definition = runner.shown_definition(case)
    if step_key not in {s.key for s in visible_steps(definition, case.answers)}:
        raise Http404
    if request.method == "POST":
        runner.cap_uploads(request, definition, step_key)
        return csrf_protect(_post_step)(request, case, step_key)
    checked = runner.checks_this_view(request, case, step_key)
    form = runner.step_form(case, step_key, request, bound=False, checked=checked)
    return _render_step(request, definition, step_key, form, case=case, eservice=case.eservice)


def _case_or_log_in(request: HttpRequest, reference: str) -> Case | HttpResponse:
    """The case the browser may see; when there is none and nobody is logged in, a
    redirect to log in, so that a notice's link to a person's draft opens once they have.
    Every case the browser cannot see gets that same answer: it tells nothing of whether
    the case exists."""
    try:
        return get_case_for_citizen(request, reference)
    except Http404:
        if request.method == "GET" and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def _not_editable(request: HttpRequest, case: Case) -> HttpResponse:
    """A submitted case: look at it where it lives; changing it now is forbidden."""
    if request.method != "GET":
        raise PermissionDenied
    if case.owner_id is not None:
        return redirect("cases:case", number=case.number)
    return redirect("cases:receipt", reference=case.reference)


def _start_draft(
    request: HttpRequest, eservice: EService, definition: Definition, step_key: str
) -> HttpResponse:
    """A draft for the first step once it is saved ("Spara") or valid; with errors on
    "Nästa", the step again with them and no draft."""
    if request.POST.get("action") != "save":
        form = _first_step_form(request, eservice, definition, step_key, bound=True)
        if not form.is_valid():
            _ask_for_files_again(request, form)
            return _render_step(request, definition, step_key, form, case=None, eservice=eservice)
    owner = request.user if request.user.is_authenticated else None
    try:
        case = services.start_draft(
            eservice,
            owner=owner,
            session_cases=anonymous_references(request),
            client_address=client_ip(request),
        )
    except services.DraftLimitReached as refused:
        return _draft_refused(request, eservice, definition, step_key, refused.reason)
    except services.EServiceUnavailable:
        # Closed while the first step was being filled in.
        return _closed(request, eservice)
    if owner is None:
        remember_anonymous_case(request, case)
    return _post_step(request, case, step_key)


def _closed(request: HttpRequest, eservice: EService) -> HttpResponse:
    """The e-service takes no new cases: why, in its municipality's words."""
    return render(request, "cases/closed.html", {"eservice": eservice})


def _ask_for_files_again(request: HttpRequest, form: Any) -> None:
    """Files posted with a first step that started no draft are not kept: say so at each
    file field that got one."""
    again = _("Filerna du valde är inte sparade. Välj dem igen när felen är rättade.")
    for spec in form.specs:
        if isinstance(spec, FileSpec):
            for name in form.names[spec.key]:
                if request.FILES.getlist(name):
                    form.add_error(name, again)


def _draft_refused(
    request: HttpRequest, eservice: EService, definition: Definition, step_key: str, reason: str
) -> HttpResponse:
    """No new draft: the step again as it was posted, so nothing typed is lost, with what
    to do about it at the top."""
    form = _first_step_form(request, eservice, definition, step_key, bound=True)
    session_drafts = []
    if reason == services.DraftLimitReached.SESSION:
        session_drafts = [
            (draft.eservice.title_shown, draft.title, resume_path(draft), draft.last_saved_at)
            for draft in anonymous_drafts(request)
            .select_related("eservice")
            .order_by("-last_saved_at")
        ]
    refused = {
        "reason": reason,
        "person_limit": settings.DRAFT_LIMIT_PER_PERSON,
        "session_limit": settings.DRAFT_LIMIT_PER_SESSION,
        "session_drafts": session_drafts,
        "had_files": bool(request.FILES),
    }
    # Too many from one address is the client's to wait out; the others are like an error
    # in the form.
    status = 429 if reason == services.DraftLimitReached.ADDRESS else 200
    return _render_step(
        request,
        definition,
        step_key,
        form,
        case=None,
        eservice=eservice,
        status=status,
        refused=refused,
    )


def _post_step(request: HttpRequest, case: Case, step_key: str) -> HttpResponse:
    """Store the step (valid answers, or the raw input when not valid) and move on."""
    action = request.POST.get("action", "next")
    form = runner.step_form(case, step_key, request, bound=True)
    valid = form.is_valid()
    store = runner.StoreUpload(case)
    try:
        if valid:
            answers, completed = runner.merge_answers(case, step_key, form.answers(store))
            unsaved = {key: value for key, value in case.unsaved_input.items() if key != step_key}
        else:
            answers = case.answers
            completed = [key for key in case.completed_steps if key != step_key]
            unsaved = {**case.unsaved_input, step_key: runner.raw_input(request)}
        case = services.save_draft(
            case,
            answers=answers,
            current_step=step_key,
            completed_steps=completed,
            unsaved_input=unsaved,
        )
    except BaseException as error:
        store.discard()  # the step was not saved, so neither are its new files
        if isinstance(error, services.CaseNotEditable):
            raise PermissionDenied from None
        raise
    definition = runner.shown_definition(case)
    before, after = runner.neighbours(definition, case.answers, step_key)
    if action == "previous" and before:
        return redirect("cases:step", reference=case.reference, step_key=before)
    if action == "save":
        messages.success(request, _saved_message(request, case))
        return redirect("cases:step", reference=case.reference, step_key=step_key)
    if not valid:
        return _render_step(
            request, definition, step_key, form, case=case, eservice=case.eservice, status=200
        )
    if after:
        return redirect("cases:step", reference=case.reference, step_key=after)
    return redirect("cases:preview", reference=case.reference)


def _saved_message(request: HttpRequest, case: Case) -> str:
    """That the draft is saved and for how long, whether its answers are valid yet or not:
    errors wait until the person goes on."""
    if case.awaits_supplement:
        return _("Dina ändringar är sparade. Skicka in dem från sista steget när du är klar.")
    if not request.user.is_authenticated:
        return _("Dina svar är sparade så länge webbläsaren är öppen.")
    until = kept_until(case)
    if until is None:
        return _("Ditt ärende är sparat. Du hittar det på Mina sidor under Ej inskickade ärenden.")
    return _(
        "Ditt ärende är sparat till %(date)s. Du hittar det på Mina sidor under Ej inskickade "
        "ärenden."
    ) % {"date": date_format(timezone.localtime(until), "DATE_FORMAT")}


def _render_step(
    request: HttpRequest,
    definition: Definition,
    step_key: str,
    form: Any,
    *,
    case: Case | None,
    eservice: EService,
    status: int = 200,
    refused: dict[str, Any] | None = None,
) -> HttpResponse:
    answers = case.answers if case else {}
    due = deletion_due(case.expiry_noticed_at) if case and case.is_draft else None
    links = runner.step_links(definition, answers)
    before, _after = runner.neighbours(definition, answers, step_key)
    current = next(link for link in links if link.key == step_key)
    action = (
        reverse("cases:step", kwargs={"reference": case.reference, "step_key": step_key})
        if case
        else reverse("cases:start", kwargs={"slug": eservice.slug})
    )
    return render(
        request,
        "cases/step.html",
        {
            "definition": definition,
            "eservice": eservice,
            "case": case,
            "form": form,
            "steps": links,
            "current": current,
            "completed": set(case.completed_steps) if case else set(),
            "total": len(links) + 2,
            "has_previous": before is not None,
            "form_action": action,
            "refused": refused,
            "deletion_due": due,
            **_supplement_context(case, definition),
        },
        status=status,
    )


def _supplement_context(
    case: Case | None, definition: Definition, *, changes: bool = False
) -> dict[str, Any]:
    """ "Ändra ärende" (a case awaiting a supplement): the case's header and tabs, what the
    handler asked for and, on the preview (``changes``), what differs from the submitted
    revision. Nothing for a draft."""
    if case is None or not case.awaits_supplement:
        return {}
    request = supplement_request(case)
    context: dict[str, Any] = {
        "supplementing": True,
        "supplement_request": request,
        "first_step": request.first_step if request else None,
    }
    if changes:
        submitted = get_revision(case).answers
        context["changes"] = supplement_changes(definition, submitted, case.answers)
    return context


@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Förhandsgranska" with "Ändra" links, then "Skicka in"."""
    case = _case_or_log_in(request, reference)
    if isinstance(case, HttpResponse):
        return case
    if not case.is_editable:
        return _not_editable(request, case)
    missing = runner.incomplete_steps(case)
    if request.method == "POST":
        if missing:
            # Back to the first step not done, with its errors: the person tried to go on.
            runner.check_next_view(request, case, missing[0])
            return redirect("cases:step", reference=case.reference, step_key=missing[0])
        owner = request.user if request.user.is_authenticated else None
        try:
            if case.awaits_supplement:
                case = services.supplement(case, by=owner, answers=case.answers)
                messages.success(request, _("Ditt ärende är kompletterat."))
                return redirect("cases:case", number=case.number)
            case = services.submit(case, by=owner, answers=case.answers)
        except (reservations.SlotTaken, reservations.NotBookable):
            return _choose_another_time(request, case)
        except reservations.ReservationError as error:
            messages.error(request, str(error.message))
            return redirect("cases:preview", reference=case.reference)
        return redirect("cases:receipt", reference=case.reference)
    definition = runner.shown_definition(case)
    links = runner.step_links(definition, case.answers)
    return render(
        request,
        "cases/preview.html",
        {
            "case": case,
            "definition": definition,
            "summary": summarise(definition, case.answers),
            "missing": missing,
            "steps": links,
            "completed": set(case.completed_steps),
            "total": len(links) + 2,
            **_supplement_context(case, definition, changes=True),
        },
    )


def _choose_another_time(request: HttpRequest, case: Case) -> HttpResponse:
    """The slot went to someone else (or passed) before the case was sent: back to the
    booking step, every other answer kept, the taken slot shown with its error."""
    definition = runner.shown_definition(case)
    spec = definition.booking_field()
    assert spec is not None  # only a booking field's submission books
    step_key = next(step.key for step in definition.steps if spec in step.fields)
    answer = case.answers.get(spec.key) or {}
    case = services.save_draft(
        case,
        answers={key: value for key, value in case.answers.items() if key != spec.key},
        current_step=step_key,
        completed_steps=[key for key in case.completed_steps if key != step_key],
        unsaved_input={**case.unsaved_input, step_key: {spec.key: [answer.get("starts_at", "")]}},
    )
    runner.check_next_view(request, case, step_key)
    return redirect("cases:step", reference=case.reference, step_key=step_key)


@require_safe
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case_for_citizen(request, reference)
    if case.number is None:
        return redirect("cases:preview", reference=case.reference)
    definition = runner.shown_definition(case)
    return render(request, "cases/receipt.html", {"case": case, "definition": definition})

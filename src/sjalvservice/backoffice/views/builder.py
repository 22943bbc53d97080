""" "Bygg formuläret": the form builder of Administrera → E-tjänster.

The builder edits the e-service's draft (``EServiceDraft``), the same draft the text editor
("Publicera ny version") shows, through ``eservices.builder``: steps and fields are added,
changed, moved and removed with buttons (forms that work by keyboard and without
JavaScript). A change that the definition checks find fault with is refused on the form
where it was made, in the checks' own words; the draft keeps what it had. Beside each form
is the step as the resident will see it, at phone width in Swedish and in English.

For municipality administrators and redaktörer, of their own municipality only (404
otherwise).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.backoffice.access import editor_required
from sjalvservice.backoffice.forms_builder import (
    TYPE_LABELS,
    AddFieldForm,
    AddStepForm,
    FieldForm,
    StatusFormSet,
    StepForm,
    TextsForm,
    parsed_statuses,
    status_rows,
)
from sjalvservice.backoffice.views.manage import _posted, get_eservice_for_admin
from sjalvservice.eservices import builder
from sjalvservice.eservices import services as eservice_services
from sjalvservice.eservices.calendar import MunicipalityCalendar
from sjalvservice.eservices.definitions import (
    Definition,
    DefinitionError,
    build_step_form,
    dump_yaml,
    parse_definition,
)
from sjalvservice.eservices.definitions.problems import Problem
from sjalvservice.eservices.definitions.schema import without_nulls
from sjalvservice.eservices.definitions.translations import in_language
from sjalvservice.eservices.forms import report_published
from sjalvservice.eservices.models import EService, EServiceDraft
from sjalvservice.eservices.services import PublishError

_PATH = re.compile(r"^steps\[(\d+)\](?:\.fields\[(\d+)\])?")


class _Draft:
    """The draft being built and its data. Until the first change is kept there is no
    draft: the data are the published version's (or an empty form's)."""

    def __init__(self, request: AuthenticatedHttpRequest, eservice: EService) -> None:
        self.request, self.eservice = request, eservice
        self.draft = EServiceDraft.objects.filter(eservice=eservice).first()
        if self.draft is not None:
            self.data = builder.read(self.draft.text)
        elif (current := eservice.current_version) is not None:
            self.data = without_nulls(current.definition)
        else:
            self.data = {"schema_version": 1, "title": eservice.title, "steps": []}

    def keep(self, changed: builder.Data, *, allowed: tuple[str, ...] = ()) -> list[Problem]:
        """Keep ``changed`` as the draft unless it brings problems the draft did not have
        (``allowed``: paths of problems that are expected for now, such as a new step
        without fields); those problems, or none when it was kept."""
        refused = [
            problem for problem in builder.new_problems(self.data, changed)
            if problem.path not in allowed
        ]  # fmt: skip
        if not refused:
            self.draft = eservice_services.save_draft(
                self.eservice, dump_yaml(changed), by=self.request.user
            )
            self.data = changed
        return refused


def _draft(request: AuthenticatedHttpRequest, eservice: EService) -> _Draft | HttpResponse:
    try:
        return _Draft(request, eservice)
    except builder.UnreadableDraft as error:
        context = {"eservice": eservice, "problems": error.problems}
        return render(request, "backoffice/manage/builder_unreadable.html", context)


def draft_view(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A builder view of the e-service ``eservice_id`` of the person's municipality (404
    otherwise), called with the e-service and its ``_Draft``; a draft the builder cannot
    read answers with the page that says so."""

    @functools.wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, eservice_id: int, **kwargs: Any) -> HttpResponse:
        eservice = get_eservice_for_admin(request, eservice_id)
        draft = _draft(request, eservice)
        if isinstance(draft, HttpResponse):
            return draft
        return view(request, eservice, draft, **kwargs)

    return wrapped


def _home(eservice: EService, anchor: str = "") -> HttpResponse:
    url = reverse("backoffice:manage_builder", args=[eservice.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _located(data: builder.Data, problems: list[Problem]) -> list[tuple[str, str, str]]:
    """Each problem with where the builder shows it ("step-KEY", "field-KEY", or "" for
    the e-service as a whole and its statuses) and the name of that step or field."""
    located = []
    steps = builder.steps(data)
    for problem in problems:
        match = _PATH.match(problem.path)
        where, name = "", ""
        if match and int(match.group(1)) < len(steps):
            step = steps[int(match.group(1))]
            where, name = f"step-{step.get('key')}", str(step.get("title", ""))
            fields = step.get("fields") or []
            if match.group(2) is not None and int(match.group(2)) < len(fields):
                found = fields[int(match.group(2))]
                where, name = f"field-{found.get('key')}", str(found.get("label", ""))
        located.append((where, name, problem.message))
    return located


def _placed(located: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    placed: dict[str, list[str]] = {}
    for where, _name, message in located:
        placed.setdefault(where, []).append(message)
    return placed


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def overview(request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft) -> HttpResponse:
    """Every step with its fields, the buttons that move and remove them, the statuses,
    and every problem of the draft where it is."""
    refused: list[Problem] = []
    if request.method == "POST":
        action, _sep, key = request.POST.get("action", "").partition(":")
        edits = {
            "step-up": lambda: builder.move_step(draft.data, key, -1),
            "step-down": lambda: builder.move_step(draft.data, key, 1),
            "step-remove": lambda: builder.remove_step(draft.data, key),
            "field-up": lambda: builder.move_field(draft.data, key, -1),
            "field-down": lambda: builder.move_field(draft.data, key, 1),
            "field-remove": lambda: builder.remove_field(draft.data, key),
        }
        if action not in edits:
            raise Http404
        try:
            changed = edits[action]()
        except KeyError:
            raise Http404 from None
        refused = draft.keep(changed)
        if not refused:
            messages.success(request, _done(action))
            anchor = f"{action.partition('-')[0]}-{key}" if "remove" not in action else ""
            return _home(eservice, anchor)
    problems = builder.problems(draft.data)
    located = _located(draft.data, problems)
    steps = [
        {
            "step": step,
            "number": number,
            "english": builder.english_of_step(draft.data, step.get("key", "")),
            "fields": [
                {"field": field, "condition": _condition_text(field),
                 "type_label": TYPE_LABELS.get(str(field.get("type")), field.get("type"))}
                for field in step.get("fields") or []
            ],
            "condition": _condition_text(step),
        }
        for number, step in enumerate(builder.steps(draft.data), start=1)
    ]  # fmt: skip
    context = {
        "eservice": eservice,
        "draft": draft.draft,
        "steps": steps,
        "problems": problems,
        "listed": located,
        "placed": _placed(located),
        "refused": refused,
        "statuses": draft.data.get("statuses") or [],
        "title": draft.data.get("title", ""),
        "receipt": (draft.data.get("on_submit") or {}).get("message") or "",
        "current": eservice.current_version,
    }
    status = 200 if not refused else 400
    return render(request, "backoffice/manage/builder.html", context, status=status)


def _done(action: str) -> str:
    return {
        "step-up": _("Steget är flyttat upp."),
        "step-down": _("Steget är flyttat ned."),
        "step-remove": _("Steget är borttaget."),
        "field-up": _("Fältet är flyttat upp."),
        "field-down": _("Fältet är flyttat ned."),
        "field-remove": _("Fältet är borttaget."),
    }[action]


def _condition_text(target: builder.Data) -> str:
    field, operator, value = builder.condition_of(target)
    if not field:
        return ""
    if operator == builder.NOT_EMPTY:
        return _("Visas om %(field)s är ifyllt") % {"field": field}
    if operator == builder.IN:
        return _("Visas om %(field)s är något av %(values)s") % {"field": field, "values": value}
    return _("Visas om %(field)s är %(value)s") % {"field": field, "value": value}


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def add_step(request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft) -> HttpResponse:
    form = AddStepForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        changed, key = builder.add_step(
            draft.data, title=form.cleaned_data["title"], title_en=form.cleaned_data["title_en"]
        )
        position = len(builder.steps(changed)) - 1
        # A new step has no fields until its first is added, the next thing asked for.
        _refuse(form, draft.keep(changed, allowed=(f"steps[{position}].fields", "steps")))
        if not form.errors:
            messages.success(request, _("Steget är tillagt. Lägg till dess första fält."))
            return redirect("backoffice:manage_builder_add_field", eservice.pk, key)
    context = {"eservice": eservice, "form": form}
    return render(request, "backoffice/manage/builder_add_step.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def step(
    request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft, key: str
) -> HttpResponse:
    """One step: its title in both languages and when it is shown."""
    try:
        edited = builder.step(draft.data, key)
    except KeyError:
        raise Http404 from None
    form = _step_form(_posted(request), draft.data, key)
    if request.method == "POST" and form.is_valid():
        _refuse(form, draft.keep(_step_changed(form, draft.data, key)))
        if not form.errors:
            messages.success(request, _("Steget är sparat."))
            return redirect("backoffice:manage_builder_step", eservice.pk, key)
    context = {
        "eservice": eservice, "form": form, "step": edited, "step_key": key,
        "previews": _previews(eservice, key),
        "editing": f"step:{key}",
    }  # fmt: skip
    return render(request, "backoffice/manage/builder_step.html", context)


def _step_form(posted: Any, data: builder.Data, key: str) -> StepForm:
    edited = builder.step(data, key)
    english = builder.english_of_step(data, key)
    form_field, operator, value = builder.condition_of(edited)
    form = StepForm(
        posted,
        initial={"title": edited.get("title", ""), "title_en": english.get("title", ""),
                 "condition_field": form_field, "condition_operator": operator,
                 "condition_value": value},
    )  # fmt: skip
    form.set_condition_choices(builder.earlier_fields(data, step_key=key))
    return form


def _step_changed(form: StepForm, data: builder.Data, key: str) -> builder.Data:
    return builder.change_step(
        data, key, title=form.cleaned_data["title"], title_en=form.cleaned_data["title_en"],
        condition=form.condition(),
    )  # fmt: skip


def _field_form(posted: Any, data: builder.Data, key: str) -> FieldForm:
    owner, edited = builder.field(data, key)
    return FieldForm(
        posted, field=edited, english=builder.english_of_field(data, key),
        earlier=builder.earlier_fields(data, step_key=owner["key"], field_key=key),
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def add_field(
    request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft, key: str
) -> HttpResponse:
    """A new field at the end of the step: its type and question (and a choice's
    alternatives); its other options on the field's own page."""
    try:
        owner = builder.step(draft.data, key)
    except KeyError:
        raise Http404 from None
    form = AddFieldForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed, field_key = builder.add_field(
            draft.data, key, type=data["type"], label=data["label"], label_en=data["label_en"],
            choices=form.parsed_choices(),
        )  # fmt: skip
        position = builder.steps(draft.data).index(owner)
        _refuse(form, draft.keep(changed, allowed=(f"steps[{position}].fields",)))
        if not form.errors:
            messages.success(request, _("Fältet är tillagt. Här ställer du in resten."))
            return redirect("backoffice:manage_builder_field", eservice.pk, field_key)
    context = {
        "eservice": eservice, "form": form, "step": owner,
    }  # fmt: skip
    return render(request, "backoffice/manage/builder_add_field.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def field(
    request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft, key: str
) -> HttpResponse:
    """One field: its question, hint, whether it must be answered, when it is shown, its
    type's options and its own error messages, Swedish and English side by side."""
    try:
        owner, edited = builder.field(draft.data, key)
    except KeyError:
        raise Http404 from None
    form = _field_form(_posted(request), draft.data, key)
    if request.method == "POST" and form.is_valid():
        values, english = form.values()
        changed = builder.change_field(draft.data, key, values, english)
        _refuse(form, draft.keep(changed))
        if not form.errors:
            messages.success(request, _("Fältet är sparat."))
            return redirect("backoffice:manage_builder_field", eservice.pk, values["key"] or key)
    context = {
        "eservice": eservice, "form": form, "field": edited, "step": owner,
        "type_label": TYPE_LABELS.get(str(edited.get("type")), edited.get("type")),
        "previews": _previews(eservice, owner["key"]),
        "editing": f"field:{key}",
    }  # fmt: skip
    return render(request, "backoffice/manage/builder_field.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def statuses(request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft) -> HttpResponse:
    """The e-service's own statuses (name, kind, English name), or the shared ones."""
    formset = StatusFormSet(_posted(request), initial=status_rows(draft.data), prefix="status")
    refused: list[Problem] = []
    if request.method == "POST" and formset.is_valid():
        refused = draft.keep(builder.set_statuses(draft.data, parsed_statuses(formset)))
        if not refused:
            messages.success(request, _("Statusarna är sparade."))
            return redirect("backoffice:manage_builder", eservice.pk)
    context = {"eservice": eservice, "formset": formset, "refused": refused}
    return render(request, "backoffice/manage/builder_statuses.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def texts(request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft) -> HttpResponse:
    """The form's title and the text of the receipt, Swedish and English side by side."""
    english = (draft.data.get("translations") or {}).get("en") or {}
    form = TextsForm(
        _posted(request),
        initial={"title": draft.data.get("title", ""), "title_en": english.get("title", ""),
                 "receipt": (draft.data.get("on_submit") or {}).get("message") or "",
                 "receipt_en": (english.get("on_submit") or {}).get("message") or ""},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = builder.change_texts(
            draft.data, title=data["title"], title_en=data["title_en"],
            receipt=data["receipt"], receipt_en=data["receipt_en"],
        )  # fmt: skip
        _refuse(form, draft.keep(changed))
        if not form.errors:
            messages.success(request, _("Texterna är sparade."))
            return redirect("backoffice:manage_builder", eservice.pk)
    context = {"eservice": eservice, "form": form}
    return render(request, "backoffice/manage/builder_texts.html", context)


@require_POST
@editor_required
@draft_view
def publish(request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft) -> HttpResponse:
    """ "Publicera": the draft becomes the next version, if it passes every check."""
    before = eservice.current_version
    try:
        version = eservice_services.publish_draft(eservice, draft.data, by=request.user)
    except (DefinitionError, PublishError) as error:
        for _path, message in error.problems:
            messages.error(request, message)
        messages.error(request, _("Utkastet är inte publicerat. Rätta felen först."))
        return _home(eservice)
    report_published(request, eservice, version, before)
    return redirect("backoffice:manage_eservice", eservice.pk)


def _refuse(form: Any, problems: list[Problem]) -> None:
    """The definition checks' problems with a change, on the form that made it."""
    for problem in problems:
        form.add_error(_form_field(form, problem.path), problem.message)


def _form_field(form: Any, path: str) -> str | None:
    """The form field a problem's path is about (``...condition.field``: the condition)."""
    if ".condition" in path:
        return "condition_field" if "condition_field" in form.fields else None
    last = path.rsplit(".", 1)[-1] if path else ""
    return last if last in form.fields else None


# --- The preview -----------------------------------------------------------------------------

PREVIEW_LANGUAGES = (("sv", "Svenska"), ("en", "English"))


def _previews(eservice: EService, step_key: str) -> list[dict[str, str]]:
    url = reverse("backoffice:manage_builder_preview", args=[eservice.pk, step_key])
    return [
        {"language": code, "name": name, "url": f"{url}?sprak={code}"}
        for code, name in PREVIEW_LANGUAGES
    ]


@xframe_options_sameorigin
@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
@draft_view
def preview(
    request: AuthenticatedHttpRequest, eservice: EService, draft: _Draft, key: str
) -> HttpResponse:
    """The step as the resident will see it, in ``sprak`` (sv or en; the page's language
    when not given): a page of its own, for the builder's phone-width frames; every field
    shown whatever the conditions say.

    A POST carries the step's or a field's form as it is being typed (``editing``,
    "step:KEY" or "field:KEY"): the preview shows it with that change, which is not saved
    (the builder's script sends it as one types)."""
    language = request.GET.get("sprak") or translation.get_language()
    if language not in dict(PREVIEW_LANGUAGES):
        raise Http404
    try:
        builder.step(draft.data, key)
    except KeyError:
        raise Http404 from None
    data = _with_unsaved(request, draft.data) if request.method == "POST" else draft.data
    definition = _previewable(data, key)
    if definition is None:
        return _framed(request, "backoffice/manage/builder_preview.html", {
            "eservice": eservice, "problems": True, "language": language,
        })  # fmt: skip
    with translation.override(language):
        shown = in_language(definition, language)
        form = build_step_form(
            shown, key, all_fields=True, calendar=MunicipalityCalendar(eservice.municipality_id)
        )
        context = {
            "eservice": eservice, "definition": shown, "step": shown.step(key), "form": form,
            "language": language,
            "number": [each.get("key") for each in builder.steps(draft.data)].index(key) + 1,
            "count": len(builder.steps(draft.data)),
        }  # fmt: skip
        return _framed(request, "backoffice/manage/builder_preview.html", context)


def _with_unsaved(request: AuthenticatedHttpRequest, data: builder.Data) -> builder.Data:
    """The draft with the change being typed on a step's or field's form, if it reads."""
    kind, _sep, key = request.POST.get("editing", "").partition(":")
    try:
        if kind == "step":
            step_form = _step_form(request.POST, data, key)
            return _step_changed(step_form, data, key) if step_form.is_valid() else data
        if kind == "field":
            field_form = _field_form(request.POST, data, key)
            if field_form.is_valid():
                values, english = field_form.values()
                return builder.change_field(data, key, values, english)
    except KeyError:
        pass
    return data


def _previewable(data: builder.Data, key: str) -> Definition | None:
    """A definition that shows the step ``key`` as it is: the whole draft if it passes the
    checks, else the draft up to that step, else that step alone without its conditions
    (a problem elsewhere need not hide the step being worked on). None when even the step
    alone has a problem."""
    steps = builder.steps(data)
    position = [step.get("key") for step in steps].index(key)
    alone = {**steps[position], "condition": None}
    alone["fields"] = [{**field, "condition": None} for field in alone.get("fields") or []]
    rest = {name: value for name, value in data.items() if name not in ("steps", "statuses")}
    bare = {name: value for name, value in rest.items() if name != "translations"}
    for candidate in (
        data,
        {**rest, "steps": steps[: position + 1]},
        {**rest, "steps": [alone]},
        {**bare, "steps": [alone]},
    ):
        try:
            return parse_definition(candidate)
        except DefinitionError:
            continue
    return None


def _framed(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    response = render(request, template, context)
    response.csp_framed_by_self = True  # type: ignore[attr-defined]
    return response

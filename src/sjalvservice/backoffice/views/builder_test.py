""" "Testkör": the draft run as a resident would, step by step to a receipt, without a case.

Nothing of a test run reaches the database: the answers live in the staff member's session
(per e-service, thrown away when the draft changes), files are checked as in a real run
and then dropped, nothing is sent and no case number is taken. The steps are the same step
forms the resident's runner builds (``build_step_form``), with the same conditions, checks
and upload caps.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.backoffice.access import editor_required
from sjalvservice.backoffice.views.builder import _draft
from sjalvservice.backoffice.views.manage import get_eservice_for_admin
from sjalvservice.cases import runner
from sjalvservice.eservices import builder
from sjalvservice.eservices.calendar import MunicipalityCalendar
from sjalvservice.eservices.definitions import (
    Definition,
    build_step_form,
    content_hash,
    drop_hidden,
    parse_definition,
    summarise,
    visible_steps,
)
from sjalvservice.eservices.definitions.translations import in_language
from sjalvservice.eservices.models import EService

SESSION_KEY = "builder-test"


class _Run:
    """One staff member's test run of one e-service's draft, kept in their session."""

    def __init__(self, request: AuthenticatedHttpRequest, eservice: EService) -> None:
        self.request, self.eservice = request, eservice
        self.problems: list[tuple[str, str]] = []
        self.definition: Definition | None = None
        # The page to show instead when the builder cannot read the draft.
        self.unreadable: HttpResponse | None = None
        draft = _draft(request, eservice)
        if isinstance(draft, HttpResponse):
            self.unreadable = draft
            return
        found = builder.problems(draft.data)
        if found:
            self.problems = [(problem.path, problem.message) for problem in found]
            return
        parsed = parse_definition(draft.data)
        self.hash = content_hash(parsed)
        self.definition = in_language(parsed, get_language())
        stored = request.session.get(SESSION_KEY, {}).get(str(eservice.pk), {})
        if stored.get("hash") != self.hash:
            stored = {}
        self.answers: dict[str, Any] = stored.get("answers", {})
        self.done: list[str] = stored.get("done", [])

    def save(self) -> None:
        runs = self.request.session.get(SESSION_KEY, {})
        runs[str(self.eservice.pk)] = {"hash": self.hash, "answers": self.answers,
                                       "done": self.done}  # fmt: skip
        self.request.session[SESSION_KEY] = runs

    def forget(self) -> None:
        runs = self.request.session.get(SESSION_KEY, {})
        runs.pop(str(self.eservice.pk), None)
        self.request.session[SESSION_KEY] = runs

    @property
    def steps(self) -> list[Any]:
        assert self.definition is not None
        return visible_steps(self.definition, self.answers)

    @property
    def missing(self) -> list[str]:
        return [step.key for step in self.steps if step.key not in self.done]


def _dropped(upload: UploadedFile) -> dict[str, Any]:
    """A test run keeps no file: it is read as a real run reads it, then let go."""
    return {"key": f"testkorning/{secrets.token_hex(8)}"}


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def start(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """What a test run is, and "Börja testkörningen" (which forgets an earlier run)."""
    eservice = get_eservice_for_admin(request, eservice_id)
    run = _Run(request, eservice)
    if run.unreadable is not None:
        return run.unreadable
    if request.method == "POST" and not run.problems:
        run.forget()
        return redirect("backoffice:manage_builder_test_step", eservice.pk, run.steps[0].key)
    return render(
        request, "backoffice/manage/builder_test_start.html",
        {"eservice": eservice, "problems": run.problems},
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # a post is checked once its upload caps are in place, as in the runner
@editor_required
def step(request: AuthenticatedHttpRequest, eservice_id: int, key: str) -> HttpResponse:
    eservice = get_eservice_for_admin(request, eservice_id)
    run = _Run(request, eservice)
    if run.definition is None:
        return redirect("backoffice:manage_builder_test", eservice.pk)
    keys = [each.key for each in run.steps]
    if key not in keys:
        raise Http404
    if request.method == "POST":
        runner.cap_uploads(request, run.definition, key)
        return csrf_protect(_post_step)(request, run, key)
    return _render_step(request, run, key, _form(request, run, key, bound=False))


def _form(request: AuthenticatedHttpRequest, run: _Run, key: str, *, bound: bool) -> Any:
    assert run.definition is not None
    return build_step_form(
        run.definition, key, answers=run.answers,
        data=request.POST if bound else None, files=request.FILES if bound else None,
        calendar=MunicipalityCalendar(run.eservice.municipality_id),
    )  # fmt: skip


def _post_step(request: AuthenticatedHttpRequest, run: _Run, key: str) -> HttpResponse:
    assert run.definition is not None
    keys = [each.key for each in run.steps]
    if request.POST.get("action") == "previous" and keys.index(key) > 0:
        return redirect("backoffice:manage_builder_test_step", run.eservice.pk,
                        keys[keys.index(key) - 1])  # fmt: skip
    form = _form(request, run, key, bound=True)
    if not form.is_valid():
        return _render_step(request, run, key, form, status=400)
    run.answers = drop_hidden(run.definition, {**run.answers, **form.answers(_dropped)})
    if key not in run.done:
        run.done.append(key)
    run.save()
    keys = [each.key for each in run.steps]
    later = keys[keys.index(key) + 1 :]
    if later:
        return redirect("backoffice:manage_builder_test_step", run.eservice.pk, later[0])
    return redirect("backoffice:manage_builder_test_summary", run.eservice.pk)


def _render_step(
    request: AuthenticatedHttpRequest, run: _Run, key: str, form: Any, status: int = 200
) -> HttpResponse:
    assert run.definition is not None
    keys = [each.key for each in run.steps]
    context = {
        "eservice": run.eservice, "definition": run.definition, "form": form,
        "current": run.definition.step(key), "number": keys.index(key) + 1,
        "count": len(keys), "has_previous": keys.index(key) > 0,
    }  # fmt: skip
    return render(request, "backoffice/manage/builder_test_step.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def summary(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Förhandsgranska" as the resident sees it, and "Skicka in (test)"."""
    eservice = get_eservice_for_admin(request, eservice_id)
    run = _Run(request, eservice)
    if run.definition is None:
        return redirect("backoffice:manage_builder_test", eservice.pk)
    if request.method == "POST" and not run.missing:
        run.forget()
        request.session[f"{SESSION_KEY}-receipt"] = eservice.pk
        return redirect("backoffice:manage_builder_test_receipt", eservice.pk)
    context = {
        "eservice": eservice, "definition": run.definition,
        "summary": summarise(run.definition, run.answers), "missing": run.missing,
    }  # fmt: skip
    return render(request, "backoffice/manage/builder_test_summary.html", context)


@require_http_methods(["GET", "HEAD"])
@editor_required
def receipt(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """The end of a test run: what the resident's receipt says, and that nothing was made."""
    eservice = get_eservice_for_admin(request, eservice_id)
    if request.session.get(f"{SESSION_KEY}-receipt") != eservice.pk:
        return redirect("backoffice:manage_builder_test", eservice.pk)
    run = _Run(request, eservice)
    context = {"eservice": eservice, "definition": run.definition}
    return render(request, "backoffice/manage/builder_test_receipt.html", context)

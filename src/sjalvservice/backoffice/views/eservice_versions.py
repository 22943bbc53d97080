"""An e-service's versions and draft under "Administrera → E-tjänster": the versions
published, each viewed in full, "Jämför" field by field, a version copied back to the
draft, and copies of e-services of this or another municipality.

For municipality administrators and redaktörer, of their own municipality only (404
otherwise); every change goes through ``eservices.services``, which logs it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.backoffice.access import editor_required
from sjalvservice.backoffice.forms_eservices import CopyEServiceForm
from sjalvservice.backoffice.views.manage import _municipality, _posted, get_eservice_for_admin
from sjalvservice.eservices import services as eservice_services
from sjalvservice.eservices.calendar import MunicipalityCalendar
from sjalvservice.eservices.definitions import (
    Definition,
    DefinitionError,
    load_definition_text,
    parse_definition,
)
from sjalvservice.eservices.definitions.compare import compare
from sjalvservice.eservices.forms import preview_steps
from sjalvservice.eservices.models import EService, EServiceDraft, EServiceVersion
from sjalvservice.eservices.search import MAX_QUERY_LENGTH
from sjalvservice.eservices.selectors import get_published_eservice, search_catalogue

COPY_CANDIDATES = 20
# "Jämför" names the draft by this word instead of a version number.
DRAFT = "utkast"


def _version(eservice: EService, number: int) -> EServiceVersion:
    return get_object_or_404(eservice.versions, number=number)


@require_safe
@editor_required
def versions(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Versioner": every published version, newest first, and the draft if there is one.
    An e-service has tens of versions in its life, so they are listed whole."""
    eservice = get_eservice_for_admin(request, eservice_id)
    listed = list(
        eservice.versions.defer("definition").select_related("published_by").order_by("-number")
    )
    draft = EServiceDraft.objects.filter(eservice=eservice).defer("text").first()
    context = {"eservice": eservice, "versions": listed, "draft": draft}
    return render(request, "backoffice/manage/eservice_versions.html", context)


@require_safe
@editor_required
def version(request: AuthenticatedHttpRequest, eservice_id: int, number: int) -> HttpResponse:
    """One version as the resident met it: every step with all its fields, its statuses."""
    eservice = get_eservice_for_admin(request, eservice_id)
    shown = _version(eservice, number)
    definition = parse_definition(shown.definition)
    context = {
        "eservice": eservice,
        "version": shown,
        "definition": definition,
        "preview": preview_steps(definition, MunicipalityCalendar(eservice.municipality_id)),
        "current": eservice.current_version,
        "has_draft": EServiceDraft.objects.filter(eservice=eservice).exists(),
    }
    return render(request, "backoffice/manage/eservice_version.html", context)


@require_POST
@editor_required
def version_to_draft(
    request: AuthenticatedHttpRequest, eservice_id: int, number: int
) -> HttpResponse:
    """ "Kopiera till utkastet": the version becomes the draft, in place of any draft."""
    eservice = get_eservice_for_admin(request, eservice_id)
    eservice_services.draft_from_version(_version(eservice, number), by=request.user)
    messages.success(
        request,
        _("Version %(number)s är kopierad till utkastet. Ändra den och publicera den som en "
          "ny version.") % {"number": number},
    )  # fmt: skip
    return redirect("backoffice:manage_eservice_publish", eservice_id=eservice.pk)


@require_POST
@editor_required
def discard_draft(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    eservice = get_eservice_for_admin(request, eservice_id)
    if eservice_services.discard_draft(eservice, by=request.user):
        messages.success(request, _("Utkastet är borttaget."))
    return redirect("backoffice:manage_eservice", eservice_id=eservice.pk)


@require_safe
@editor_required
def compare_versions(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Jämför": ``fran`` and ``till`` are version numbers or "utkast"; by default the
    draft against the published version, or the latest version against the one before."""
    eservice = get_eservice_for_admin(request, eservice_id)
    draft = EServiceDraft.objects.filter(eservice=eservice).first()
    current = eservice.current_version
    numbers = list(eservice.versions.order_by("-number").values_list("number", flat=True))
    newest = [str(number) for number in numbers[:2]]
    if draft is not None:
        default_from, default_to = (newest[0] if newest else ""), DRAFT
    else:
        default_from = newest[1] if len(newest) > 1 else ""
        default_to = newest[0] if newest else ""
    chosen_from = request.GET.get("fran", default_from)
    chosen_to = request.GET.get("till", default_to)
    before, problems = _side(eservice, draft, chosen_from)
    after, after_problems = _side(eservice, draft, chosen_to)
    problems += after_problems
    context = {
        "eservice": eservice,
        "draft": draft,
        "current": current,
        "choices": ([(DRAFT, _("Utkastet"))] if draft else [])
        + [(str(number), _("Version %(number)s") % {"number": number}) for number in numbers],
        "chosen_from": chosen_from,
        "chosen_to": chosen_to,
        "problems": problems,
        "differences": compare(before, after) if before and after else None,
    }
    return render(request, "backoffice/manage/eservice_compare.html", context)


def _side(
    eservice: EService, draft: EServiceDraft | None, chosen: str
) -> tuple[Definition | None, list[tuple[str, str]]]:
    """The definition ``chosen`` names (None for nothing chosen), or why it cannot be
    compared."""
    if not chosen:
        return None, []
    if chosen == DRAFT:
        if draft is None:
            raise Http404
        try:
            return parse_definition(load_definition_text(draft.text)), []
        except DefinitionError as error:
            return None, list(error.problems)
    if not (chosen.isascii() and chosen.isdigit()):
        raise Http404
    return parse_definition(_version(eservice, int(chosen)).definition), []


@require_safe
@editor_required
def copy_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Kopiera en e-tjänst": find a published e-service of any municipality of the
    installation to start one's own from."""
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    found = search_catalogue(query)[:COPY_CANDIDATES] if query else []
    context = {"municipality": _municipality(request), "query": query, "found": found}
    return render(request, "backoffice/manage/eservice_copy_search.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def copy(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A copy of a published e-service as a new e-service of one's own municipality, its
    form as a draft to change before it is published."""
    source = get_published_eservice(slug)
    form = CopyEServiceForm(
        _posted(request),
        initial={"title": source.title, "slug": f"{source.slug}-{_municipality(request).slug}"},
    )
    if request.method == "POST" and form.is_valid():
        eservice = eservice_services.copy_eservice(
            source,
            by=request.user,
            municipality=_municipality(request),
            slug=form.cleaned_data["slug"],
            title=form.cleaned_data["title"],
        )
        messages.success(
            request,
            _("%(title)s är kopierad. Formuläret är ett utkast: se över det och publicera det, "
              "så visas e-tjänsten bland kommunens e-tjänster.") % {"title": eservice.title},
        )  # fmt: skip
        return redirect("backoffice:manage_eservice_publish", eservice_id=eservice.pk)
    context = {"source": source, "form": form, "municipality": _municipality(request)}
    return render(request, "backoffice/manage/eservice_copy.html", context)

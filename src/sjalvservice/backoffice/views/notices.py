"""Notices in the back office: which e-mail a member of staff wants ("Mina notiser"), and
a municipality's own texts for the notices of its e-services, with a preview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.backoffice.access import municipality_admin_required, staff_required
from sjalvservice.backoffice.views.manage import get_eservice_for_admin
from sjalvservice.eservices.models import EService
from sjalvservice.notifications.forms import (
    PARTS,
    ReminderForm,
    StaffEmailForm,
    TextOverrideForm,
    placeholder_list,
)
from sjalvservice.notifications.kinds import (
    NOTICE_KINDS,
    PLACEHOLDERS,
    STAFF_KINDS,
    Kind,
    Texts,
    default_texts,
)
from sjalvservice.notifications.models import TextOverride
from sjalvservice.notifications.texts import render as render_notice

# The case number the preview shows in place of a real one.
PREVIEW_NUMBER = "1234"


def _posted(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina notiser": the events a member of staff hears of by e-mail."""
    form = StaffEmailForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina val av notiser är sparade."))
        return redirect("backoffice:notification_settings")
    return render(request, "backoffice/notification_settings.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def eservice_notices(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """The notices of one e-service: which have texts of their own, and the reminder."""
    eservice = get_eservice_for_admin(request, eservice_id)
    form = ReminderForm(_posted(request), initial={"days": eservice.supplement_reminder_days})
    if request.method == "POST" and form.is_valid():
        EService.objects.filter(pk=eservice.pk).update(
            supplement_reminder_days=form.cleaned_data["days"]
        )
        messages.success(request, _("Påminnelsen är sparad."))
        return redirect("backoffice:manage_eservice_notices", eservice.pk)
    own: dict[str, list[str]] = {}
    for kind, language in TextOverride.objects.filter(eservice=eservice).values_list(
        "kind", "language"
    ):
        own.setdefault(kind, []).append(language)
    names = dict(settings.LANGUAGES)
    rows = [
        {
            "kind": kind,
            "for_staff": kind in STAFF_KINDS,
            "own": [str(names[code]) for code in names if code in own.get(kind, [])],
        }
        for kind in Kind
        if kind in NOTICE_KINDS
    ]
    context = {"eservice": eservice, "rows": rows, "form": form}
    return render(request, "backoffice/manage/notices.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def eservice_notice(request: AuthenticatedHttpRequest, eservice_id: int, kind: str) -> HttpResponse:
    """One notice's own texts in both languages; "Förhandsgranska" shows them filled in
    as the recipient will see them, without saving."""
    eservice = get_eservice_for_admin(request, eservice_id)
    if kind not in NOTICE_KINDS:
        raise Http404
    form = TextOverrideForm(_posted(request), eservice=eservice, kind=kind)
    previews = None
    if request.method == "POST" and form.is_valid():
        if "preview" not in request.POST:
            form.save(by=request.user)
            messages.success(
                request, _("Texterna för %(kind)s är sparade.") % {"kind": Kind(kind).label}
            )
            return redirect("backoffice:manage_eservice_notices", eservice.pk)
        previews = _previews(eservice, kind, form.cleaned_data)
    context = {
        "eservice": eservice,
        "kind": Kind(kind),
        "form": form,
        "languages": [
            (code, name, [form[f"{part}_{code}"] for part in PARTS])
            for code, name in settings.LANGUAGES
        ],
        "placeholders": [("{" + name + "}", meaning) for name, meaning in PLACEHOLDERS.items()],
        "placeholder_list": placeholder_list(),
        "previews": previews,
        "number": PREVIEW_NUMBER,
    }
    response = render(request, "backoffice/manage/notice.html", context)
    # The e-mail previews carry their styles inline, as e-mail must.
    response.csp_inline_styles = previews is not None  # type: ignore[attr-defined]
    return response


def _previews(eservice: EService, kind: str, cleaned: dict[str, Any]) -> list[dict[str, Any]]:
    """The notice in each language as sent, from the texts in the form (blank: default)."""
    for_staff = kind in STAFF_KINDS
    path = reverse("backoffice:case" if for_staff else "cases:case", args=[int(PREVIEW_NUMBER)])
    notice_ahead = dt.timedelta(days=settings.DRAFT_EXPIRY_NOTICE_DAYS)
    values = {
        "e_tjanst": eservice.title,
        "arendenummer": PREVIEW_NUMBER,
        "kommun": eservice.municipality.name,
        "lank": settings.SITE_URL + path,
        # As in the notice of a draft about to be deleted, told of today.
        "borttagningsdatum": f"{timezone.localdate() + notice_ahead:%Y-%m-%d}",
    }
    previews = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            default = default_texts(kind)
        texts = Texts(
            **{part: cleaned[f"{part}_{code}"].strip() or getattr(default, part) for part in PARTS}
        )
        rendered = render_notice(texts, values, code, for_staff=for_staff)
        previews.append({"code": code, "name": name, "rendered": rendered})
    return previews

"""The words of a notice: the portal's defaults or the e-service's own, filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sjalvservice.notifications.kinds import Texts, default_texts, fill
from sjalvservice.notifications.models import TextOverride


@dataclass(frozen=True)
class Rendered:
    """One notice as sent. ``text`` and ``html`` are whole documents as rendered (Django
    marks them safe): a page that shows them must escape them (``force_escape``)."""

    subject: str
    text: str
    html: str
    sms: str


def texts_for(eservice_id: int, kind: str, language: str) -> Texts:
    """The texts in ``language``: each of the e-service's own that is not blank, else
    the default."""
    with translation.override(language):
        default = default_texts(kind)
    override = TextOverride.objects.filter(
        eservice_id=eservice_id, kind=kind, language=language
    ).first()
    if override is None:
        return default
    return Texts(
        subject=override.subject or default.subject,
        body=override.body or default.body,
        sms=override.sms or default.sms,
    )


def values_for(case: Any, path: str) -> dict[str, str]:
    """What the placeholders stand for: nothing but names, the number, the link and, for a
    draft its owner was told is about to expire, the day it will be deleted."""
    # The owner of a draft is told DRAFT_EXPIRY_NOTICE_DAYS before it is deleted (see
    # cases.drafts); a case submitted since is kept.
    noticed = case.expiry_noticed_at if case.is_draft else None
    notice = timedelta(days=settings.DRAFT_EXPIRY_NOTICE_DAYS)
    due = noticed + notice if noticed else None
    return {
        "e_tjanst": case.eservice.title,
        "arendenummer": str(case.number or ""),
        "kommun": case.municipality.name,
        "lank": settings.SITE_URL + path,
        "borttagningsdatum": f"{timezone.localdate(due):%Y-%m-%d}" if due else "",
    }


def render(texts: Texts, values: dict[str, str], language: str, *, for_staff: bool) -> Rendered:
    """The e-mail (plain text and HTML) and the SMS of one notice."""
    body = fill(texts.body, values)
    context = {
        "body": body,
        "link": values["lank"],
        "municipality": values["kommun"],
        "for_staff": for_staff,
    }
    with translation.override(language):
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", {**context, "language": language})
    return Rendered(
        subject=" ".join(fill(texts.subject, values).split()),
        text=text,
        html=html,
        sms=fill(texts.sms, values),
    )

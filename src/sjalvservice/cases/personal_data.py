"""Everything the portal holds about one person, for "Mina personuppgifter" (GDPR art. 15).

The same data goes out as JSON (at once) and as a PDF (made by the task worker). The cost is
a fixed number of queries, whatever the person has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from sjalvservice.accounts.models import Engagement, Profile
from sjalvservice.cases import runner
from sjalvservice.cases.models import Attachment, Case, CaseEvent, Message, PersonalDataExport
from sjalvservice.cases.pdf import LOCAL_TIME, render_pdf
from sjalvservice.cases.selectors import citizen_event_name
from sjalvservice.eservices.definitions import summarise

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User


def personal_data(user: User, *, readable: bool = False) -> dict[str, Any]:
    """The person's data as plain JSON-able values (times in ISO 8601).

    ``readable`` adds each revision's answers as the e-service words them (for the PDF).
    """
    profile = Profile.objects.filter(user=user).first()
    cases = (
        Case.objects.for_citizen(user)
        .select_related("eservice", "municipality", "status")
        .prefetch_related(
            "revisions",
            Prefetch("events", queryset=CaseEvent.objects.select_related("status")),
            Prefetch("messages__attachments", queryset=Attachment.objects.order_by("pk")),
        )
        .order_by("created_at", "pk")
    )
    return {
        "person": {
            "personal_identity_number": user.personal_identity_number,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "registered": _time(user.date_joined),
            "last_login": _time(user.last_login),
        },
        "details": _details(profile),
        "organisations": [
            {
                "organisation_number": engagement.organisation.organisation_number,
                **{name: getattr(engagement, name) for name in ENGAGEMENT_FIELDS},
            }
            for engagement in Engagement.objects.filter(user=user).select_related("organisation")
        ],
        "cases": [_case(case, readable=readable) for case in cases],
    }


ENGAGEMENT_FIELDS = (
    "name", "legal_form", "street", "postal_code", "city", "contact_person", "phone", "email",
    "notify_email", "notify_sms",
)  # fmt: skip


def _details(profile: Profile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    names = ("street", "postal_code", "city", "phone", "mobile", "email", "email_confirmed",
             "notify_email", "notify_sms")  # fmt: skip
    return {name: getattr(profile, name) for name in names}


def _case(case: Case, *, readable: bool) -> dict[str, Any]:
    definition = runner.definition_of(case) if readable else None
    revisions = []
    for revision in case.revisions.all():
        item = {
            "version": revision.number,
            "submitted": _time(revision.created_at),
            "answers": revision.answers,
        }
        if definition is not None:
            item["summary"] = [
                {"title": step.title, "rows": [[row.label, row.display] for row in step.rows]}
                for step in summarise(definition, revision.answers)
            ]
        revisions.append(item)
    return {
        "number": case.number,
        "eservice": case.eservice.title,
        "municipality": case.municipality.name,
        "status": case.status.label,
        "created": _time(case.created_at),
        "submitted": _time(case.submitted_at),
        "draft_answers": case.answers if case.number is None else None,
        "revisions": revisions,
        "history": [_event(event) for event in case.events.all()],
        "messages": [_message(message) for message in case.messages.all()],
    }


def _event(event: CaseEvent) -> dict[str, Any]:
    return {
        "event": citizen_event_name(event.kind),  # as the resident reads it
        "details": event.details,
        "status": event.status.label,
        "person": event.person_name,
        "time": _time(event.created_at),
    }


def _message(message: Message) -> dict[str, Any]:
    return {
        "from_citizen": message.from_citizen,
        "sender": message.sender_name,
        "text": message.text,
        "sent": _time(message.created_at),
        "read": _time(message.read_at),
        "attachments": [
            {"name": item.name, "size": item.size, "type": item.content_type}
            for item in message.attachments.all()
        ],
    }


def _time(value: Any) -> str | None:
    return timezone.localtime(value, LOCAL_TIME).isoformat(timespec="seconds") if value else None


def make_pdf(export_id: int) -> str | None:
    """Render and store the PDF of an export request; its storage key (None if gone)."""
    export = PersonalDataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None:
        return None
    if export.key:
        return export.key
    with translation.override("sv"), timezone.override(LOCAL_TIME):
        html = render_to_string(
            "cases/pdf/personal_data.html",
            {"portal_name": settings.PORTAL_NAME,
             "data": personal_data(export.user, readable=True),
             "made": timezone.now()},
        )  # fmt: skip
    content = render_pdf(html)
    storage = storages["default"]
    key = storage.save(f"exports/{get_random_string(32)}.pdf", ContentFile(content))
    PersonalDataExport.objects.filter(pk=export.pk).update(key=key, finished_at=timezone.now())
    return key

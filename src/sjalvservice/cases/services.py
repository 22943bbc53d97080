"""The only writers of cases: start, save and delete drafts, submit.

Each function is atomic and writes the case's history (``CaseEvent``) in the same
transaction as the change itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sjalvservice.cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseRevision,
    Status,
    StatusKind,
)

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User
    from sjalvservice.eservices.models import EService


class CaseNotEditable(Exception):
    """The case's status does not allow this change (e.g. editing a submitted case)."""


class EServiceUnavailable(Exception):
    """The e-service is inactive or has no published version."""


def status_for(case: Case, kind: StatusKind) -> Status:
    """The status of ``kind`` for this case: the version's own, else the shared default."""
    for spec in case.eservice_version.definition.get("statuses") or ():
        if spec.get("kind") == kind:
            status, _created = Status.objects.get_or_create(
                municipality=case.municipality, name=spec["name"], defaults={"kind": kind}
            )
            return status
    return Status.objects.default_for(kind)


@transaction.atomic
def start_draft(eservice: EService, *, owner: User | None) -> Case:
    """A new draft on the e-service's current version (pinned for the case's life)."""
    version = eservice.current_version
    if version is None or not eservice.is_active:
        raise EServiceUnavailable
    return Case.objects.create(
        eservice=eservice,
        eservice_version=version,
        municipality=eservice.municipality,
        owner=owner,
        status=Status.objects.default_for(StatusKind.DRAFT),
        last_saved_at=timezone.now(),
    )


@transaction.atomic
def save_draft(
    case: Case,
    *,
    answers: dict[str, Any],
    current_step: str,
    completed_steps: list[str],
    unsaved_input: dict[str, Any] | None = None,
) -> Case:
    """Store the answers so far; ``unsaved_input`` keeps what did not validate yet."""
    locked = _lock(case)
    if not locked.is_editable:
        raise CaseNotEditable
    locked.answers = answers
    locked.unsaved_input = unsaved_input or {}
    locked.current_step = current_step
    locked.completed_steps = completed_steps
    locked.last_saved_at = timezone.now()
    locked.save(
        update_fields=[
            "answers",
            "unsaved_input",
            "current_step",
            "completed_steps",
            "last_saved_at",
        ]
    )
    return locked


@transaction.atomic
def delete_draft(case: Case) -> None:
    """ "Ta bort" on Mina sidor: only drafts can be deleted, with the files uploaded to them."""
    locked = _lock(case)
    if locked.status.kind != StatusKind.DRAFT:
        raise CaseNotEditable
    keys = [
        upload["key"]
        for field_key in _keys_of_type(locked, "file")
        for upload in locked.answers.get(field_key) or []
        if isinstance(upload, dict) and upload.get("key")
    ]
    locked.delete()
    transaction.on_commit(lambda: _delete_files(keys))


def _delete_files(keys: list[str]) -> None:
    storage = storages["default"]
    for key in keys:
        storage.delete(key)


@transaction.atomic
def submit(case: Case, *, by: User | None, answers: dict[str, Any]) -> Case:
    """Submit a draft: number it, set "Inskickat", record the event, update the profile.

    Submitting a case that is already submitted returns it unchanged, so a double
    click or a resent form never creates a second case or a second number.
    """
    locked = _lock(case)
    if locked.number is not None:
        return locked
    if locked.status.kind != StatusKind.DRAFT:
        raise CaseNotEditable
    now = timezone.now()
    locked.number = _next_number()
    locked.status = status_for(locked, StatusKind.SUBMITTED)
    locked.answers = answers
    locked.unsaved_input = {}
    locked.submitted_at = now
    locked.last_event_at = now
    locked.last_saved_at = now
    locked.save()
    CaseRevision.objects.create(case=locked, number=1, answers=answers, created_by=by)
    CaseEvent.objects.create(
        case=locked,
        kind=CaseEvent.Kind.SUBMITTED,
        status=locked.status,
        person=by,
        person_name=by.get_full_name() if by else "",
    )
    if by is not None and by.is_citizen:
        _save_contact_details(by, answers, locked)
        _save_new_organisations(by, answers, locked)
    return locked


@transaction.atomic
def supplement(case: Case, *, by: User | None, answers: dict[str, Any]) -> Case:
    """ "Ändra ärende" sent in: a new revision (the earlier ones are kept), "Kompletterat".

    Sending the same supplement again returns the case unchanged.
    """
    locked = _lock(case)
    latest = locked.revisions.order_by("-number").first()
    if locked.status.kind == StatusKind.SUPPLEMENTED and latest and latest.answers == answers:
        return locked
    if locked.status.kind != StatusKind.AWAITING_SUPPLEMENT or latest is None:
        raise CaseNotEditable
    now = timezone.now()
    locked.status = status_for(locked, StatusKind.SUPPLEMENTED)
    locked.answers = answers
    locked.unsaved_input = {}
    locked.last_event_at = now
    locked.last_saved_at = now
    locked.save()
    CaseRevision.objects.create(
        case=locked, number=latest.number + 1, answers=answers, created_by=by
    )
    CaseEvent.objects.create(
        case=locked,
        kind=CaseEvent.Kind.SUPPLEMENTED,
        status=locked.status,
        person=by,
        person_name=by.get_full_name() if by else "",
    )
    if by is not None and by.is_citizen:
        _save_contact_details(by, answers, locked)
    return locked


@transaction.atomic
def set_status(case: Case, *, status: Status, by: User) -> Case:
    """A handler changes the case's status ("Status ändrad")."""
    locked = _lock(case)
    if locked.number is None:
        raise CaseNotEditable
    locked.status = status
    locked.last_event_at = timezone.now()
    locked.save(update_fields=["status", "last_event_at"])
    CaseEvent.objects.create(
        case=locked,
        kind=CaseEvent.Kind.STATUS_CHANGED,
        status=status,
        person=by,
        person_name=by.get_full_name(),
    )
    return locked


def _lock(case: Case) -> Case:
    # No joins in the locking query: PostgreSQL re-checks a join against the row the first
    # submitter just changed (its status), and those waiting behind it would find no row.
    return Case.objects.select_for_update().get(pk=case.pk)


def _next_number() -> int:
    """The next case number; the row lock makes concurrent submissions take turns."""
    if not CaseNumberSequence.objects.filter(pk=1).update(last_number=F("last_number") + 1):
        # The migration seeds the row; a flushed test database may not have it.
        CaseNumberSequence.objects.get_or_create(pk=1)
        CaseNumberSequence.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    return CaseNumberSequence.objects.values_list("last_number", flat=True).get(pk=1)


def _save_new_organisations(user: User, answers: dict[str, Any], case: Case) -> None:
    """An organisation added in an e-service joins the person's Mina engagemang."""
    from sjalvservice.accounts.models import Engagement, Organisation

    for key in _keys_of_type(case, "organisation"):
        answer = answers.get(key)
        if (
            not isinstance(answer, dict)
            or answer.get("id")
            or not answer.get("organisation_number")
        ):
            continue
        organisation, _created = Organisation.objects.get_or_create(
            organisation_number=answer["organisation_number"],
            defaults={"name": answer.get("name") or answer["organisation_number"]},
        )
        Engagement.objects.get_or_create(user=user, organisation=organisation)


def _keys_of_type(case: Case, field_type: str) -> list[str]:
    return [
        field["key"]
        for step in case.eservice_version.definition.get("steps", [])
        for field in step.get("fields", [])
        if field.get("type") == field_type
    ]


def _save_contact_details(user: User, answers: dict[str, Any], case: Case) -> None:
    """ "Dina kontaktuppgifter kommer att sparas under mina uppgifter."""
    from sjalvservice.accounts.models import Profile

    contact_keys = [
        field["key"]
        for step in case.eservice_version.definition.get("steps", [])
        for field in step.get("fields", [])
        if field.get("type") == "contact"
    ]
    contact = next(
        (answers[key] for key in contact_keys if isinstance(answers.get(key), dict)), None
    )
    if contact is None:
        return
    profile, _created = Profile.objects.get_or_create(user=user)
    for name in ("street", "postal_code", "city", "phone", "mobile", "email"):
        if name in contact:
            setattr(profile, name, contact[name] or "")
    for name in ("notify_email", "notify_sms"):
        if name in contact:
            setattr(profile, name, bool(contact[name]))
    profile.save()

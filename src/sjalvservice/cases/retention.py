"""Gallring: closed cases removed with their files once their e-service's time is up.

An e-service's ``retention_days`` counts from a closed case's last event (a message after
closing starts the time again); None keeps its cases, as an e-service whose cases must be
archived needs. ``sjalvservice tick`` runs ``purge_closed_cases`` once a minute, at most
``RETENTION_TICK_BATCH`` cases a run, the cases that have waited longest first.

A purged case leaves one ``PurgedCase`` row, the purge log that municipality administrators
read: its number, e-service and dates, nothing of what the person wrote. Everything of the
case goes with it: answers, versions and their PDF copies, messages and their files,
internal notes, history and notices. Bookings and queue places are the reservations' own
records and stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from sjalvservice.cases.models import Attachment, Case, PurgedCase, StatusKind
from sjalvservice.cases.runner import definition_of
from sjalvservice.core import uploads
from sjalvservice.eservices.definitions.fields.files import answer_files
from sjalvservice.eservices.models import EService


def purge_closed_cases(now: datetime) -> int:
    """Purge the closed cases whose e-service's retention has run out; how many."""
    budget = settings.RETENTION_TICK_BATCH
    purged = 0
    eservices = EService.objects.filter(retention_days__isnull=False).only(
        "pk", "title", "municipality_id", "retention_days"
    )
    for eservice in eservices.order_by("pk"):
        assert eservice.retention_days is not None
        due = (
            Case.objects.filter(
                eservice=eservice,
                status_kind=StatusKind.CLOSED,
                last_event_at__lt=_cutoff(now, eservice.retention_days),
            )
            .order_by("last_event_at", "pk")
            .values_list("pk", flat=True)[: budget - purged]
        )
        for pk in list(due):
            purged += purge_case(pk, eservice, now)
        if purged >= budget:
            break
    return purged


@transaction.atomic
def purge_case(pk: int, eservice: EService, now: datetime) -> int:
    """Remove one case if it is still closed and past its e-service's retention (a handler
    may have reopened it since it was found); 1 if it was removed, else 0."""
    assert eservice.retention_days is not None
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("eservice_version")
        .filter(
            pk=pk,
            status_kind=StatusKind.CLOSED,
            last_event_at__lt=_cutoff(now, eservice.retention_days),
        )
        .first()
    )
    if case is None:
        return 0
    keys = stored_files(case)
    assert case.number is not None  # a closed case was submitted
    PurgedCase.objects.create(
        number=case.number,
        municipality_id=case.municipality_id,
        eservice=eservice,
        eservice_title=eservice.title,
        submitted_at=case.submitted_at,
        last_event_at=case.last_event_at,
        retention_days=eservice.retention_days,
        files=len(keys),
        purged_at=now,
    )
    case.delete()
    transaction.on_commit(lambda: uploads.delete_stored(keys))
    return 1


def stored_files(case: Case) -> list[str]:
    """The storage keys of every file of the case: its answers' and its versions' files,
    the versions' PDF copies and the messages' attachments."""
    definition = definition_of(case)
    keys = {item["key"] for _field, item in answer_files(definition, case.answers)}
    for answers, pdf in case.revisions.values_list("answers", "pdf"):
        keys.update(item["key"] for _field, item in answer_files(definition, answers))
        if pdf:
            keys.add(pdf)
    keys.update(Attachment.objects.filter(message__case=case).values_list("key", flat=True))
    return sorted(keys)


def _cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)

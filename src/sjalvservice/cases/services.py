"""The only writers of cases: start, save and delete drafts, submit.

Each function is atomic and writes the case's history (``CaseEvent``) in the same
transaction as the change itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sjalvservice.accounts.models import Organisation
from sjalvservice.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseRevision,
    Message,
    Note,
    Status,
    StatusKind,
    SystemReference,
)
from sjalvservice.cases.runner import definition_of, definition_of_version
from sjalvservice.cases.signals import event_recorded
from sjalvservice.core import ratelimit, uploads
from sjalvservice.eservices.definitions.fields.booking import describe_slot, parse_start
from sjalvservice.eservices.definitions.fields.files import answer_files
from sjalvservice.eservices.definitions.schema import LanguageTexts
from sjalvservice.notifications import outbox
from sjalvservice.notifications.kinds import Channel, Kind
from sjalvservice.notifications.models import Delivery
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Booking, Queue, QueuePlace, Resource

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User
    from sjalvservice.eservices.definitions import StatusSpec
    from sjalvservice.eservices.models import EService, EServiceVersion


class CaseNotEditable(Exception):
    """The case's status does not allow this change (e.g. editing a submitted case)."""


class EServiceUnavailable(Exception):
    """The e-service is inactive, closed for new cases or has no published version."""


class StaleCase(Exception):
    """Someone else changed the case since this form was shown: reload and try again."""


class MessageRequired(Exception):
    """ "Väntar på komplettering" needs a message telling the citizen what to supplement."""


class StatusNotAllowed(Exception):
    """The status does not belong to the case's e-service or municipality."""


def status_for(case: Case, kind: StatusKind) -> Status:
    """The status of ``kind`` this case gets: the first of that kind in its definition."""
    spec = next((spec for spec in definition_of(case).statuses if spec.kind == kind), None)
    if spec is None:
        return Status.objects.default_for(kind)
    return _statuses_named(case.municipality_id, [spec])[0]


def statuses_for(case: Case) -> list[Status]:
    """The statuses a handler may give ``case``: its definition's, each name once, in the
    order of the kinds (and the definition's order within a kind).

    A status named as a shared default is the shared one, unless the municipality has its
    own status of that name and kind, which then replaces it; the others are the
    municipality's own, made when the version was published (``ensure_statuses``). One
    query.
    """
    specs = [spec for spec in definition_of(case).statuses if spec.kind != StatusKind.DRAFT]
    order = {kind: index for index, kind in enumerate(StatusKind)}
    statuses: dict[str, Status] = {}
    for status in _statuses_named(case.municipality_id, specs):
        statuses.setdefault(status.name, status)
    return sorted(statuses.values(), key=lambda status: order[StatusKind(status.kind)])


def ensure_statuses(version: EServiceVersion) -> None:
    """Make the municipality's own statuses that a newly published version names."""
    shared = set(Status.objects.shared().values_list("name", "kind"))
    municipality_id = version.eservice.municipality_id
    definition = definition_of_version(version)
    english = ((definition.translations or {}).get("en") or LanguageTexts()).statuses or {}
    for spec in definition.statuses:
        if (spec.name, spec.kind) not in shared:
            status, _created = Status.objects.get_or_create(
                municipality_id=municipality_id,
                name=spec.name,
                defaults={"kind": spec.kind, "name_en": english.get(spec.name, "")},
            )
            if english.get(spec.name) and status.name_en != english[spec.name]:
                # The newest version's English name is the status's: it is the
                # municipality's one status of that name.
                status.name_en = english[spec.name]
                status.save(update_fields=["name_en"])


def _statuses_named(municipality_id: int, specs: Sequence[StatusSpec]) -> list[Status]:
    """The status of each spec: the municipality's own of that name and kind, else the
    shared one, else the municipality's own of that name."""
    names = {spec.name for spec in specs}
    found = {
        (status.municipality_id is None, status.name): status
        for status in Status.objects.filter(
            Q(municipality__isnull=True) | Q(municipality_id=municipality_id), name__in=names
        )
    }
    statuses = []
    for spec in specs:
        own, shared = found.get((False, spec.name)), found.get((True, spec.name))
        if own is not None and own.kind == spec.kind:
            statuses.append(own)
        elif shared is not None and shared.kind == spec.kind:
            statuses.append(shared)
        elif own is not None:
            statuses.append(own)
        else:
            raise Status.DoesNotExist(spec.name)
    return statuses


class DraftLimitReached(Exception):
    """No new draft: the person, or the browser without login, has as many as allowed, or
    too many have been started from the client's address this minute (``reason``)."""

    PERSON = "person"
    SESSION = "session"
    ADDRESS = "address"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def start_draft(
    eservice: EService,
    *,
    owner: User | None,
    session_cases: Collection[str] = (),
    client_address: str = "",
) -> Case:
    """A new draft on the e-service's current version (pinned for the case's life).

    A person has at most ``DRAFT_LIMIT_PER_PERSON`` drafts. Without login the browser's
    ``session_cases`` (the references it remembers) hold at most
    ``DRAFT_LIMIT_PER_SESSION`` drafts, and ``client_address`` starts at most
    ``DRAFT_START_LIMIT`` a minute; past any of them ``DraftLimitReached``. Each count
    reads only the person's or the session's own cases.
    """
    version = eservice.current_version
    if version is None or not eservice.is_active or not eservice.accepts_cases:
        raise EServiceUnavailable
    if owner is not None:
        limit = settings.DRAFT_LIMIT_PER_PERSON
        # Counting stops at the limit: a person with thousands of drafts costs no more.
        if Case.objects.for_citizen(owner).drafts()[:limit].count() >= limit:
            raise DraftLimitReached(DraftLimitReached.PERSON)
    elif session_cases:
        held = Case.objects.drafts().filter(owner__isnull=True, reference__in=list(session_cases))
        if held.count() >= settings.DRAFT_LIMIT_PER_SESSION:
            raise DraftLimitReached(DraftLimitReached.SESSION)
    # Counted last and in this transaction, so that only the drafts started count.
    started_here = f"draft-start:{client_address}"
    if (
        owner is None
        and client_address
        and not ratelimit.allow(started_here, settings.DRAFT_START_LIMIT)
    ):
        raise DraftLimitReached(DraftLimitReached.ADDRESS)
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
    """Store the answers so far; ``unsaved_input`` keeps what did not validate yet.

    Files the answers no longer hold ("Ta bort", or a field now hidden) are deleted once
    the change is committed, unless a submitted revision of the case still holds them.
    """
    locked = _lock(case)
    if not locked.is_editable:
        raise CaseNotEditable
    let_go = _files_let_go(locked, answers)
    if let_go:
        transaction.on_commit(lambda: uploads.delete_stored(let_go))
    if locked.expiry_noticed_at is not None:
        # Saving starts the draft's time again: the notice that it is about to be deleted
        # no longer holds, and what of it is not sent yet never will be.
        outbox.cancel(locked, [Kind.DRAFT_EXPIRING])
    locked.answers = answers
    locked.title = definition_of(locked).case_title(answers)
    locked.unsaved_input = unsaved_input or {}
    locked.current_step = current_step
    locked.completed_steps = completed_steps
    locked.last_saved_at = timezone.now()
    locked.expiry_noticed_at = None
    locked.save(
        update_fields=[
            "answers",
            "title",
            "unsaved_input",
            "current_step",
            "completed_steps",
            "last_saved_at",
            "expiry_noticed_at",
        ]
    )
    return locked


def _files_let_go(case: Case, answers: dict[str, Any]) -> list[str]:
    """The storage keys of the files the case's answers hold and ``answers`` do not, that
    none of its submitted revisions holds either (an "Ändra ärende" starts from them)."""
    definition = definition_of(case)

    def keys(values: dict[str, Any]) -> set[str]:
        return {item["key"] for _field, item in answer_files(definition, values)}

    let_go = keys(case.answers) - keys(answers)
    if let_go:
        for submitted in case.revisions.values_list("answers", flat=True):
            let_go -= keys(submitted)
    return sorted(let_go)


@transaction.atomic
def delete_draft(case: Case) -> None:
    """ "Ta bort" on Mina sidor: only drafts can be deleted, with the files uploaded to them."""
    locked = _lock(case)
    if locked.status_kind != StatusKind.DRAFT:
        raise CaseNotEditable
    keys = [item["key"] for _field, item in answer_files(definition_of(locked), locked.answers)]
    locked.delete()
    transaction.on_commit(lambda: uploads.delete_stored(keys))


@transaction.atomic
def submit(case: Case, *, by: User | None, answers: dict[str, Any]) -> Case:
    """Submit a draft: number it, set "Inskickat", record the event, update the profile.

    Submitting a case that is already submitted returns it unchanged, so a double
    click or a resent form never creates a second case or a second number.
    """
    locked = _lock(case)
    if locked.number is not None:
        return locked
    if locked.status_kind != StatusKind.DRAFT:
        raise CaseNotEditable
    now = timezone.now()
    locked.number = _next_number()
    locked.move_to(status_for(locked, StatusKind.SUBMITTED))
    locked.answers = answers
    locked.title = definition_of(locked).case_title(answers)
    locked.unsaved_input = {}
    locked.submitted_at = now
    locked.last_saved_at = now
    locked.due_at = now + timedelta(days=locked.eservice.handling_days)
    locked.version += 1
    if by is not None and by.is_citizen:
        # First, so that the receipt goes where the contact block now says.
        _save_contact_details(by, answers, locked)
        _save_new_organisations(by, answers, locked)
    _event(locked, CaseEvent.Kind.SUBMITTED, by)
    _book(locked, by, answers)
    _join_queue(locked, by, at_status=None)
    locked.save()
    _new_revision(locked, number=1, answers=answers, by=by)
    return locked


@transaction.atomic
def supplement(case: Case, *, by: User | None, answers: dict[str, Any]) -> Case:
    """ "Ändra ärende" sent in: a new revision (the earlier ones are kept), "Kompletterat".

    Sending the same supplement again returns the case unchanged.
    """
    locked = _lock(case)
    latest = locked.revisions.order_by("-number").first()
    if locked.status_kind == StatusKind.SUPPLEMENTED and latest and latest.answers == answers:
        return locked
    if locked.status_kind != StatusKind.AWAITING_SUPPLEMENT or latest is None:
        raise CaseNotEditable
    locked.move_to(status_for(locked, StatusKind.SUPPLEMENTED))
    locked.answers = answers
    locked.title = definition_of(locked).case_title(answers)
    locked.unsaved_input = {}
    locked.last_saved_at = timezone.now()
    locked.version += 1
    if by is not None and by.is_citizen:
        _save_contact_details(by, answers, locked)
    _event(locked, CaseEvent.Kind.SUPPLEMENTED, by)
    _rebook(locked, by, answers)
    locked.save()
    _new_revision(locked, number=latest.number + 1, answers=answers, by=by)
    return locked


@transaction.atomic
def set_status(
    case: Case,
    *,
    status: Status,
    by: User,
    message: str = "",
    files: Sequence[uploads.Accepted] = (),
    expected_version: int | None = None,
) -> Case:
    """A handler changes the case's status ("Status ändrad").

    "Väntar på komplettering" must tell the citizen what to supplement: the message is
    sent in the same step and recorded as "Meddelande skickat till invånaren" first.
    """
    locked = _lock(case, expected_version)
    if locked.number is None:
        raise CaseNotEditable
    if status.kind == StatusKind.DRAFT or status not in statuses_for(locked):
        raise StatusNotAllowed
    if status.kind == StatusKind.AWAITING_SUPPLEMENT and not message.strip():
        raise MessageRequired
    if message.strip():
        # The status's notice tells of the message too: one notice, not two.
        _record_message(locked, by=by, text=message, files=files, token=None, notify=False)
    locked.move_to(status)
    locked.version += 1
    _event(locked, CaseEvent.Kind.STATUS_CHANGED, by)
    _join_queue(locked, by, at_status=status.name)
    locked.save(update_fields=["status", "last_event_at", "version", "queue_place"])
    return locked


def _book(case: Case, by: User | None, answers: dict[str, Any]) -> None:
    """Book the slot the booking field holds, in the submission's transaction:
    ``reservations.SlotTaken`` (or ``NotBookable``) undoes the whole submission."""
    spec = definition_of(case).booking_field()
    answer = answers.get(spec.key) if spec is not None else None
    if spec is None or not isinstance(answer, dict):
        return
    starts_at = parse_start(answer.get("starts_at"))
    resource = Resource.objects.filter(
        municipality_id=case.municipality_id, slug=spec.resource
    ).first()
    if case.owner is None or resource is None or starts_at is None:
        raise reservations.NotBookable
    case.booking = reservations.book(resource, case.owner, starts_at)
    _event(case, CaseEvent.Kind.BOOKED, by, details=_booking_text(case.booking)[:500], notify=False)


# A handler's change of a reservation, told to the person on the reservation's case.
RESERVATION_NOTICES: dict[str, Kind] = {
    CaseEvent.Kind.PLACE_OFFERED: Kind.PLACE_OFFERED,
    CaseEvent.Kind.BOOKING_CONFIRMED: Kind.BOOKING_CONFIRMED,
    CaseEvent.Kind.BOOKING_CANCELLED: Kind.BOOKING_CANCELLED,
}


@transaction.atomic
def offer_place(queue: Queue, *, by: User) -> QueuePlace | None:
    """The handler offers a place to the first in line who has none offered yet; the case
    that put them in the queue records it and tells them ("Plats erbjuden")."""
    place = reservations.offer_next(queue)
    if place is not None:
        _reservation_event(
            Case.objects.filter(queue_place=place).first(),
            CaseEvent.Kind.PLACE_OFFERED,
            by,
            _place_text(queue, place.number),
        )
    return place


@transaction.atomic
def answer_offer(place: QueuePlace, *, accepted: bool, by: User) -> QueuePlace:
    """The handler records the person's answer: yes takes the place, no keeps them in line."""
    place = reservations.answer_offer(place, accepted=accepted)
    answer = _("Tackade ja") if accepted else _("Tackade nej och står kvar i kön")
    _reservation_event(
        Case.objects.filter(queue_place=place).first(),
        CaseEvent.Kind.OFFER_ANSWERED,
        by,
        f"{place.queue.name}: {answer}",
    )
    return place


@transaction.atomic
def confirm_booking(booking: Booking, *, by: User) -> Booking:
    """The municipality confirms a preliminary booking."""
    booking = reservations.confirm_booking(booking)
    _booking_event(booking, CaseEvent.Kind.BOOKING_CONFIRMED, by)
    return booking


@transaction.atomic
def cancel_booking(booking: Booking, *, by: User) -> Booking:
    """The municipality cancels a booking, whatever the deadline."""
    booking = reservations.cancel_booking(booking, by_handler=True)
    _booking_event(booking, CaseEvent.Kind.BOOKING_CANCELLED, by)
    return booking


def _booking_event(booking: Booking, kind: CaseEvent.Kind, by: User) -> None:
    case = Case.objects.filter(booking=booking).first()
    _reservation_event(case, kind, by, _booking_text(booking))


# How long before a place's yearly confirmation runs out its person is reminded.
CONFIRMATION_REMINDER_DAYS = 30


def remind_queue_confirmations(now: datetime) -> int:
    """Remind those whose queue place must be confirmed within CONFIRMATION_REMINDER_DAYS,
    once per confirmation period, on the case that put them in the queue (run by
    ``sjalvservice tick``); how many were reminded."""
    today = timezone.localdate(now)
    due = list(
        Case.objects.filter(
            queue_place__state__in=QueuePlace.IN_LINE,
            queue_place__confirmed_until__gte=today,
            queue_place__confirmed_until__lte=today + timedelta(days=CONFIRMATION_REMINDER_DAYS),
            owner__isnull=False,
        ).select_related("queue_place", "owner", "eservice", "municipality")
    )
    kind = Kind.QUEUE_CONFIRMATION_DUE

    def source(case: Case) -> str:
        assert case.queue_place is not None
        return f"queue-place-{case.queue_place.pk}-{case.queue_place.confirmed_until}"

    def portal_key(case: Case) -> str:
        # Every reminder is on Mina sidor: its row there says it was sent.
        return outbox.delivery_key(source(case), kind, Channel.PORTAL, f"user-{case.owner_id}")

    reminded = set(
        Delivery.objects.filter(key__in=[portal_key(case) for case in due]).values_list(
            "key", flat=True
        )
    )
    path = reverse("reservations:my_queue_places")
    count = 0
    for case in due:
        if portal_key(case) not in reminded:
            with transaction.atomic():
                outbox.notify_citizen(kind, source=source(case), case=case, path=path)
            count += 1
    return count


def _booking_text(booking: Booking) -> str:
    return f"{booking.resource.name}, {describe_slot(booking.starts_at, booking.ends_at)}"


def _reservation_event(case: Case | None, kind: CaseEvent.Kind, by: User, details: str) -> None:
    """The history row (and notice) of a reservation's change, on the case it came from;
    places and bookings made outside an e-service have none."""
    if case is None or case.number is None:
        return
    locked = _lock(case)
    _event(locked, kind, by, details=details[:500])
    locked.save(update_fields=["last_event_at"])


def _rebook(case: Case, by: User | None, answers: dict[str, Any]) -> None:
    """A supplement that picks another time books it and cancels the earlier booking."""
    spec = definition_of(case).booking_field()
    if spec is None:
        return
    answer = answers.get(spec.key)
    starts_at = parse_start(answer.get("starts_at")) if isinstance(answer, dict) else None
    current = case.booking
    if current is not None and current.starts_at == starts_at:
        return
    case.booking = None
    _book(case, by, answers)
    if current is not None and current.state != current.State.CANCELLED:
        reservations.cancel_booking(current, by_handler=True)


def _join_queue(case: Case, by: User | None, *, at_status: str | None) -> None:
    """Put the applicant in the definition's queue when its moment has come: at submission
    (``at_status`` None) or when the case gets the status the definition names. At
    submission a person already in the queue is refused (``reservations.AlreadyInQueue``);
    at a handler's status change the history says so instead."""
    rule = definition_of(case).queue
    if rule is None or rule.status != at_status or case.queue_place_id or case.owner is None:
        return
    queue = Queue.objects.filter(municipality_id=case.municipality_id, slug=rule.slug).first()
    if queue is None:
        raise reservations.ReservationError
    try:
        case.queue_place = reservations.join_queue(
            queue, case.owner, organisation=_organisation_of(case)
        )
    except reservations.AlreadyInQueue:
        if at_status is None:
            raise
        already = _("%(queue)s: personen står redan i kön.") % {"queue": queue.name}
        _event(case, CaseEvent.Kind.QUEUED, by, details=already, notify=False)
        return
    details = _place_text(queue, case.queue_place.number)
    _event(case, CaseEvent.Kind.QUEUED, by, details=details, notify=False)


def _place_text(queue: Queue, number: int) -> str:
    return _("%(queue)s, könummer %(number)s") % {"queue": queue.name, "number": number}


def _organisation_of(case: Case) -> Organisation | None:
    """The organisation the case's organisation field names, for a queue of organisations."""
    for key in _keys_of_type(case, "organisation"):
        answer = case.answers.get(key)
        if isinstance(answer, dict) and answer.get("organisation_number"):
            return Organisation.objects.filter(
                organisation_number=answer["organisation_number"]
            ).first()
    return None


def send_message(
    case: Case,
    *,
    by: User,
    text: str,
    files: Sequence[uploads.Accepted] = (),
    token: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> Message:
    """A message about the case, from its citizen or from a handler, with attachments.

    The files are stored first and removed again if the message is not recorded; a form
    sent twice (same ``token``) stores one message.
    """
    if token is not None:
        existing = Message.objects.filter(token=token, case=case).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            locked = _lock(case, expected_version)
            if locked.number is None:
                raise CaseNotEditable
            message = _record_message(locked, by=by, text=text, files=files, token=token)
            if not by.is_citizen:
                locked.version += 1
            locked.save(update_fields=["last_event_at", "handler_unread", "version"])
            return message
    except IntegrityError:
        existing = Message.objects.filter(token=token, case=case).first() if token else None
        if existing is None:
            raise
        return existing


def _record_message(
    case: Case,
    *,
    by: User,
    text: str,
    files: Sequence[uploads.Accepted],
    token: uuid.UUID | None,
    notify: bool = True,
) -> Message:
    from_citizen = by.is_citizen
    stored: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            message = Message.objects.create(
                case=case,
                direction=(
                    Message.Direction.FROM_CITIZEN if from_citizen else Message.Direction.TO_CITIZEN
                ),
                sender=by,
                sender_name=by.display_name,
                text=text.strip(),
                token=token,
            )
            for accepted in files:
                stored.append(uploads.store(accepted, f"cases/{case.reference}/messages"))
                Attachment.objects.create(
                    message=message,
                    **{key: stored[-1][key] for key in ("name", "key", "size", "content_type")},
                )
    except BaseException:
        uploads.delete_stored([item["key"] for item in stored])
        raise
    if from_citizen:
        case.handler_unread = True
    _event(
        case,
        CaseEvent.Kind.MESSAGE_FROM_CITIZEN if from_citizen else CaseEvent.Kind.MESSAGE_TO_CITIZEN,
        by,
        details=Truncator(" ".join(message.text.split())).chars(60),
        notify=notify,
    )
    return message


def mark_read(case: Case, *, by: User, shown: Collection[int] | None = None) -> int:
    """The reader opened the case's messages: those sent to their side are read now.

    ``shown`` limits it to the messages the page showed, so one that arrives meanwhile
    stays unread.
    """
    if not by.is_citizen and not case.handler_unread:
        return 0  # the flag is raised with every message from the citizen
    direction = Message.Direction.TO_CITIZEN if by.is_citizen else Message.Direction.FROM_CITIZEN
    unread = Message.objects.filter(case=case, direction=direction, read_at__isnull=True)
    if shown is not None:
        unread = unread.filter(pk__in=list(shown))
    with transaction.atomic():
        count = unread.update(read_at=timezone.now())
        if not by.is_citizen and case.handler_unread:
            Case.objects.filter(pk=case.pk).update(handler_unread=False)
            case.handler_unread = False
    return count


@transaction.atomic
def assign(
    case: Case, *, handler: User | None, by: User, expected_version: int | None = None
) -> Case:
    """ "Tilldela mig" or to a colleague (``None``: nobody)."""
    locked = _lock(case, expected_version)
    if locked.number is None:
        raise CaseNotEditable
    if locked.handler_id == (handler.pk if handler else None):
        return locked
    locked.handler = handler
    locked.version += 1
    _event(
        locked,
        CaseEvent.Kind.HANDLER_ASSIGNED,
        by,
        details=handler.display_name if handler else "-",
    )
    locked.save(update_fields=["handler", "last_event_at", "version"])
    return locked


@transaction.atomic
def set_system_reference(case: Case, *, system: str, identifier: str) -> SystemReference:
    """What the case-management system ``system`` calls the case (its diarienummer)."""
    if case.number is None:
        raise CaseNotEditable
    reference, _created = SystemReference.objects.update_or_create(
        case=case, system=system, defaults={"identifier": identifier}
    )
    return reference


@transaction.atomic
def acknowledge_delivery(case: Case, *, system: str) -> SystemReference:
    """The case-management system ``system`` has taken the case; the first time counts."""
    if case.number is None:
        raise CaseNotEditable
    reference, _created = SystemReference.objects.select_for_update().get_or_create(
        case=case, system=system
    )
    if reference.acknowledged_at is None:
        reference.acknowledged_at = timezone.now()
        reference.save(update_fields=["acknowledged_at", "updated_at"])
    return reference


def add_note(case: Case, *, by: User, text: str, token: uuid.UUID | None = None) -> Note:
    """An internal note: for staff only, never shown to the citizen, no event."""
    if token is not None:
        existing = Note.objects.filter(token=token, case=case).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return Note.objects.create(
                case=case,
                author=by,
                author_name=by.display_name,
                text=text.strip(),
                token=token,
            )
    except IntegrityError:
        existing = Note.objects.filter(token=token, case=case).first() if token else None
        if existing is None:
            raise
        return existing


def _event(
    case: Case,
    kind: CaseEvent.Kind,
    by: User | None,
    *,
    details: str = "",
    notify: bool = True,
) -> CaseEvent:
    """The one door for every change of a submitted case: its "Ärendehistorik" row.

    Called inside the change's transaction with the case already changed in memory (the
    event records its new status); it moves ``last_event_at`` to the event and the caller
    saves the case after it. What must follow each change (notices, the integration
    feed, counts) is written here, so no change can leave it out.
    """
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        details=details,
        status=case.status,
        person=by,
        person_name=by.display_name if by else "",
        transaction_id=_transaction_id(),
    )
    case.last_event_at = event.created_at
    if notify:
        _notify(case, event, by)
    event_recorded.send(sender=CaseEvent, case=case, event=event)
    return event


def _transaction_id() -> RawSQL | int:
    """The id of the writing transaction on PostgreSQL, for the event feed's order; 0
    elsewhere (SQLite has one writer at a time, so the pk already follows the commits)."""
    if connection.vendor == "postgresql":
        return RawSQL("pg_current_xact_id()::text::bigint", ())
    return 0


def _notify(case: Case, event: CaseEvent, by: User | None) -> None:
    """The notices of one event, in its transaction: to the citizen on Mina sidor and as
    they chose, to staff by e-mail as each of them chose."""
    source = f"event-{event.pk}"
    mine = reverse("cases:case", args=[case.number])
    staff_path = reverse("backoffice:case", args=[case.number])

    def to_staff(notice: Kind, **who: Any) -> None:
        recipients = outbox.staff_recipients(notice, exclude=by, **who)
        outbox.record(kind=notice, source=source, case=case, path=staff_path, recipients=recipients)

    def to_handlers(notice: Kind) -> None:
        # The case's own handler once it has one; until then all who handle the e-service.
        if case.handler_id is not None:
            to_staff(notice, handler=case.handler)
        else:
            to_staff(notice, eservice_id=case.eservice_id)

    awaiting = StatusKind.AWAITING_SUPPLEMENT
    kind = event.kind
    if kind == CaseEvent.Kind.SUBMITTED:
        outbox.notify_citizen(Kind.CASE_SUBMITTED, source=source, case=case, path=mine)
        to_staff(Kind.NEW_CASE, eservice_id=case.eservice_id)
    elif kind == CaseEvent.Kind.SUPPLEMENTED:
        outbox.cancel(case, [Kind.SUPPLEMENT_REMINDER])
        to_handlers(Kind.CASE_SUPPLEMENTED)
    elif kind == CaseEvent.Kind.STATUS_CHANGED:
        outbox.cancel(case, [Kind.SUPPLEMENT_REMINDER])
        if case.status_kind != awaiting:
            outbox.notify_citizen(Kind.STATUS_CHANGED, source=source, case=case, path=mine)
            return
        outbox.notify_citizen(Kind.SUPPLEMENT_REQUESTED, source=source, case=case, path=mine)
        days = case.eservice.supplement_reminder_days
        if days:
            outbox.notify_citizen(
                Kind.SUPPLEMENT_REMINDER,
                source=source,
                case=case,
                path=mine,
                not_before=event.created_at + timedelta(days=days),
            )
    elif kind == CaseEvent.Kind.MESSAGE_TO_CITIZEN:
        outbox.notify_citizen(Kind.MESSAGE_TO_CITIZEN, source=source, case=case, path=mine)
    elif kind in RESERVATION_NOTICES:
        outbox.notify_citizen(RESERVATION_NOTICES[kind], source=source, case=case, path=mine)
    elif kind == CaseEvent.Kind.MESSAGE_FROM_CITIZEN:
        to_handlers(Kind.MESSAGE_FROM_CITIZEN)
    elif kind == CaseEvent.Kind.HANDLER_ASSIGNED and case.handler_id is not None:
        to_staff(Kind.CASE_ASSIGNED, handler=case.handler)


def _new_revision(case: Case, *, number: int, answers: dict[str, Any], by: User | None) -> None:
    revision = CaseRevision.objects.create(case=case, number=number, answers=answers, created_by=by)
    from sjalvservice.cases.tasks import make_revision_pdf

    transaction.on_commit(lambda: make_revision_pdf.enqueue(revision.pk))


def _lock(case: Case, expected_version: int | None = None) -> Case:
    # No joins in the locking query: PostgreSQL re-checks a join against the row the first
    # submitter just changed (its status), and those waiting behind it would find no row.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleCase
    return locked


def _next_number() -> int:
    """The next case number; the row lock makes concurrent submissions take turns."""
    CaseNumberSequence.objects.filter(pk=1).update(last_number=F("last_number") + 1)
    return CaseNumberSequence.objects.values_list("last_number", flat=True).get(pk=1)


def _save_new_organisations(user: User, answers: dict[str, Any], case: Case) -> None:
    """An organisation added in an e-service joins the person's Mina engagemang (their own
    record of it, if they had none yet)."""
    from sjalvservice.accounts.models import Engagement
    from sjalvservice.accounts.services import save_organisation

    for key in _keys_of_type(case, "organisation"):
        answer = answers.get(key)
        if (
            not isinstance(answer, dict)
            or answer.get("id")
            or not answer.get("organisation_number")
        ):
            continue
        number = answer["organisation_number"]
        known = Engagement.objects.filter(user=user, organisation__organisation_number=number)
        if not known.exists():
            save_organisation(user, number, {"name": answer.get("name") or number})


def _keys_of_type(case: Case, field_type: str) -> list[str]:
    return [
        field["key"]
        for step in case.eservice_version.definition.get("steps", [])
        for field in step.get("fields", [])
        if field.get("type") == field_type
    ]


def _save_contact_details(user: User, answers: dict[str, Any], case: Case) -> None:
    """ "Dina kontaktuppgifter kommer att sparas under mina uppgifter."""
    from sjalvservice.accounts.services import save_details

    contact_keys = _keys_of_type(case, "contact")
    contact = next(
        (answers[key] for key in contact_keys if isinstance(answers.get(key), dict)), None
    )
    if contact is not None:
        save_details(user, contact)

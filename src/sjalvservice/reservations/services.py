"""What happens to queue places and bookings: every change goes through here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sjalvservice.accounts.models import Organisation, User
from sjalvservice.reservations.models import Booking, Queue, QueuePlace, Resource


class ReservationError(Exception):
    """A request the rules refuse; ``message`` says why, for the person."""

    message = _("Det gick inte att genomföra.")

    def __init__(self, message: object = None) -> None:
        super().__init__(str(message or self.message))
        if message is not None:
            self.message = message  # type: ignore[assignment]


class AlreadyInQueue(ReservationError):
    message = _("Du står redan i den här kön.")


class SlotTaken(ReservationError):
    message = _("Tiden är inte längre ledig. Välj en annan tid.")


class NotBookable(ReservationError):
    message = _("Den tiden går inte att boka.")


class TooLateToCancel(ReservationError):
    message = _("Bokningen kan inte avbokas så här nära inpå. Kontakta kommunen.")


class WrongState(ReservationError):
    message = _("Det går inte i det här läget.")


def _local() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- Queues -------------------------------------------------------------------------------


def join_queue(
    queue: Queue, person: User, *, organisation: Organisation | None = None
) -> QueuePlace:
    """Put ``person`` (or the organisation they act for) last in ``queue``.

    The queue's row is locked while its next number is taken, so concurrent joins get
    consecutive numbers; the unique constraints refuse a second place for the same holder."""
    if queue.holder == Queue.Holder.ORGANISATION and organisation is None:
        raise ReservationError(_("Den här kön är för organisationer. Välj en organisation."))
    if queue.holder == Queue.Holder.PERSON:
        organisation = None
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Queue.objects.select_for_update().get(pk=queue.pk)
            holder = (
                Q(organisation=organisation)
                if organisation
                else Q(person=person, organisation__isnull=True)
            )
            if locked.places.filter(holder).exclude(state=QueuePlace.State.LEFT).exists():
                raise AlreadyInQueue
            number = locked.next_number
            Queue.objects.filter(pk=locked.pk).update(next_number=number + 1)
            return QueuePlace.objects.create(
                queue=locked,
                person=person,
                organisation=organisation,
                number=number,
                joined_at=now,
                confirmed_until=_a_year_from(now.date()) if locked.yearly_confirmation else None,
            )
    except IntegrityError:
        raise AlreadyInQueue from None


def _a_year_from(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def position(place: QueuePlace) -> int | None:
    """Where the place stands in line now (1 is first), or None once out of the line."""
    if place.state not in QueuePlace.IN_LINE:
        return None
    ahead = QueuePlace.objects.filter(
        queue_id=place.queue_id, state__in=QueuePlace.IN_LINE, number__lt=place.number
    ).count()
    return ahead + 1


def confirm_place(place: QueuePlace) -> QueuePlace:
    """The yearly confirmation: the place is kept for another year from today."""
    if place.state not in QueuePlace.IN_LINE:
        raise WrongState
    place.confirmed_until = _a_year_from(timezone.localdate())
    place.save(update_fields=["confirmed_until"])
    return place


def lapse_unconfirmed(today: datetime.date) -> int:
    """Places in line whose yearly confirmation ran out before ``today`` leave the queue
    (an offered place waits for its answer); how many did."""
    return QueuePlace.objects.filter(
        state=QueuePlace.State.ACTIVE, confirmed_until__lt=today
    ).update(state=QueuePlace.State.LEFT, ended_at=timezone.now())


def leave_queue(place: QueuePlace) -> QueuePlace:
    updated = QueuePlace.objects.filter(pk=place.pk, state__in=QueuePlace.IN_LINE).update(
        state=QueuePlace.State.LEFT, ended_at=timezone.now()
    )
    if not updated:
        raise WrongState
    place.refresh_from_db()
    return place


def offer_next(queue: Queue) -> QueuePlace | None:
    """The handler offers a place to the first in line who has no offer yet."""
    with transaction.atomic():
        first = (
            QueuePlace.objects.select_for_update()
            .filter(queue=queue, state=QueuePlace.State.ACTIVE)
            .order_by("number")
            .first()
        )
        if first is None:
            return None
        first.state = QueuePlace.State.OFFERED
        first.save(update_fields=["state"])
        return first


def answer_offer(place: QueuePlace, *, accepted: bool) -> QueuePlace:
    """Record the person's answer to an offer: accepted leaves the line with the place;
    declined puts them back where they stood."""
    state = QueuePlace.State.ACCEPTED if accepted else QueuePlace.State.ACTIVE
    ended = timezone.now() if accepted else None
    updated = QueuePlace.objects.filter(pk=place.pk, state=QueuePlace.State.OFFERED).update(
        state=state, ended_at=ended
    )
    if not updated:
        raise WrongState
    place.refresh_from_db()
    return place


# --- Bookings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    free: int

    @property
    def is_free(self) -> bool:
        return self.free > 0


def _slot_starts(resource: Resource, day: datetime.date) -> list[datetime.datetime]:
    if str(day.isoweekday()) not in resource.open_weekdays:
        return []
    zone = _local()
    start = datetime.datetime.combine(day, resource.opens, tzinfo=zone)
    close = datetime.datetime.combine(day, resource.closes, tzinfo=zone)
    step = datetime.timedelta(minutes=resource.slot_minutes)
    starts = []
    while start + step <= close:
        starts.append(start)
        start += step
    return starts


def bookable_until(resource: Resource) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=resource.book_days_ahead)


def week_slots(resource: Resource, monday: datetime.date) -> dict[datetime.date, list[Slot]]:
    """The week's slots day by day, with how many places each has left; past slots and
    those beyond the booking horizon are left out. One query for the week's bookings."""
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    zone = _local()
    week_start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    week_end = week_start + datetime.timedelta(days=7)
    taken = dict(
        Booking.objects.filter(resource=resource, starts_at__gte=week_start, starts_at__lt=week_end)
        .exclude(state=Booking.State.CANCELLED)
        .values("starts_at")
        .annotate(count=Count("pk"))
        .values_list("starts_at", "count")
    )
    now, horizon = timezone.now(), bookable_until(resource)
    step = datetime.timedelta(minutes=resource.slot_minutes)
    week: dict[datetime.date, list[Slot]] = {}
    for day in days:
        if day > horizon:
            week[day] = []
            continue
        week[day] = [
            Slot(start, start + step, resource.capacity - taken.get(start, 0))
            for start in _slot_starts(resource, day)
            if start > now
        ]
    return week


def is_slot(resource: Resource, starts_at: datetime.datetime) -> bool:
    """Whether a slot of the resource starts then and may still be booked (free or not)."""
    local = starts_at.astimezone(_local())
    return (
        starts_at > timezone.now()
        and local.date() <= bookable_until(resource)
        and local in _slot_starts(resource, local.date())
    )


def slot_at(resource: Resource, starts_at: datetime.datetime) -> Slot | None:
    """The bookable slot starting then, with the places it has left; None if there is none."""
    if not is_slot(resource, starts_at):
        return None
    taken = (
        Booking.objects.filter(resource=resource, starts_at=starts_at)
        .exclude(state=Booking.State.CANCELLED)
        .count()
    )
    ends_at = starts_at + datetime.timedelta(minutes=resource.slot_minutes)
    return Slot(starts_at, ends_at, resource.capacity - taken)


def first_free_week(resource: Resource) -> datetime.date:
    """The Monday of the first week, from this one, with a free slot (this week if none)."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    week = monday
    while week <= bookable_until(resource):
        if any(slot.is_free for slots in week_slots(resource, week).values() for slot in slots):
            return week
        week += datetime.timedelta(days=7)
    return monday


def book(resource: Resource, person: User, starts_at: datetime.datetime) -> Booking:
    """Book the slot that starts at ``starts_at``; SlotTaken when it is full.

    Each booking takes a free seat (1..capacity); the unique seat per slot makes the
    database refuse a second booking of a seat however many requests arrive at once."""
    if not is_slot(resource, starts_at):
        raise NotBookable
    state = Booking.State.CONFIRMED if resource.confirm_at_once else Booking.State.PRELIMINARY
    ends_at = starts_at + datetime.timedelta(minutes=resource.slot_minutes)
    for seat in range(1, resource.capacity + 1):
        try:
            with transaction.atomic():
                return Booking.objects.create(
                    resource=resource, person=person, starts_at=starts_at, ends_at=ends_at,
                    seat=seat, state=state,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise SlotTaken


def cancellation_deadline(booking: Booking) -> datetime.datetime:
    return booking.starts_at - datetime.timedelta(hours=booking.resource.cancel_hours_before)


def cancel_booking(booking: Booking, *, by_handler: bool = False) -> Booking:
    """Cancel; the person may do so until the resource's deadline, a handler at any time."""
    if not by_handler and timezone.now() > cancellation_deadline(booking):
        raise TooLateToCancel
    updated = (
        Booking.objects.filter(pk=booking.pk)
        .exclude(state=Booking.State.CANCELLED)
        .update(state=Booking.State.CANCELLED, cancelled_at=timezone.now())
    )
    if not updated:
        raise WrongState
    booking.refresh_from_db()
    return booking


def confirm_booking(booking: Booking) -> Booking:
    updated = Booking.objects.filter(pk=booking.pk, state=Booking.State.PRELIMINARY).update(
        state=Booking.State.CONFIRMED
    )
    if not updated:
        raise WrongState
    booking.refresh_from_db()
    return booking

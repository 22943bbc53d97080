"""What the person's own pages show: bounded by that person's places and bookings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from sjalvservice.accounts.models import User
from sjalvservice.reservations import services
from sjalvservice.reservations.models import Booking, QueuePlace


@dataclass(frozen=True)
class PlaceRow:
    place: QueuePlace
    position: int | None


def queue_places_of(person: User) -> list[PlaceRow]:
    """The person's places that are in line or were accepted, oldest first."""
    places = (
        QueuePlace.objects.select_related("queue__municipality", "organisation")
        .filter(person=person)
        .exclude(state=QueuePlace.State.LEFT)
        .order_by("joined_at", "pk")
    )
    return [PlaceRow(place, services.position(place)) for place in places]


@dataclass(frozen=True)
class BookingRow:
    booking: Booking
    deadline: datetime.datetime
    can_cancel: bool


def bookings_of(person: User) -> tuple[list[BookingRow], list[Booking]]:
    """The person's coming bookings (with whether they may still cancel), and the past or
    cancelled ones of the last year."""
    now = timezone.now()
    bookings = (
        Booking.objects.select_related("resource__municipality")
        .filter(person=person, ends_at__gte=now - datetime.timedelta(days=365))
        .order_by("starts_at", "pk")
    )
    coming, earlier = [], []
    for booking in bookings:
        if booking.state != Booking.State.CANCELLED and booking.ends_at >= now:
            deadline = services.cancellation_deadline(booking)
            coming.append(BookingRow(booking, deadline, now <= deadline))
        else:
            earlier.append(booking)
    return coming, earlier

"""One access helper per object: another person's place or booking is 404."""

from __future__ import annotations

from django.http import Http404

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.reservations.models import Booking, QueuePlace


def get_place_for_citizen(request: AuthenticatedHttpRequest, place_id: int) -> QueuePlace:
    place = (
        QueuePlace.objects.select_related("queue__municipality")
        .filter(pk=place_id, person=request.user)
        .first()
    )
    if place is None:
        raise Http404
    return place


def get_booking_for_citizen(request: AuthenticatedHttpRequest, booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_related("resource__municipality")
        .filter(pk=booking_id, person=request.user)
        .first()
    )
    if booking is None:
        raise Http404
    return booking

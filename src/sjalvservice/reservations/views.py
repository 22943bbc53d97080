"""Mina köplatser and Mina bokningar: the person's own places and bookings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.reservations import selectors, services
from sjalvservice.reservations.access import get_booking_for_citizen, get_place_for_citizen


@require_safe
@login_required
def my_queue_places(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina köplatser": the queues the person stands in (joined through e-services)."""
    return render(
        request,
        "reservations/my_queue_places.html",
        {"rows": selectors.queue_places_of(request.user)},
    )


@require_POST
@login_required
def confirm_place(request: AuthenticatedHttpRequest, place_id: int) -> HttpResponse:
    place = get_place_for_citizen(request, place_id)
    try:
        services.confirm_place(place)
    except services.ReservationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Din plats i %(queue)s är bekräftad till och med %(date)s.")
            % {"queue": place.queue.name, "date": place.confirmed_until},
        )
    return redirect("reservations:my_queue_places")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def leave_queue(request: AuthenticatedHttpRequest, place_id: int) -> HttpResponse:
    """ "Lämna kön", with a confirmation: a place left cannot be had back."""
    place = get_place_for_citizen(request, place_id)
    if request.method == "POST":
        try:
            services.leave_queue(place)
        except services.ReservationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Du har lämnat %(queue)s.") % {"queue": place.queue.name})
        return redirect("reservations:my_queue_places")
    return render(request, "reservations/leave_queue.html", {"place": place})


@require_safe
@login_required
def my_bookings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina bokningar": the person's bookings (made through e-services)."""
    coming, earlier = selectors.bookings_of(request.user)
    return render(request, "reservations/my_bookings.html", {"coming": coming, "earlier": earlier})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def cancel_booking(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    """ "Avboka", with a confirmation; refused after the resource's deadline."""
    booking = get_booking_for_citizen(request, booking_id)
    if request.method == "POST":
        try:
            services.cancel_booking(booking)
        except services.ReservationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Din bokning av %(resource)s är avbokad.") % {"resource": booking.resource},
            )
        return redirect("reservations:my_bookings")
    return render(
        request,
        "reservations/cancel_booking.html",
        {"booking": booking, "deadline": services.cancellation_deadline(booking)},
    )

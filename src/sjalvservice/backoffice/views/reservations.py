""" "Köer och bokningar": the queues and bookable resources of the handler's e-services.

A queue is shown in order, a page at a time (keyset by queue number); the handler offers a
place to the first in line and records the answer. A resource is shown a week at a time,
with its bookings to confirm or cancel. Every change goes through ``cases.services``, which
records it on the case the place or booking came from and tells the person. Looking at the
people in a queue or a week's bookings is written to the access log.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.backoffice.access import (
    get_booking_for_staff,
    get_place_for_staff,
    get_queue_for_staff,
    get_resource_for_staff,
    queues_for,
    resources_for,
    staff_required,
)
from sjalvservice.cases import services
from sjalvservice.cases.models import Case
from sjalvservice.core.access_log import log_access
from sjalvservice.core.models import AccessLog
from sjalvservice.eservices.definitions.fields.booking import (
    day_label,
    monday_of,
    parse_week,
    week_label,
)
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Booking, QueuePlace

PAGE_SIZE = 50
WEEK = datetime.timedelta(days=7)
# How far back and ahead a resource's week may be looked at (bookings are kept a year).
MAX_WEEKS_AWAY = datetime.timedelta(weeks=260)


@require_safe
@staff_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    in_line = Count("places", filter=Q(places__state__in=QueuePlace.IN_LINE))
    return render(
        request,
        "backoffice/reservations/overview.html",
        {
            "queues": queues_for(request.user).annotate(in_line=in_line).order_by("name"),
            "resources": resources_for(request.user).order_by("name"),
        },
    )


@dataclass(frozen=True)
class PlaceRow:
    place: QueuePlace
    position: int
    case_number: int | None


@require_safe
@staff_required
def queue(request: AuthenticatedHttpRequest, queue_id: int) -> HttpResponse:
    """The people in line, first first, 50 a page; "Nästa sida" continues after the last."""
    queue = get_queue_for_staff(request, queue_id)
    after = _number(request.GET.get("efter"))
    line = QueuePlace.objects.filter(queue=queue, state__in=QueuePlace.IN_LINE)
    page = list(
        line.filter(number__gt=after or 0)
        .select_related("person", "organisation")
        .order_by("number")[: PAGE_SIZE + 1]
    )
    more, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    ahead = line.filter(number__lte=after).count() if after else 0
    cases = dict(Case.objects.filter(queue_place__in=page).values_list("queue_place_id", "number"))
    rows = [
        PlaceRow(place, ahead + index, cases.get(place.pk))
        for index, place in enumerate(page, start=1)
    ]
    log_access(request, AccessLog.Action.QUEUE, municipality=queue.municipality, detail=queue.name)
    return render(
        request,
        "backoffice/reservations/queue.html",
        {
            "queue": queue,
            "rows": rows,
            "next_after": page[-1].number if more else None,
            "first_page": after is None,
            "can_offer": line.filter(state=QueuePlace.State.ACTIVE).exists(),
        },
    )


def _number(value: str | None) -> int | None:
    """A queue number from the query string; anything else is the first page."""
    # isascii: "²" is a digit to isdigit() but not to int().
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 9:
        return None
    return int(value)


@require_POST
@staff_required
def queue_offer(request: AuthenticatedHttpRequest, queue_id: int) -> HttpResponse:
    queue = get_queue_for_staff(request, queue_id)
    place = services.offer_place(queue, by=request.user)
    if place is None:
        messages.info(request, _("Ingen i kön väntar på ett erbjudande."))
    else:
        messages.success(
            request,
            _("Platsen är erbjuden till %(name)s, könummer %(number)s.")
            % {"name": place.person.display_name, "number": place.number},
        )
    return redirect("backoffice:queue", queue_id=queue.pk)


@require_POST
@staff_required
def place_answer(request: AuthenticatedHttpRequest, place_id: int) -> HttpResponse:
    """The person's answer to an offer, as they gave it to the handler."""
    place = get_place_for_staff(request, place_id)
    answer = request.POST.get("svar")
    if answer not in {"ja", "nej"}:
        messages.error(request, _("Välj om personen tackade ja eller nej."))
        return redirect("backoffice:queue", queue_id=place.queue_id)
    try:
        services.answer_offer(place, accepted=answer == "ja", by=request.user)
    except reservations.ReservationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _answer_message(place, accepted=answer == "ja"))
    return redirect("backoffice:queue", queue_id=place.queue_id)


def _answer_message(place: QueuePlace, *, accepted: bool) -> str:
    name = place.person.display_name
    if accepted:
        return _("%(name)s tackade ja till platsen.") % {"name": name}
    return _("%(name)s tackade nej och står kvar i kön.") % {"name": name}


@dataclass(frozen=True)
class BookingDay:
    day: datetime.date
    label: str
    bookings: list[tuple[Booking, int | None]]


@require_safe
@staff_required
def resource(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    """A week of the resource's bookings, day by day (``?vecka=YYYY-MM-DD``)."""
    resource = get_resource_for_staff(request, resource_id)
    this_week = monday_of(timezone.localdate())
    monday = parse_week(request.GET.get("vecka")) or this_week
    if abs(monday - this_week) > MAX_WEEKS_AWAY:
        monday = this_week
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=zone)
    bookings = list(
        Booking.objects.filter(resource=resource, starts_at__gte=start, starts_at__lt=start + WEEK)
        .select_related("person")
        .order_by("starts_at", "seat")
    )
    cases = dict(Case.objects.filter(booking__in=bookings).values_list("booking_id", "number"))
    days = []
    for offset in range(7):
        day = monday + datetime.timedelta(days=offset)
        found = [
            (booking, cases.get(booking.pk))
            for booking in bookings
            if timezone.localtime(booking.starts_at).date() == day
        ]
        if found:
            days.append(BookingDay(day, day_label(day), found))
    log_access(
        request,
        AccessLog.Action.BOOKINGS,
        municipality=resource.municipality,
        detail=f"{resource.name} {monday.isoformat()}",
    )
    return render(
        request,
        "backoffice/reservations/resource.html",
        {
            "resource": resource,
            "week_label": week_label(monday),
            "previous": monday - WEEK,
            "next": monday + WEEK,
            "days": days,
        },
    )


def _change_booking(
    request: AuthenticatedHttpRequest,
    booking: Booking,
    change: Callable[..., Booking],
    done: str,
) -> HttpResponse:
    """Make the change (a ``cases.services`` function), say how it went, back to the week."""
    try:
        change(booking, by=request.user)
    except reservations.ReservationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    week = monday_of(timezone.localtime(booking.starts_at).date())
    url = reverse("backoffice:resource", kwargs={"resource_id": booking.resource_id})
    return redirect(f"{url}?vecka={week.isoformat()}")


@require_POST
@staff_required
def booking_confirm(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = get_booking_for_staff(request, booking_id)
    return _change_booking(request, booking, services.confirm_booking, _("Bokningen är bekräftad."))


@require_http_methods(["GET", "POST"])
@staff_required
def booking_cancel(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    """ "Avboka", after a question: the person is told."""
    booking = get_booking_for_staff(request, booking_id)
    if request.method == "POST":
        return _change_booking(
            request, booking, services.cancel_booking, _("Bokningen är avbokad.")
        )
    return render(request, "backoffice/reservations/cancel_booking.html", {"booking": booking})

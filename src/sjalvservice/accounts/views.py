"""The person's own pages under Mina sidor: Mina uppgifter, organisations, queues, bookings."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def my_details(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_details.html")


@require_safe
@login_required
def my_engagements(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request, "accounts/my_engagements.html", {"organisations": user.organisations.all()}
    )


@require_safe
@login_required
def my_queue_places(request: HttpRequest) -> HttpResponse:
    """ "Mina köplatser": the queues the person stands in (joined through e-services)."""
    return render(request, "accounts/my_queue_places.html")


@require_safe
@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    """ "Mina bokningar": the person's bookings (made through e-services)."""
    return render(request, "accounts/my_bookings.html")

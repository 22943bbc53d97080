"""Who in the back office may see what. Every back-office view goes through here.

- A platform administrator (``is_superuser``) manages the installation in the admin; in the
  back office they, like everyone, see only the cases of e-services assigned to them.
- A municipality administrator sees every case of their municipality's e-services and
  manages its handlers and e-services.
- A redaktör (``is_editor``) edits their municipality's e-services and handles no cases:
  they see no case, queue or booking, whatever was assigned to them before.
- A handler sees the cases of the e-services assigned to them in their municipality,
  directly or through a handler group, and manages the queues and bookable resources those
  e-services put people in or book.

Anything outside that is answered with 404, exactly as if it did not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.cases.models import Case
from sjalvservice.eservices.models import EService
from sjalvservice.reservations.models import Booking, Queue, QueuePlace, Resource

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User


def is_back_office_user(user: Any) -> bool:
    """Staff of a municipality, logged in with password and second factor."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.municipality_id is not None
        and user.is_verified()
    )


def staff_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Only verified staff of a municipality; others go to the staff login first."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_back_office_user(request.user):
            return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
        return view(request, *args, **kwargs)

    return wrapped


def municipality_admin_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Only a municipality administrator (404 for other staff)."""

    @functools.wraps(view)
    @staff_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_municipality_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def editor_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Only those who may edit the municipality's e-services: a municipality administrator
    or a redaktör (404 for other staff)."""

    @functools.wraps(view)
    @staff_required
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_edit_eservices(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def may_edit_eservices(user: User) -> bool:
    return bool(user.is_municipality_admin or user.is_editor)


def edits_only(user: User) -> bool:
    """A redaktör who is not also an administrator: no cases, queues or bookings."""
    return bool(user.is_editor and not user.is_municipality_admin)


def eservices_for(user: User) -> QuerySet[EService]:
    """The e-services whose cases ``user`` may handle."""
    if not (user.is_staff and user.municipality_id) or edits_only(user):
        return EService.objects.none()
    in_municipality = EService.objects.filter(municipality_id=user.municipality_id)
    if user.is_municipality_admin:
        return in_municipality
    return in_municipality.filter(
        Q(assignments__handler=user) | Q(handler_groups__members=user)
    ).distinct()


@dataclass(frozen=True)
class Handled:
    """The e-services ``user`` may handle, found once for a page that needs them twice
    (the inbox: to find the cases, and to offer them in the e-service filter)."""

    user_id: int
    eservices: list[tuple[int, str]]  # (pk, title), by title

    @property
    def ids(self) -> list[int]:
        return [pk for pk, _title in self.eservices]


def handled_by(user: User) -> Handled:
    """What ``eservices_for`` gives, as a list: one query."""
    eservices = eservices_for(user).order_by("title", "pk").values_list("pk", "title")
    return Handled(user.pk, list(eservices))


def cases_for(
    user: User, *, eservice: int | None = None, handled: Handled | None = None
) -> QuerySet[Case]:
    """The submitted cases ``user`` may see.

    Always within the municipality (the column the inbox's indexes begin with); a
    municipality administrator sees all of it, others their e-services' cases.
    ``eservice`` narrows it to one e-service (nothing if the user may not see it), with one
    condition on it rather than two that the database would have to combine, when the
    page has ``handled_by(user)`` already (the inbox); without it the e-services are a
    subquery.
    """
    if not (user.is_staff and user.municipality_id) or edits_only(user):
        return Case.objects.none()
    if handled is not None and handled.user_id != user.pk:
        raise ValueError("handled_by() of another user")
    cases = Case.objects.submitted().filter(municipality_id=user.municipality_id)
    if user.is_municipality_admin:
        return cases if eservice is None else cases.filter(eservice_id=eservice)
    if handled is None:
        # One query with the e-services as a subquery: what finding one case needs.
        mine = cases.filter(eservice_id__in=eservices_for(user).order_by().values("pk"))
        return mine if eservice is None else mine.filter(eservice_id=eservice)
    if eservice is None:
        return cases.filter(eservice_id__in=handled.ids)
    return cases.filter(eservice_id=eservice) if eservice in handled.ids else Case.objects.none()


def get_case_for_handler(request: AuthenticatedHttpRequest, number: int) -> Case:
    """Case ``number`` if the logged-in handler may see it, else 404."""
    user = request.user
    if not is_back_office_user(user):
        raise Http404
    case = (
        cases_for(user)
        .select_related(
            "eservice", "eservice_version", "municipality", "status", "owner", "handler"
        )
        .filter(number=number)
        .first()
    )
    if case is None:
        raise Http404
    return case


def colleagues_for(case: Case) -> QuerySet[User]:
    """The staff who may handle ``case``: whom it can be assigned to."""
    from sjalvservice.accounts.models import User

    return (
        User.objects.filter(is_staff=True, is_active=True, municipality_id=case.municipality_id)
        .exclude(is_editor=True, is_municipality_admin=False)
        .filter(
            Q(is_municipality_admin=True)
            | Q(assignments__eservice_id=case.eservice_id)
            | Q(handler_groups__eservices__id=case.eservice_id)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def queues_for(user: User) -> QuerySet[Queue]:
    """The queues of the e-services ``user`` may handle (their current versions' queues)."""
    return Queue.objects.filter(eservices__in=eservices_for(user)).distinct()


def resources_for(user: User) -> QuerySet[Resource]:
    """The bookable resources of the e-services ``user`` may handle."""
    return Resource.objects.filter(eservices__in=eservices_for(user)).distinct()


def get_queue_for_staff(request: AuthenticatedHttpRequest, queue_id: int) -> Queue:
    queue = queues_for(request.user).select_related("municipality").filter(pk=queue_id).first()
    if queue is None:
        raise Http404
    return queue


def get_place_for_staff(request: AuthenticatedHttpRequest, place_id: int) -> QueuePlace:
    place = (
        QueuePlace.objects.select_related("queue", "person")
        .filter(pk=place_id, queue__in=queues_for(request.user))
        .first()
    )
    if place is None:
        raise Http404
    return place


def get_resource_for_staff(request: AuthenticatedHttpRequest, resource_id: int) -> Resource:
    resource = (
        resources_for(request.user).select_related("municipality").filter(pk=resource_id).first()
    )
    if resource is None:
        raise Http404
    return resource


def get_booking_for_staff(request: AuthenticatedHttpRequest, booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_related("resource", "person")
        .filter(pk=booking_id, resource__in=resources_for(request.user))
        .first()
    )
    if booking is None:
        raise Http404
    return booking

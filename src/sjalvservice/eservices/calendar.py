"""The calendar a booking field shows: a municipality's resources, read from ``reservations``.

The definitions know no database; the runner and the admin's preview hand a
``MunicipalityCalendar`` to the step form, and the field asks it for a week or one slot.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from sjalvservice.eservices.definitions.fields import CalendarDay, CalendarSlot, CalendarWeek
from sjalvservice.reservations import services
from sjalvservice.reservations.models import Resource

WEEK = datetime.timedelta(days=7)


class MunicipalityCalendar:
    """The booking field's ``Calendar`` for the resources of one municipality."""

    def __init__(self, municipality_id: int) -> None:
        self.municipality_id = municipality_id
        self._resources: dict[str, Resource | None] = {}

    def resource(self, slug: str) -> Resource | None:
        if slug not in self._resources:
            self._resources[slug] = Resource.objects.filter(
                municipality_id=self.municipality_id, slug=slug
            ).first()
        return self._resources[slug]

    def week(self, resource: str, monday: datetime.date | None) -> CalendarWeek | None:
        found = self.resource(resource)
        if found is None:
            return None
        today = timezone.localdate()
        first = today - datetime.timedelta(days=today.weekday())
        horizon = services.bookable_until(found)
        last = horizon - datetime.timedelta(days=horizon.weekday())
        if monday is None:
            monday = services.first_free_week(found)
        monday = min(max(monday, first), last)
        days = services.week_slots(found, monday)
        return CalendarWeek(
            resource_name=found.name,
            address=found.address,
            monday=monday,
            previous=monday - WEEK if monday > first else None,
            next=monday + WEEK if monday < last else None,
            days=tuple(
                CalendarDay(
                    day,
                    tuple(CalendarSlot(slot.starts_at, slot.ends_at, slot.free) for slot in slots),
                )
                for day, slots in days.items()
            ),
            capacity=found.capacity,
        )

    def slot(self, resource: str, starts_at: datetime.datetime) -> CalendarSlot | None:
        found = self.resource(resource)
        slot = services.slot_at(found, starts_at) if found is not None else None
        if slot is None or found is None:
            return None
        return CalendarSlot(
            slot.starts_at, slot.ends_at, slot.free, resource_name=found.name, address=found.address
        )

"""The demo's kind of queue and resource, and citizens enough for the crowds."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sjalvservice.accounts.models import User
from sjalvservice.reservations.models import Queue, Resource

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def boat_places(lycksele):
    return Queue.objects.create(
        municipality=lycksele, name="Båtplatser i Lycksele", slug="batplatser",
        yearly_confirmation=True,
    )  # fmt: skip


@pytest.fixture
def lyckan(lycksele):
    return Resource.objects.create(
        municipality=lycksele, name="Sammanträdesrum Lyckan", slug="lyckan",
        open_weekdays="1234567", opens=datetime.time(8), closes=datetime.time(17),
        slot_minutes=60, capacity=1, book_days_ahead=30, cancel_hours_before=24,
    )  # fmt: skip


def citizens(count):
    return [
        User.objects.create_citizen(number, given_name="Test", surname=str(index))
        for index, number in enumerate(TEST_NUMBERS[:count])
    ]


def _valid_numbers():
    from sjalvservice.core.se_ids import is_valid_personal_identity_number

    found = []
    serial = 0
    while len(found) < 60:
        serial += 1
        for check in range(10):
            candidate = f"19800101{serial:03d}{check}"
            if is_valid_personal_identity_number(candidate):
                found.append(candidate)
                break
    return found


TEST_NUMBERS = _valid_numbers()


def in_two_days_at(hour):
    day = timezone.localdate() + datetime.timedelta(days=2)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)

"""The booking field's reading of a posted slot and of the week asked for."""

import datetime

import pytest

from sjalvservice.eservices.definitions.fields.booking import parse_start, parse_week


def test_a_slot_start_with_its_offset_is_read():
    assert parse_start("2026-03-02T10:00:00+01:00") == datetime.datetime(
        2026, 3, 2, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )


@pytest.mark.parametrize(
    "value",
    ["2026-03-02T10:00:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00",
     "1899-12-31T23:00:00+00:00", "2101-01-01T00:00:00+00:00", "2026-13-45T00:00:00+01:00",
     "", None, 20260302],
)  # fmt: skip
def test_a_slot_start_without_an_offset_or_beyond_the_years_a_booking_may_have_is_none(value):
    assert parse_start(value) is None


def test_the_week_asked_for_is_its_monday():
    assert parse_week("2026-03-05") == datetime.date(2026, 3, 2)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-13-45", "2026-3-5", ""])
def test_a_week_beyond_the_years_a_booking_may_have_or_not_a_date_is_none(value):
    assert parse_week(value) is None

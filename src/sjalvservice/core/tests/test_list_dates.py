"""The date filters of long lists: the same text as ``|date`` for their one format."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

MOMENT = dt.datetime(2026, 12, 3, 13, 5, 7, 123456, tzinfo=dt.UTC)


def render(source: str, value: dt.datetime | None) -> str:
    return Template("{% load list_dates %}" + source).render(Context({"value": value}))


def test_iso_gives_the_local_time_to_the_second_with_its_offset():
    with timezone.override("Europe/Stockholm"):
        assert render("{{ value|iso }}", MOMENT) == "2026-12-03T14:05:07+01:00"


def test_iso_has_no_fraction_of_a_second_which_html_would_refuse():
    assert "." not in render("{{ value|iso }}", MOMENT)


def test_minute_and_day_match_the_date_filter():
    with timezone.override("Europe/Stockholm"):
        assert render("{{ value|minute }}", MOMENT) == render(
            '{{ value|date:"Y-m-d H:i" }}', MOMENT
        )
        assert render("{{ value|day }}", MOMENT) == render('{{ value|date:"j b Y" }}', MOMENT)


def test_a_missing_date_gives_nothing():
    assert render("{{ value|iso }}{{ value|minute }}{{ value|day }}", None) == ""

"""Keyset pagination's cursor: where the next page of a list begins.

Every list that pages ("Nästa sida") is ordered newest first by a time column and then
by pk, and continues after the last row shown: ``efter=<time>_<pk>`` in its link. That
costs the same at any depth, unlike an offset.
"""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive

Cursor = tuple[dt.datetime, int]


def cursor_text(moment: dt.datetime, pk: int) -> str:
    """The link's value for the row at ``moment`` with ``pk``."""
    return f"{moment.isoformat()}_{pk}"


def parse_cursor(value: str) -> Cursor | None:
    """The time and pk of the last row of the page before, from a link's value.

    Anything else, a link cut short or edited by hand, is None: the first page.
    """
    moment, _sep, pk = value.rpartition("_")
    if not (pk.isascii() and pk.isdigit() and len(pk) <= 19 and 0 < int(pk) < 2**63):
        return None
    try:
        parsed = parse_datetime(moment)
        if parsed is None or is_naive(parsed):
            return None
        parsed.astimezone(dt.UTC)  # one the database can hold
    except (ValueError, OverflowError):  # well formed but impossible, like month 13
        return None
    return parsed, int(pk)

"""Keyset pagination's cursor: where the next page of a list begins.

Every list that pages ("Nästa sida") is ordered newest first by a time column and then
by pk, and continues after the last row shown: ``efter=<time>_<pk>`` in its link. That
costs the same at any depth, unlike an offset.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
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


# The query-string parameter of a list's cursor.
CURSOR_PARAMETER = "efter"


def page_links(request: HttpRequest, next_cursor: str | None) -> dict[str, str]:
    """``first_url`` and ``next_url`` for ``core/includes/keyset_pagination.html``: the
    list's first page, when this is not it, and the page after, when there is one; the
    list's other parameters (a filter) kept in both."""
    others = request.GET.copy()
    others.pop(CURSOR_PARAMETER, None)
    first_url = "?" + others.urlencode() if CURSOR_PARAMETER in request.GET else ""
    next_url = ""
    if next_cursor:
        others[CURSOR_PARAMETER] = next_cursor
        next_url = "?" + others.urlencode()
    return {"first_url": first_url, "next_url": next_url}

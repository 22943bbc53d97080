"""Reads of a citizen's cases for Mina sidor, on the named querysets of ``Case``.

What a page costs is bounded by what it shows, not by how many cases the person has: each
section is one query for its newest rows (only the columns its table shows), walked in
the order of its time column and then pk, so that "Nästa sida" goes on from the last row
shown (keyset pagination); the numbers the texts state are one aggregate query over the
person's own cases; and each link's URL pattern is reversed once per page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from sjalvservice.cases.drafts import deletion_due
from sjalvservice.cases.models import OPEN_KINDS, Case, CaseEvent, Message, StatusKind
from sjalvservice.core.keyset import Cursor, cursor_text
from sjalvservice.core.reversing import ReversedPattern
from sjalvservice.notifications.selectors import unread_notices_per_case

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User

# The newest rows a section of the overview shows, and the rows of a list page.
PAGE_SIZE = 20
# "Mina meddelanden" on the overview: the most recently active cases, each with its
# latest events.
NEWS_CASES = 10
NEWS_EVENTS_PER_CASE = 3

# The columns the tables show and their links need: never the answers. Fetched as
# values, not as model instances: a table of twenty rows needs no more.
LISTED = (
    "pk",
    "number",
    "reference",
    "current_step",
    "last_saved_at",
    "last_event_at",
    "expiry_noticed_at",
    "eservice__title",
    "municipality__name",
    "status__name",
)


@dataclass(frozen=True)
class _Section:
    cases: Q  # which of the person's cases it holds
    time: str  # the column it is sorted by, newest first


# Every draft has ``last_saved_at`` (``start_draft`` sets it) and every submitted case
# ``last_event_at`` (its "Inskickat" event sets it), so neither sort column is ever empty.
SECTIONS = {
    "drafts": _Section(Q(status_kind=StatusKind.DRAFT), "last_saved_at"),
    "ongoing": _Section(Q(status_kind__in=OPEN_KINDS), "last_event_at"),
    "closed": _Section(Q(status_kind=StatusKind.CLOSED), "last_event_at"),
    # "Mina meddelanden": every submitted case, the one that changed last first.
    "news": _Section(~Q(status_kind=StatusKind.DRAFT), "last_event_at"),
}

# Values the patterns of the links accept and that appear nowhere else in their URLs.
_NUMBER = 2147483647
_REFERENCE = uuid.UUID(int=0)
_STEP = "platshallare"

Row = TypeVar("Row")


@dataclass(frozen=True)
class CaseRow:
    """A case in one of the tables, with its links."""

    pk: int
    number: int | None  # a draft has none
    eservice: str
    municipality: str
    status: str
    time: dt.datetime  # the section's time column: last saved for a draft, else last event
    url: str  # "Till ärende", or "Fortsätt" for a draft
    delete_url: str = ""  # "Ta bort", for a draft
    deletion_due: dt.datetime | None = None  # a draft its owner was told is about to expire


@dataclass(frozen=True)
class EventLine:
    """One of the latest events of a case in "Mina meddelanden"."""

    created_at: dt.datetime
    text: str  # the new status's name for a status change, else what happened


@dataclass(frozen=True)
class NewsRow:
    """One case in "Mina meddelanden": its latest events (oldest first), unread messages
    and notices not yet seen."""

    number: int | None
    url: str
    events: list[EventLine]
    unread: int
    new: int = 0


@dataclass(frozen=True)
class Page(Generic[Row]):
    """The rows of one page and where the next one starts (None on the last)."""

    rows: list[Row]
    next_cursor: str | None = None


@dataclass(frozen=True)
class Shown(Generic[Row]):
    """A section of the overview: its newest rows and how many it holds in all."""

    rows: list[Row]
    total: int

    @property
    def more(self) -> bool:
        """Whether there is more than is shown (and so a "Visa alla")."""
        return self.total > len(self.rows)


@dataclass(frozen=True)
class MyPagesOverview:
    news: Shown[NewsRow]
    drafts: Shown[CaseRow]
    ongoing: Shown[CaseRow]
    closed: Shown[CaseRow]


def my_pages_overview(user: User) -> MyPagesOverview:
    """The case overview: "Mina meddelanden", saved drafts, ongoing and closed cases.

    Four queries whatever the number of cases. One finds the newest rows of every section
    and how many each holds, in one pass over the person's own cases (the count read them
    all anyway). The others find the latest events, unread messages and unseen notices of
    the cases in "Mina meddelanden": the submitted cases that changed last, which are the
    newest of the ongoing and closed ones together.
    """
    rows: dict[str, list[CaseRow]] = {name: [] for name in ("drafts", "ongoing", "closed")}
    totals = dict.fromkeys(rows, 0)
    section = models.Case(
        *(
            models.When(SECTIONS[name].cases, then=models.Value(name))
            for name in ("drafts", "closed")
        ),
        default=models.Value("ongoing"),
    )
    newest = models.Case(
        models.When(SECTIONS["drafts"].cases, then=F("last_saved_at")),
        default=F("last_event_at"),
    )
    found = (
        Case.objects.for_citizen(user)
        .annotate(section=section, newest=newest)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("section")],
                order_by=[F("newest").desc(), F("pk").desc()],
            ),
            total=Window(Count("pk"), partition_by=[F("section")]),
        )
        .filter(rank__lte=PAGE_SIZE)
        .order_by("section", "rank")
        .values(*LISTED, "section", "total")
    )
    links = {name: _links(name) for name in rows}
    for values in found:
        name = values["section"]
        rows[name].append(_case_row(values, SECTIONS[name].time, links[name]))
        totals[name] = values["total"]
    latest = sorted(
        [*rows["ongoing"], *rows["closed"]], key=lambda row: (row.time, row.pk), reverse=True
    )
    return MyPagesOverview(
        news=Shown(_news_rows(user, latest[:NEWS_CASES]), totals["ongoing"] + totals["closed"]),
        drafts=Shown(rows["drafts"], totals["drafts"]),
        ongoing=Shown(rows["ongoing"], totals["ongoing"]),
        closed=Shown(rows["closed"], totals["closed"]),
    )


def section_counts(user: User) -> dict[str, int]:
    """How many of the person's cases each section holds, in one query."""
    return Case.objects.for_citizen(user).aggregate(
        **{name: Count("pk", filter=section.cases) for name, section in SECTIONS.items()}
    )


def section_page(
    user: User, section: str, *, after: Cursor | None = None, size: int = PAGE_SIZE
) -> Page[CaseRow]:
    """A page of a section's cases, newest first, with their links. One query."""
    found, next_cursor = _walk(user, section, after, size)
    links = _links(section)
    time = SECTIONS[section].time
    return Page([_case_row(values, time, links) for values in found], next_cursor)


Links = Callable[[dict[str, Any]], tuple[str, str]]


def _links(section: str) -> Links:
    """How a section's rows link: "Fortsätt" and "Ta bort" for a draft, else "Till
    ärende"; each URL pattern reversed once."""
    if section == "drafts":
        step = ReversedPattern("cases:step", _REFERENCE, _STEP)
        preview = ReversedPattern("cases:preview", _REFERENCE)
        delete = ReversedPattern("cases:delete_draft", _REFERENCE)

        def draft(values: dict[str, Any]) -> tuple[str, str]:
            reference, current_step = values["reference"], values["current_step"]
            url = step(reference, current_step) if current_step else preview(reference)
            return url, delete(reference)

        return draft
    to_case = ReversedPattern("cases:case", _NUMBER)
    return lambda values: (to_case(values["number"]), "")


def _case_row(values: dict[str, Any], time: str, links: Links) -> CaseRow:
    url, delete_url = links(values)
    return CaseRow(
        pk=values["pk"],
        number=values["number"],
        eservice=values["eservice__title"],
        municipality=values["municipality__name"],
        status=values["status__name"],
        time=values[time],
        url=url,
        delete_url=delete_url,
        # A submitted case may keep the time its owner was told of as a draft.
        deletion_due=None if values["number"] else deletion_due(values["expiry_noticed_at"]),
    )


def news_page(user: User, *, after: Cursor | None = None, size: int = PAGE_SIZE) -> Page[NewsRow]:
    """A page of "Mina meddelanden": the submitted cases that changed last, each with its
    latest events. Four queries."""
    rows = section_page(user, "news", after=after, size=size)
    return Page(_news_rows(user, rows.rows), rows.next_cursor)


def _news_rows(user: User, cases: list[CaseRow]) -> list[NewsRow]:
    """The cases with their latest events, unread messages and unseen notices: three
    queries (none without cases)."""
    if not cases:
        return []
    pks = [case.pk for case in cases]
    events = (
        CaseEvent.objects.filter(case_id__in=pks)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("case_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=NEWS_EVENTS_PER_CASE)
        .order_by("created_at", "pk")
        .values_list("case_id", "kind", "created_at", "status__name")
    )
    unread = dict(
        Message.objects.filter(
            case_id__in=pks, direction=Message.Direction.TO_CITIZEN, read_at__isnull=True
        )
        .values("case_id")
        .annotate(count=Count("pk"))
        .values_list("case_id", "count")
    )
    new = unread_notices_per_case(user)
    said = {kind: str(label) for kind, label in CaseEvent.Kind.choices}
    by_case: dict[int, list[EventLine]] = {}
    for case_id, kind, created_at, status in events:
        text = status if kind == CaseEvent.Kind.STATUS_CHANGED and status else said.get(kind, kind)
        by_case.setdefault(case_id, []).append(EventLine(created_at, text))
    return [
        NewsRow(
            number=case.number,
            url=case.url,
            events=by_case.get(case.pk, []),
            unread=unread.get(case.pk, 0),
            new=new.get(case.pk, 0),
        )
        for case in cases
    ]


def _walk(
    user: User, section: str, after: Cursor | None, size: int
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a section's cases (the listed columns) and the cursor of the next page,
    if there is one."""
    found = list(_ordered(user, section, after).values(*LISTED)[: size + 1])
    if len(found) <= size:
        return found, None
    last = found[size - 1]
    return found[:size], cursor_text(last[SECTIONS[section].time], last["pk"])


def _ordered(user: User, section: str, after: Cursor | None = None) -> QuerySet[Case]:
    """A section's cases after the cursor's row, newest first: by the time column and then
    pk, so that rows with the same time are neither repeated nor skipped across pages."""
    time = SECTIONS[section].time
    cases = Case.objects.for_citizen(user).filter(SECTIONS[section].cases)
    if after is not None:
        moment, pk = after
        cases = cases.filter(Q(**{f"{time}__lt": moment}) | Q(**{time: moment}, pk__lt=pk))
    return cases.order_by(f"-{time}", "-pk")

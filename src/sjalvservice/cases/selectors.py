"""Reads of a citizen's cases for Mina sidor, on the named querysets of ``Case``.

What a page costs is bounded by what it shows, not by how many cases the person has: each
section is one query for its newest rows (only the columns its table shows), walked in
the order of its time column and then pk, so that "Nästa sida" goes on from the last row
shown (keyset pagination); the numbers the texts state are one aggregate query over the
person's own cases; and each link's URL pattern is reversed once per page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

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

# The columns the tables show and their links need: never the answers.
LISTED = (
    "number",
    "reference",
    "status_kind",
    "current_step",
    "last_saved_at",
    "last_event_at",
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

    case: Case
    url: str  # "Till ärende", or "Fortsätt" for a draft
    delete_url: str = ""  # "Ta bort", for a draft


@dataclass(frozen=True)
class NewsRow:
    """One case in "Mina meddelanden": its latest events (oldest first), unread messages
    and notices not yet seen."""

    case: Case
    url: str
    events: list[CaseEvent]
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

    Seven queries whatever the number of cases: the counts, the newest rows of each
    section, and the latest events, unread messages and unseen notices of the cases in
    "Mina meddelanden". Those cases need no query of their own: the submitted cases that
    changed last are the newest of the ongoing and closed ones together.
    """
    counts = section_counts(user)
    ongoing = section_page(user, "ongoing").rows
    closed = section_page(user, "closed").rows
    latest = sorted(
        (row.case for row in [*ongoing, *closed]),
        key=lambda case: (case.last_event_at, case.pk),
        reverse=True,
    )[:NEWS_CASES]
    among = _ordered(user, "news").values("pk")[:NEWS_CASES]
    return MyPagesOverview(
        news=Shown(_news_rows(user, latest, among), counts["news"]),
        drafts=Shown(section_page(user, "drafts").rows, counts["drafts"]),
        ongoing=Shown(ongoing, counts["ongoing"]),
        closed=Shown(closed, counts["closed"]),
    )


def section_counts(user: User) -> dict[str, int]:
    """How many of the person's cases each section holds, in one query."""
    return Case.objects.for_citizen(user).aggregate(
        **{name: Count("pk", filter=section.cases) for name, section in SECTIONS.items()}
    )


def section_page(
    user: User, section: str, *, after: Cursor | None = None, size: int = PAGE_SIZE
) -> Page[CaseRow]:
    """A page of the drafts, the ongoing or the closed cases, newest first. One query."""
    cases, next_cursor = _walk(user, section, after, size)
    if section == "drafts":
        step = ReversedPattern("cases:step", _REFERENCE, _STEP)
        preview = ReversedPattern("cases:preview", _REFERENCE)
        delete = ReversedPattern("cases:delete_draft", _REFERENCE)
        rows = [
            CaseRow(
                case,
                url=(
                    step(case.reference, case.current_step)
                    if case.current_step
                    else preview(case.reference)
                ),
                delete_url=delete(case.reference),
            )
            for case in cases
        ]
    else:
        to_case = ReversedPattern("cases:case", _NUMBER)
        rows = [CaseRow(case, url=to_case(case.number)) for case in cases]
    return Page(rows, next_cursor)


def news_page(user: User, *, after: Cursor | None = None, size: int = PAGE_SIZE) -> Page[NewsRow]:
    """A page of "Mina meddelanden": the submitted cases that changed last, each with its
    latest events. Four queries."""
    cases, next_cursor = _walk(user, "news", after, size)
    among = _ordered(user, "news", after).values("pk")[:size]
    return Page(_news_rows(user, cases, among), next_cursor)


def _news_rows(user: User, cases: list[Case], among: QuerySet[Case, Any]) -> list[NewsRow]:
    """The cases with their latest events, unread messages and unseen notices: three
    queries. ``among`` selects the same cases in the database, so that the queries are
    the same whether there are any or not."""
    events = (
        CaseEvent.objects.filter(case__in=among)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("case_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=NEWS_EVENTS_PER_CASE)
        .select_related("status")
        .only("case_id", "kind", "created_at", "status__name")
        .order_by("created_at", "pk")
    )
    unread = dict(
        Message.objects.filter(
            case__in=among, direction=Message.Direction.TO_CITIZEN, read_at__isnull=True
        )
        .values("case_id")
        .annotate(count=Count("pk"))
        .values_list("case_id", "count")
    )
    new = unread_notices_per_case(user)
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    to_case = ReversedPattern("cases:case", _NUMBER)
    return [
        NewsRow(
            case,
            url=to_case(case.number),
            events=by_case.get(case.pk, []),
            unread=unread.get(case.pk, 0),
            new=new.get(case.pk, 0),
        )
        for case in cases
    ]


def _walk(
    user: User, section: str, after: Cursor | None, size: int
) -> tuple[list[Case], str | None]:
    """A page of a section's cases and the cursor of the next page, if there is one."""
    found = list(
        _ordered(user, section, after)
        .select_related("eservice", "municipality", "status")
        .only(*LISTED)[: size + 1]
    )
    if len(found) <= size:
        return found, None
    last = found[size - 1]
    moment = getattr(last, SECTIONS[section].time)
    return found[:size], cursor_text(moment, last.pk)


def _ordered(user: User, section: str, after: Cursor | None = None) -> QuerySet[Case]:
    """A section's cases after the cursor's row, newest first: by the time column and then
    pk, so that rows with the same time are neither repeated nor skipped across pages."""
    time = SECTIONS[section].time
    cases = Case.objects.for_citizen(user).filter(SECTIONS[section].cases)
    if after is not None:
        moment, pk = after
        cases = cases.filter(Q(**{f"{time}__lt": moment}) | Q(**{time: moment}, pk__lt=pk))
    return cases.order_by(f"-{time}", "-pk")

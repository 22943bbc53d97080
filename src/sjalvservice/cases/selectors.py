"""Reads of a citizen's cases for Mina sidor, on the named querysets of ``Case``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from sjalvservice.cases.models import Case, CaseEvent, Message
from sjalvservice.notifications.selectors import unread_notices_per_case

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User

# "Mina meddelanden": the most recently active cases, each with its latest events.
NEWS_CASES = 10
NEWS_EVENTS_PER_CASE = 3


@dataclass(frozen=True)
class NewsRow:
    """One case in "Mina meddelanden": its latest events (oldest first), unread messages
    and notices not yet seen."""

    case: Case
    events: list[CaseEvent]
    unread: int
    new: int = 0


@dataclass(frozen=True)
class MyPagesOverview:
    news: list[NewsRow] = field(default_factory=list)
    drafts: list[Case] = field(default_factory=list)
    ongoing: list[Case] = field(default_factory=list)
    closed: list[Case] = field(default_factory=list)


def my_pages_overview(user: User) -> MyPagesOverview:
    """The case overview: "Mina meddelanden", saved drafts, ongoing and closed cases.

    Four queries whatever the number of cases: the cases, the latest events of the most
    recently active ones, and the numbers of unread messages and unseen notices per case.
    """
    cases = list(
        Case.objects.for_citizen(user).select_related("eservice", "municipality", "status")
    )
    drafts = [case for case in cases if case.is_draft]
    ongoing = [case for case in cases if not case.is_draft and not case.is_closed]
    closed = [case for case in cases if case.is_closed]
    drafts.sort(key=lambda case: case.last_saved_at or case.created_at, reverse=True)
    for submitted in (ongoing, closed):
        submitted.sort(key=lambda case: case.last_event_at or case.created_at, reverse=True)
    return MyPagesOverview(
        news=_latest_news(user, {case.pk: case for case in cases}),
        drafts=drafts,
        ongoing=ongoing,
        closed=closed,
    )


def _latest_news(user: User, cases: dict[int, Case]) -> list[NewsRow]:
    recent = (
        Case.objects.for_citizen(user)
        .submitted()
        .order_by(F("last_event_at").desc(nulls_last=True), "-pk")
        .values("pk")[:NEWS_CASES]
    )
    events = (
        CaseEvent.objects.filter(case__in=recent)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("case_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=NEWS_EVENTS_PER_CASE)
        .select_related("status")
        .order_by("created_at", "pk")
    )
    unread = dict(
        Message.objects.filter(
            case__owner=user, direction=Message.Direction.TO_CITIZEN, read_at__isnull=True
        )
        .values("case_id")
        .annotate(count=Count("pk"))
        .values_list("case_id", "count")
    )
    new = unread_notices_per_case(user)
    by_case: dict[int, list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    rows = [
        NewsRow(case=cases[pk], events=latest, unread=unread.get(pk, 0), new=new.get(pk, 0))
        for pk, latest in by_case.items()
        if pk in cases
    ]
    rows.sort(key=lambda row: (row.events[-1].created_at, row.events[-1].pk), reverse=True)
    return rows

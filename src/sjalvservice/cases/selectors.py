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
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from sjalvservice.cases import runner
from sjalvservice.cases.drafts import deletion_due
from sjalvservice.cases.models import (
    OPEN_KINDS,
    Case,
    CaseEvent,
    Message,
    StatusKind,
    status_label,
)
from sjalvservice.core.keyset import Cursor, cursor_text
from sjalvservice.core.languages import shown
from sjalvservice.core.reversing import ReversedPattern
from sjalvservice.eservices.definitions import Definition, summarise
from sjalvservice.eservices.definitions.fields.files import stored_files
from sjalvservice.eservices.models import EServiceVersion
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
    "title",
    "eservice__title",
    "eservice__title_en",
    "municipality__name",
    "status__name",
    "status__name_en",
)


# The events as the resident reads them in "Ärendehistorik": "du" and "handläggaren"
# (the kinds' own labels are the handlers' words).
CITIZEN_EVENT_NAMES = {
    CaseEvent.Kind.MESSAGE_TO_CITIZEN: _("Meddelande från handläggaren"),
    CaseEvent.Kind.MESSAGE_FROM_CITIZEN: _("Ditt meddelande"),
}
# What happened, as "Mina meddelanden" says it; a status change says its new status.
NEWS_TEXTS = {
    CaseEvent.Kind.MESSAGE_TO_CITIZEN: _("Handläggaren skrev ett meddelande"),
    CaseEvent.Kind.MESSAGE_FROM_CITIZEN: _("Du skrev ett meddelande"),
}
MESSAGE_KINDS = (CaseEvent.Kind.MESSAGE_TO_CITIZEN, CaseEvent.Kind.MESSAGE_FROM_CITIZEN)


def citizen_event_name(kind: str) -> str:
    """An event's name in the resident's "Ärendehistorik"."""
    name = CITIZEN_EVENT_NAMES.get(kind)  # type: ignore[call-overload]
    return str(name) if name is not None else str(CaseEvent.Kind(kind).label)


def news_text(kind: str) -> str:
    text = NEWS_TEXTS.get(kind)  # type: ignore[call-overload]
    return str(text) if text is not None else citizen_event_name(kind)


def message_anchor(pk: int) -> str:
    """The id of a message on its case's "Meddelanden" tab, for links straight to it."""
    return f"meddelande-{pk}"


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
    title: str = ""  # the case's short name from its first answers (``Case.title``)


@dataclass(frozen=True)
class EventLine:
    """One of the latest events of a case in "Mina meddelanden"."""

    created_at: dt.datetime
    text: str  # the new status's name for a status change, else what happened
    url: str = ""  # the message it is about, on the case's "Meddelanden" tab


@dataclass(frozen=True)
class NewsRow:
    """One case in "Mina meddelanden": its latest events (oldest first), unread messages
    and notices not yet seen."""

    number: int | None
    url: str
    events: list[EventLine]
    unread: int
    new: int = 0
    eservice: str = ""


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

    Five queries whatever the number of cases. One finds the newest rows of every section
    and how many each holds, in one pass over the person's own cases (the count read them
    all anyway). The others find the latest events, the messages they link to, unread
    messages and unseen notices of
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
        eservice=shown(values["eservice__title"], {"en": values["eservice__title_en"]}),
        municipality=values["municipality__name"],
        status=status_label(values["status__name"], values["status__name_en"]),
        time=values[time],
        url=url,
        delete_url=delete_url,
        # A submitted case may keep the time its owner was told of as a draft.
        deletion_due=None if values["number"] else deletion_due(values["expiry_noticed_at"]),
        title=values["title"],
    )


def news_page(user: User, *, after: Cursor | None = None, size: int = PAGE_SIZE) -> Page[NewsRow]:
    """A page of "Mina meddelanden": the submitted cases that changed last, each with its
    latest events. Five queries."""
    rows = section_page(user, "news", after=after, size=size)
    return Page(_news_rows(user, rows.rows), rows.next_cursor)


def _news_rows(user: User, cases: list[CaseRow]) -> list[NewsRow]:
    """The cases with their latest events, unread messages and unseen notices: four
    queries (none without cases)."""
    if not cases:
        return []
    pks = [case.pk for case in cases]
    # One event more than is shown: a status change shown last may have come with the
    # message just before it ("Väntar på komplettering" always does).
    events = (
        CaseEvent.objects.filter(case_id__in=pks)
        .annotate(rank=_newest_first_in_case())
        .filter(rank__lte=NEWS_EVENTS_PER_CASE + 1)
        .order_by("created_at", "pk")
        .values_list(
            "case_id", "kind", "created_at", "status__name", "person_id", "status__name_en"
        )
    )
    # Each message is recorded with one message event, in the same order: the case's
    # n-th newest message event is its n-th newest message.
    newest_messages = (
        Message.objects.filter(case_id__in=pks)
        .annotate(rank=_newest_first_in_case())
        .filter(rank__lte=NEWS_EVENTS_PER_CASE + 1)
        .values_list("case_id", "rank", "pk")
    )
    message_pks: dict[int, dict[int, int]] = {}
    for case_id, rank, pk in newest_messages:
        message_pks.setdefault(case_id, {})[rank] = pk
    unread = dict(
        Message.objects.filter(
            case_id__in=pks, direction=Message.Direction.TO_CITIZEN, read_at__isnull=True
        )
        .values("case_id")
        .annotate(count=Count("pk"))
        .values_list("case_id", "count")
    )
    new = unread_notices_per_case(user)
    to_messages = ReversedPattern("cases:messages", _NUMBER)
    number_of = {case.pk: case.number for case in cases}
    by_case: dict[int, list[tuple[Any, ...]]] = {}
    for event in events:
        by_case.setdefault(event[0], []).append(event)
    lines: dict[int, list[EventLine]] = {}
    for case_id, case_events in by_case.items():
        link = to_messages(number_of[case_id])
        lines[case_id] = _event_lines(case_events, message_pks.get(case_id, {}), link)
    return [
        NewsRow(
            number=case.number,
            url=case.url,
            events=lines.get(case.pk, []),
            unread=unread.get(case.pk, 0),
            new=new.get(case.pk, 0),
            eservice=case.eservice,
        )
        for case in cases
    ]


def _newest_first_in_case() -> Window:
    return Window(
        RowNumber(),
        partition_by=[F("case_id")],
        order_by=[F("created_at").desc(), F("pk").desc()],
    )


def _event_lines(
    events: list[tuple[Any, ...]], message_pks: dict[int, int], link: str
) -> list[EventLine]:
    """The latest events of one case (oldest first) as "Mina meddelanden" tells them, a
    message's event and a status change sent with a message linking to that message
    (``message_pks``: the case's newest messages by rank, newest first, from 1)."""
    lines: list[EventLine] = []
    message_rank = 0  # how many message events are newer, counting this one
    for index in range(len(events) - 1, -1, -1):
        _case_id, kind, created_at, status, person_id, status_en = events[index]
        before = events[index - 1] if index else None
        pk = None
        if kind in MESSAGE_KINDS:
            message_rank += 1
            pk = message_pks.get(message_rank)
        elif (
            kind == CaseEvent.Kind.STATUS_CHANGED
            and before is not None
            and before[1] == CaseEvent.Kind.MESSAGE_TO_CITIZEN
            and before[4] == person_id
        ):
            pk = message_pks.get(message_rank + 1)
        text = (
            status_label(status, status_en)
            if kind == CaseEvent.Kind.STATUS_CHANGED and status
            else news_text(kind)
        )
        lines.append(EventLine(created_at, text, f"{link}#{message_anchor(pk)}" if pk else ""))
    lines.reverse()
    return lines[-NEWS_EVENTS_PER_CASE:]


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


@dataclass(frozen=True)
class WaitingSupplement:
    """A case of the person's that waits for them to add what the handler asked for."""

    number: int
    reference: uuid.UUID
    eservice: str
    request: str  # the handler's message sent with "Väntar på komplettering"
    message_pk: int | None
    first_step: str = ""  # where "Ändra ärende" opens


def waiting_supplements(user: User, *, limit: int = PAGE_SIZE) -> list[WaitingSupplement]:
    """The person's cases awaiting a supplement, each with the handler's request: one
    query, bounded by the person's own cases that wait."""
    waiting = Case.objects.for_citizen(user).filter(status_kind=StatusKind.AWAITING_SUPPLEMENT)
    found = _with_request(
        waiting.order_by("-last_event_at", "-pk"),
        "number",
        "reference",
        "eservice_version_id",
        "eservice_version__content_hash",
        "eservice_version__definition",
    )
    return [
        WaitingSupplement(
            number,
            reference,
            shown(title, {"en": title_en}),
            text or "",
            pk,
            _first_step(EServiceVersion(pk=version, content_hash=content_hash, definition=data)),
        )
        for number, reference, version, content_hash, data, title, title_en, text, pk in (
            found[:limit]
        )
    ]


def _first_step(version: EServiceVersion) -> str:
    """The first step of the form, where "Ändra ärende" opens (the answers, which a step's
    condition could hide it by, are not read for a list)."""
    steps = runner.step_links(runner.shown_definition_of_version(version), {})
    return steps[0].key if steps else ""


def supplement_request(case: Case) -> WaitingSupplement | None:
    """What the handler asked for, while the case awaits a supplement: one query."""
    if not case.awaits_supplement:
        return None
    found = _with_request(Case.objects.filter(pk=case.pk)).first()
    _title, _title_en, text, pk = found or ("", "", "", None)
    steps = runner.step_links(runner.shown_definition(case), case.answers)
    return WaitingSupplement(
        case.number or 0,
        case.reference,
        case.eservice.title_shown,
        text or "",
        pk,
        steps[0].key if steps else "",
    )


def _with_request(cases: QuerySet[Case], *fields: str) -> QuerySet[Any]:
    """``fields``, the e-service's title and the handler's latest message up to the latest
    status change (its text and pk) of each case: the message ``services.set_status`` sent
    with "Väntar på komplettering"."""
    changed_at = (
        CaseEvent.objects.filter(case=OuterRef("pk"), kind=CaseEvent.Kind.STATUS_CHANGED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    requests = Message.objects.filter(
        case=OuterRef("pk"),
        direction=Message.Direction.TO_CITIZEN,
        created_at__lte=OuterRef("changed_at"),
    ).order_by("-created_at", "-pk")
    return (
        cases.annotate(changed_at=Subquery(changed_at))
        .annotate(
            request_text=Subquery(requests.values("text")[:1]),
            request_pk=Subquery(requests.values("pk")[:1]),
        )
        .values_list(*fields, "eservice__title", "eservice__title_en", "request_text", "request_pk")
    )


@dataclass(frozen=True)
class Change:
    """One answer changed in a supplement: the field's label, before and after; for a
    file field also the files added and removed."""

    label: str
    before: str
    after: str
    added: list[str]
    removed: list[str]


def supplement_changes(
    definition: Definition, submitted: dict[str, Any], answers: dict[str, Any]
) -> list[Change]:
    """What "Ändra ärende" changed compared with the submitted revision, in the order the
    form asks (answers no longer shown last)."""
    before = _displayed(definition, submitted)
    after = _displayed(definition, answers)
    changes = []
    for key in [*after, *(key for key in before if key not in after)]:
        label, old = before.get(key, ("", ""))
        label, new = after.get(key, (label, ""))
        if old == new:
            continue
        added: list[str] = []
        removed: list[str] = []
        if stored_files(submitted.get(key)) or stored_files(answers.get(key)):
            old_files, new_files = old.splitlines(), new.splitlines()
            added = [name for name in new_files if name not in old_files]
            removed = [name for name in old_files if name not in new_files]
        changes.append(Change(label, old, new, added, removed))
    return changes


def _displayed(definition: Definition, answers: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        row.key: (row.label, row.display)
        for section in summarise(definition, answers)
        for row in section.rows
    }

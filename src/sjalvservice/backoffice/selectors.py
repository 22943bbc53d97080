"""The handler's inbox: tabs, filters, search and keyset pagination over their own cases.

What a page costs is bounded by its size, not by the municipality's history: each tab is
a walk in order along one of the partial indexes on ``Case`` (what is on the desk, or
what is closed), filtering on the columns those indexes carry; only the ids of a page are
found that way and then its rows fetched by id, with just the columns the list shows. The
tab counts stop at ``COUNT_CAP`` ("1 000+"), so no count reads more than that many index
entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from sjalvservice.backoffice.access import Handled, cases_for, handled_by
from sjalvservice.cases.models import ON_THE_DESK, OPEN_KINDS, Case, StatusKind, status_label
from sjalvservice.core.keyset import cursor_text, parse_cursor
from sjalvservice.core.languages import shown
from sjalvservice.core.reversing import ReversedPattern
from sjalvservice.core.se_ids import InvalidIdentityNumber, normalize_personal_identity_number

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User

PAGE_SIZE = 25
# Counts above this show as "1 000+".
COUNT_CAP = 1000
# A search counts no more of its matches than this ("100+"): a name shared by thousands
# of people is found in a few milliseconds among the first hundred of them, but counting
# them all means joining all of them with all the handler's cases.
SEARCH_COUNT_CAP = 100
# The columns the list shows (and what its tags need), fetched as values.
LISTED = (
    "pk",
    "number",
    "title",
    "status_kind",
    "handler_unread",
    "due_at",
    "last_event_at",
    "eservice__title",
    "eservice__title_en",
    "status__name",
    "status__name_en",
    "owner__first_name",
    "owner__last_name",
    "handler__first_name",
    "handler__last_name",
    "handler__username",
)

# Tab slug -> (label, what belongs to it). "Att hantera": new, supplemented, with an unread
# message from the citizen, or overdue.
TABS = {
    "att-hantera": _("Att hantera"),
    "mina": _("Mina ärenden"),
    "aktiva": _("Alla aktiva"),
    "avslutade": _("Avslutade"),
}
DEFAULT_TAB = "att-hantera"


def tab_filter(tab: str, user: User, now: dt.datetime) -> Q:
    """What belongs to a tab. The open tabs repeat ``ON_THE_DESK``, the condition of the
    index they walk, so that the database sees at once that the index holds them."""
    if tab == "avslutade":
        return Q(status_kind=StatusKind.CLOSED)
    open_cases = Q(status_kind__in=OPEN_KINDS)
    if tab == "att-hantera":
        return ON_THE_DESK & (
            Q(status_kind__in=[StatusKind.SUBMITTED, StatusKind.SUPPLEMENTED])
            | Q(handler_unread=True)
            | (Q(due_at__lt=now) & open_cases)
        )
    if tab == "mina":
        return ON_THE_DESK & open_cases & Q(handler=user)
    return ON_THE_DESK & open_cases


@dataclass
class InboxQuery:
    """What the handler asked for, from the query string; unknown values are ignored."""

    tab: str = DEFAULT_TAB
    eservice: int | None = None
    status: int | None = None
    handler: str = ""  # a user id, "ingen" (nobody) or ""
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    search: str = ""
    after: tuple[dt.datetime, int] | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Any) -> InboxQuery:
        query = cls()
        tab = params.get("flik", DEFAULT_TAB)
        query.tab = tab if tab in TABS else DEFAULT_TAB
        query.eservice = _integer(params.get("etjanst"))
        query.status = _integer(params.get("status"))
        handler = params.get("handlaggare", "")
        query.handler = handler if handler == "ingen" or _integer(handler) else ""
        query.submitted_from = _date(params.get("fran"))
        query.submitted_to = _date(params.get("till"))
        if params.get("fran") and query.submitted_from is None:
            query.problems.append("fran")
        if params.get("till") and query.submitted_to is None:
            query.problems.append("till")
        query.search = _search_text(params.get("q", ""))
        query.after = parse_cursor(str(params.get("efter", "")))
        return query

    @property
    def searches_personal_identity_number(self) -> bool:
        return _personal_identity_number(self.search) is not None

    def filters(self, *, statuses: list[int] | None = None) -> Q:
        """The conditions asked for; ``statuses`` are what the chosen status stands for
        (``Choices.status_ids``), by default the chosen one alone."""
        condition = Q()
        if self.eservice:
            condition &= Q(eservice_id=self.eservice)
        if self.status:
            statuses = statuses or [self.status]
            condition &= (
                Q(status_id=statuses[0]) if len(statuses) == 1 else Q(status_id__in=statuses)
            )
        if self.handler == "ingen":
            condition &= Q(handler__isnull=True)
        elif self.handler:
            condition &= Q(handler_id=int(self.handler))
        tz = timezone.get_current_timezone()
        if self.submitted_from:
            start = dt.datetime.combine(_within_range(self.submitted_from), dt.time.min, tz)
            condition &= Q(submitted_at__gte=start)
        if self.submitted_to:
            end = dt.datetime.combine(
                _within_range(self.submitted_to) + dt.timedelta(days=1), dt.time.min, tz
            )
            condition &= Q(submitted_at__lt=end)
        if self.search:
            condition &= _search(self.search)
        return condition

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of this view with ``changes`` (for tab, filter and page links)."""
        values = {
            "flik": self.tab,
            "etjanst": str(self.eservice or ""),
            "status": str(self.status or ""),
            "handlaggare": self.handler,
            "fran": self.submitted_from.isoformat() if self.submitted_from else "",
            "till": self.submitted_to.isoformat() if self.submitted_to else "",
            "q": self.search,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class InboxRow:
    """One case in the list, with what its row shows."""

    number: int
    url: str
    eservice: str
    title: str  # the case's short name from its first answers; may be empty
    citizen: str  # empty for a case sent in without logging in
    status: str
    last_event_at: dt.datetime
    handler: str  # empty when nobody is assigned
    unread: bool
    overdue: bool
    supplemented: bool


@dataclass
class InboxPage:
    rows: list[InboxRow]
    counts: dict[str, int]
    next_cursor: str | None
    # The counts are of the first matches only (a search with more than the cap).
    at_least: bool = False

    def count_label(self, slug: str) -> str:
        """A tab's count as shown: "1 000+" past the cap, "12+" when only the first
        matches of a search were counted."""
        count = self.counts[slug]
        cap = SEARCH_COUNT_CAP if self.at_least else COUNT_CAP
        if count > cap:
            return f"{number_format(cap, force_grouping=True)}+"
        return f"{count}+" if self.at_least else str(count)


@dataclass(frozen=True)
class Choices:
    """What the filters offer, each as (pk, label): the handler's e-services, the
    statuses of the municipality (with their kinds, each name once) and its handlers."""

    handled: Handled
    statuses: list[tuple[int, str, str]]  # (pk, name, kind)
    handlers: list[tuple[int, str]]
    # A status of the municipality's own -> the shared status of its name and kind that
    # it replaces in the list: cases may still have the shared one.
    replaces: dict[int, int] = field(default_factory=dict)

    def status_ids(self, pk: int) -> list[int]:
        """The statuses that filtering on status ``pk`` finds."""
        replaced = self.replaces.get(pk)
        return [pk] if replaced is None else [pk, replaced]


def filter_choices(user: User) -> Choices:
    """The e-services, statuses and handlers the filters offer: three queries."""
    from sjalvservice.accounts.models import User as UserModel
    from sjalvservice.cases.models import Status

    municipality = user.municipality_id or 0
    statuses = list(
        Status.objects.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality))
        .exclude(kind=StatusKind.DRAFT)
        .values_list("pk", "name", "kind", "municipality_id")
    )
    handlers = (
        UserModel.objects.filter(is_staff=True, is_active=True, municipality_id=municipality)
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    listed, replaces = _one_of_each_name(statuses)
    return Choices(
        handled=handled_by(user),
        statuses=listed,
        handlers=[
            (pk, f"{first} {last}".strip() or username or "")
            for pk, first, last, username in handlers
        ],
        replaces=replaces,
    )


def _one_of_each_name(
    statuses: Sequence[tuple[int, str, str, int | None]],
) -> tuple[list[tuple[int, str, str]], dict[int, int]]:
    """The statuses as (pk, name, kind), each name once in the order of the kinds (the
    shared names first within a kind): a municipality's own status replaces the shared
    one of its name. Also which shared status each own one replaces, where their kinds
    agree."""
    order = {kind: index for index, kind in enumerate(StatusKind)}
    own = {name: (pk, kind) for pk, name, kind, municipality in statuses if municipality}
    shared_names = {name for _pk, name, _kind, municipality in statuses if not municipality}
    listed, replaces = [], {}
    for pk, name, kind, municipality in statuses:
        if municipality is None and name in own:
            own_pk, own_kind = own[name]
            if own_kind == kind:
                replaces[own_pk] = pk
            continue
        listed.append((pk, name, kind))
    listed.sort(key=lambda status: (order[StatusKind(status[2])], status[1] not in shared_names))
    return listed, replaces


def inbox(
    user: User, query: InboxQuery, choices: Choices, *, now: dt.datetime | None = None
) -> InboxPage:
    """One page of the handler's cases and the count of every tab (with the same filters).

    Two queries at most: the counts, and the page. A tab that the chosen status cannot
    be in (a closed status in an open tab, or the other way round) holds nothing, and is
    neither counted nor walked.
    """
    now = now or timezone.now()
    statuses = choices.status_ids(query.status) if query.status else None
    base = cases_for(user, eservice=query.eservice, handled=choices.handled).filter(
        query.filters(statuses=statuses)
    )
    possible = set(TABS)
    if query.status:
        kinds = {pk: kind for pk, _name, kind in choices.statuses}
        kind = kinds.get(query.status)
        if kind is None:  # not a status of this municipality
            possible = set()
        else:
            base = base.filter(status_kind=kind)
            possible = {"avslutade"} if kind == StatusKind.CLOSED else possible - {"avslutade"}
    at_least = False
    if query.search:
        counts, at_least = _counts_of_matches(base, user, now)
    else:
        counts = _capped_counts(
            {slug: base.filter(tab_filter(slug, user, now)) for slug in TABS if slug in possible}
        )
    counts = {slug: counts.get(slug, 0) for slug in TABS}
    found: list[dict[str, Any]] = []
    if query.tab in possible:
        ids = base.filter(tab_filter(query.tab, user, now)).order_by("-last_event_at", "-pk")
        if query.after:
            moment, pk = query.after
            ids = ids.filter(Q(last_event_at__lt=moment) | Q(last_event_at=moment, pk__lt=pk))
        found = list(
            Case.objects.filter(pk__in=ids.values("pk")[: PAGE_SIZE + 1])
            .order_by("-last_event_at", "-pk")
            .values(*LISTED)
        )
    next_cursor = None
    if len(found) > PAGE_SIZE:
        found = found[:PAGE_SIZE]
        next_cursor = cursor_text(found[-1]["last_event_at"], found[-1]["pk"])
    to_case = ReversedPattern("backoffice:case", 987654321)
    rows = [_row(values, to_case(values["number"]), now) for values in found]
    return InboxPage(rows=rows, counts=counts, next_cursor=next_cursor, at_least=at_least)


def _counts_of_matches(
    base: QuerySet[Case], user: User, now: dt.datetime
) -> tuple[dict[str, int], bool]:
    """The tabs' counts of a search: one pass over its first ``SEARCH_COUNT_CAP + 1``
    matches (finding them is the costly part, so it is done once)."""
    matches = base.order_by().values("pk")[: SEARCH_COUNT_CAP + 1]
    per_tab = {
        slug.replace("-", "_"): Count("pk", filter=tab_filter(slug, user, now)) for slug in TABS
    }
    found = Case.objects.filter(pk__in=matches).aggregate(total=Count("pk"), **per_tab)
    counts = {slug: found[slug.replace("-", "_")] for slug in TABS}
    return counts, found["total"] > SEARCH_COUNT_CAP


def _row(values: dict[str, Any], url: str, now: dt.datetime) -> InboxRow:
    citizen = f"{values['owner__first_name'] or ''} {values['owner__last_name'] or ''}".strip()
    handler = f"{values['handler__first_name'] or ''} {values['handler__last_name'] or ''}"
    due_at = values["due_at"]
    return InboxRow(
        number=values["number"],
        url=url,
        eservice=shown(values["eservice__title"], {"en": values["eservice__title_en"]}),
        title=values["title"] or "",
        citizen=citizen,
        status=status_label(values["status__name"], values["status__name_en"]),
        last_event_at=values["last_event_at"],
        handler=handler.strip() or values["handler__username"] or "",
        unread=values["handler_unread"],
        overdue=bool(due_at and due_at < now and values["status_kind"] in OPEN_KINDS),
        supplemented=values["status_kind"] == StatusKind.SUPPLEMENTED,
    )


def _capped_counts(querysets: dict[str, QuerySet[Case]]) -> dict[str, int]:
    """How many rows each queryset has, counting no further than ``COUNT_CAP + 1``: one
    query of one capped subquery per count."""
    if not querysets:
        return {}
    parts, params = [], []
    database = "default"
    for queryset in querysets.values():
        database = queryset.db
        capped = queryset.order_by().values("pk")[: COUNT_CAP + 1]
        try:
            sql, subquery_params = capped.query.get_compiler(using=database).as_sql()
        except EmptyResultSet:  # nothing can match (no e-services assigned)
            parts.append("0")
            continue
        # The SQL is the ORM's own compilation, with its values as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608
        params.extend(subquery_params)
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


def _search_text(value: Any) -> str:
    """The words searched for, without control characters (PostgreSQL refuses a NUL in a
    query), at most 100 characters."""
    printable = "".join(c if c.isprintable() else " " for c in str(value))
    return " ".join(printable.split())[:100]


def _search(text: str) -> Q:
    """A case number, a personal identity number, or words of the citizen's name."""
    number = _personal_identity_number(text)
    if number is not None:
        return Q(owner__personal_identity_number=number)
    digits = text.replace(" ", "")
    # isascii: "²" is a digit to isdigit() but not to int().
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        return Q(number=int(digits))
    condition = Q()
    for word in text.split()[:4]:
        condition &= Q(owner__search_name__icontains=word)
    return condition


def _personal_identity_number(text: str) -> str | None:
    if sum(character.isdigit() for character in text) < 10:
        return None
    try:
        return normalize_personal_identity_number(text)
    except InvalidIdentityNumber:
        return None


def _integer(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# Dates asked for are moved into these years before they are compared: no case was sent
# before or after them, so the answer is the same, and Python's first and last days cannot
# be moved to UTC or a day on (OverflowError).
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _within_range(day: dt.date) -> dt.date:
    return min(max(day, FIRST_DAY), LAST_DAY)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None

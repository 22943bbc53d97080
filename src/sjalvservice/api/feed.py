"""The event feed: every case event in a client's scope, in an order a reader can follow
without ever missing one.

Events are written inside the transactions that make the changes, and those commit in any
order: an event with a smaller pk can become visible after one with a larger pk. A reader
that remembered "the last pk I saw" would then skip it for good. So on PostgreSQL every
event carries the id of the transaction that wrote it (``CaseEvent.transaction_id``), the
feed is ordered by (transaction id, pk), and it only shows events of transactions older
than the oldest one still running (``pg_snapshot_xmin``): those are all committed or
rolled back, nothing can be added before them any more, and a cursor past them is final.
A transaction that runs long holds the feed back until it ends; it never loses an event.

SQLite lets one transaction write at a time, so there pks are taken in commit order and
the transaction id is 0 for every event.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from sjalvservice.api.access import eservice_ids
from sjalvservice.api.models import ApiClient
from sjalvservice.cases.models import CaseEvent

Cursor = tuple[int, int]
START: Cursor = (0, 0)


def cursor_text(event: CaseEvent) -> str:
    return f"{event.transaction_id}.{event.pk}"


def parse_cursor(value: str | None) -> Cursor | None:
    """The (transaction id, pk) of ``value``, START for none, None for a malformed one."""
    if not value:
        return START
    transaction, _dot, pk = value.partition(".")
    if not all(part.isascii() and part.isdigit() and len(part) <= 19 for part in (transaction, pk)):
        return None
    parsed = int(transaction), int(pk)
    if max(parsed) >= 2**63:
        return None
    return parsed


def _horizon() -> int | None:
    """The oldest transaction still running on PostgreSQL: events of older ones are final."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return int(cursor.fetchone()[0])


def events_after(client: ApiClient, cursor: Cursor, limit: int) -> QuerySet[CaseEvent]:
    """The client's next ``limit`` events after ``cursor``, oldest first."""
    transaction, pk = cursor
    events = CaseEvent.objects.filter(
        Q(transaction_id__gt=transaction) | Q(transaction_id=transaction, pk__gt=pk),
        case__municipality_id=client.municipality_id,
        case__eservice_id__in=eservice_ids(client),
    )
    horizon = _horizon()
    if horizon is not None:
        events = events.filter(transaction_id__lt=horizon)
    return events.select_related("case", "status").order_by("transaction_id", "pk")[:limit]

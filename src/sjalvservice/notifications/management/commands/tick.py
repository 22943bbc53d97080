"""``sjalvservice tick``: the chores that must happen even when nobody asks, once a minute.

- Hand to the worker every delivery that should have been sent by now: its task was
  lost, a worker died under its lease, or a scheduled reminder has come due.
- Purge finished task results older than ``TASK_RESULT_RETENTION_DAYS`` and expired
  sessions.
- Send ``core.signals.tick``: the other apps' chores (queue places to remind of their
  yearly confirmation, and those that lapsed without it).

It is safe to run on several machines at once: on PostgreSQL only one run at a time
does the work (an advisory lock; the others return at once), and every step is
idempotent anyway, so on SQLite (one machine) two overlapping runs only repeat work.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from sjalvservice.core import signals
from sjalvservice.notifications.delivery import stale
from sjalvservice.notifications.outbox import enqueue

# pg_try_advisory_lock key: "tick" in ASCII.
LOCK_KEY = 0x7469636B


class Command(BaseCommand):
    help = "Redeliver due and stale notices, purge old task results and expired sessions."

    def handle(self, *args: Any, **options: Any) -> None:
        with _only_one() as mine:
            if not mine:
                self.stdout.write("Another tick is running; nothing to do.")
                return
            now = timezone.now()
            due = stale(now)
            enqueue(due)
            results = _purge_task_results(now)
            engine = importlib.import_module(settings.SESSION_ENGINE)
            with contextlib.suppress(NotImplementedError):
                engine.SessionStore.clear_expired()
            signals.tick.send(sender=self.__class__, now=now)
        self.stdout.write(
            f"Tick: {len(due)} deliveries handed to the worker, {results} task results purged."
        )


@contextlib.contextmanager
def _only_one() -> Iterator[bool]:
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        locked = bool(cursor.fetchone()[0])
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def _purge_task_results(now: Any) -> int:
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = now - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted

"""The database side of ``bench/pages.py``: run once per database, in its own process.

    python bench/pages_setup.py check --cases N     # is the database seeded as wanted?
    python bench/pages_setup.py prepare --cases N   # migrate, seed if empty, log in

The settings come from the environment (``DATABASE_URL``, ``SECRET_KEY`` the same as the
servers', so that the sessions made here are theirs). ``check`` prints whether the
database holds ``N`` seeded cases on the current migrations; ``prepare`` migrates, seeds
an empty database (``sjalvservice.demo.bulk``), analyses it, remembers what it seeded in a
file beside the benchmark's output, and then logs the bench identities in by creating
their sessions as the login views would, and prints the pages to measure. Every answer
is one JSON line on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["check", "prepare"])
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--marker", required=True, help="file that records what was seeded")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sjalvservice.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    marker = Path(args.marker)
    if args.action == "check":
        answer: dict[str, Any] = {"reason": not_ready(marker, args.cases)}
    else:
        answer = prepare(marker, args.cases)
    print(json.dumps(answer), flush=True)
    return 0


def applied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    if MigrationRecorder.Migration._meta.db_table not in connection.introspection.table_names():
        return []
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def schema_fingerprint() -> str:
    """A digest of every migration file and of the seeder: a migration edited in place
    (before it is released) changes the schema as much as a new one."""
    from django.db.migrations.loader import MigrationLoader

    from sjalvservice.demo import bulk

    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    files = [sys.modules[type(migration).__module__].__file__
             for _key, migration in sorted(loader.disk_migrations.items())]  # fmt: skip
    for name in [*files, bulk.__file__]:
        assert name is not None
        digest.update(Path(name).read_bytes())
    return digest.hexdigest()


def pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def not_ready(marker: Path, cases: int) -> str:
    """Why the database cannot be used as it is ('' when it can)."""
    from sjalvservice.accounts.models import User
    from sjalvservice.cases.models import Case
    from sjalvservice.demo import bulk

    if not marker.exists():
        return "not seeded by the benchmark yet"
    recorded = json.loads(marker.read_text())
    if recorded.get("format") != bulk.SEED_FORMAT:
        return "seeded by an older version of the seeder"
    if recorded.get("cases") != cases:
        return f"seeded with {recorded.get('cases')} cases, {cases} wanted"
    if pending_migrations() or recorded.get("migrations") != applied_migrations():
        return "the schema has changed since it was seeded"
    if recorded.get("fingerprint") != schema_fingerprint():
        return "a migration or the seeder has changed since it was seeded"
    if Case.objects.count() != cases:
        return "its cases are not the ones seeded"
    usernames = {bulk.BENCH_CITIZEN, bulk.BENCH_HANDLER, bulk.BENCH_ADMIN}
    if User.objects.filter(username__in=usernames).count() != len(usernames):
        return "the bench identities are missing"
    return ""


def prepare(marker: Path, cases: int) -> dict[str, Any]:
    from django.core.management import call_command

    from sjalvservice.cases.models import Case
    from sjalvservice.demo import bulk

    call_command("migrate", verbosity=0)
    seeded: dict[str, Any] = {"reused": True}
    if not Case.objects.exists():
        marker.unlink(missing_ok=True)
        log(f"seeding {cases:,} cases (this takes a while at a million)...")
        summary = bulk.seed(cases=cases)
        log(summary.as_text())
        started = time.monotonic()
        bulk.analyze()
        analysed = time.monotonic() - started
        log(f"analysed in {analysed:.1f} s")
        seeded = {
            "reused": False,
            "seconds": round(summary.seconds, 1),
            "analyse_seconds": round(analysed, 1),
            "phases": {name: round(seconds, 2) for name, seconds in summary.phases.items()},
            "summary": summary.as_text(),
        }
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(
            json.dumps(
                {
                    "format": bulk.SEED_FORMAT,
                    "cases": cases,
                    "migrations": applied_migrations(),
                    "fingerprint": schema_fingerprint(),
                }
            )
        )
    reason = not_ready(marker, cases)
    if reason:
        raise SystemExit(f"The database is not usable: {reason}. Run with --reseed.")
    return {"seed": seeded, **targets()}


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def session_for(user: Any, *, staff: bool) -> str:
    """A session as the login views leave it: Django's auth keys, the e-ID session policy's
    clock and, for staff, the verified second factor (django-otp)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sjalvservice.eid.services import LAST_ACTIVITY, LOGIN_AT, METHOD

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LOGIN_AT] = now
    store[LAST_ACTIVITY] = now
    if staff:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    else:
        store[METHOD] = "bankid"
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def targets() -> dict[str, Any]:
    """The identities' cookies and every page to measure, with this database's numbers."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from sjalvservice.accounts.models import User
    from sjalvservice.backoffice.access import cases_for, eservices_for
    from sjalvservice.cases.models import OPEN_KINDS, Case, Status, StatusKind
    from sjalvservice.demo import bulk

    citizen = User.objects.get(username=bulk.BENCH_CITIZEN)
    handler = User.objects.get(username=bulk.BENCH_HANDLER)
    admin = User.objects.get(username=bulk.BENCH_ADMIN)
    mine = (
        Case.objects.for_citizen(citizen)
        .submitted()
        .annotate(messages_count=Count("messages"))
        .order_by("-messages_count", "-number")
        .first()
    )
    handled = cases_for(handler).filter(status_kind__in=OPEN_KINDS, handler=handler)
    theirs = handled.annotate(events_count=Count("events")).order_by("-events_count").first()
    if mine is None or theirs is None or theirs.owner is None:
        raise SystemExit("The seeded data lacks a case for the bench identities.")
    eservice = eservices_for(handler).annotate(used=Count("cases")).order_by("-used", "pk").first()
    assert eservice is not None
    status = Status.objects.default_for(StatusKind.IN_PROGRESS)
    today = timezone.localdate()
    a_year_ago = today - dt.timedelta(days=365)
    inbox = reverse("backoffice:inbox")
    case_page = reverse("cases:case", args=[mine.number])
    pages: list[dict[str, str]] = [
        {"name": "Mina sidor", "who": "citizen", "path": reverse("cases:my_pages"),
         "goal": "my-pages"},
        {"name": "citizen's case page", "who": "citizen", "path": case_page, "goal": ""},
        {"name": "its messages tab", "who": "citizen",
         "path": reverse("cases:messages", args=[mine.number]), "goal": ""},
    ]  # fmt: skip
    searches = {
        "tab att-hantera": "flik=att-hantera",
        "tab mina": "flik=mina",
        "tab aktiva": "flik=aktiva",
        "tab avslutade": "flik=avslutade",
        "handlaggare=ingen": "handlaggare=ingen",
        "etjanst=<id>": f"etjanst={eservice.pk}",
        "status=<id>": f"status={status.pk}",
        "closed, a month a year ago": (
            f"flik=avslutade&fran={a_year_ago - dt.timedelta(days=30)}&till={a_year_ago}"
        ),
        "search case number": f"q={theirs.number}",
        "search personnummer": f"q={theirs.owner.personal_identity_number}",
        "search q=Andersson": "q=Andersson",
    }
    for who in ("handler", "admin"):
        for name, query in searches.items():
            pages.append({"name": f"inbox {name}", "who": who, "path": f"{inbox}?{query}",
                          "goal": "inbox"})  # fmt: skip
        pages.append(
            {
                "name": "inbox 50 pages deep (avslutade)",
                "who": who,
                "path": f"{inbox}?flik=avslutade",
                "goal": "inbox",
                "follow": "50",
            }
        )
        pages.append({"name": "handler's case page", "who": who,
                      "path": reverse("backoffice:case", args=[theirs.number]),
                      "goal": "handler-case"})  # fmt: skip
    return {
        "cookies": {
            "citizen": session_for(citizen, staff=False),
            "handler": session_for(handler, staff=True),
            "admin": session_for(admin, staff=True),
        },
        "floor": reverse("core:cookies"),
        "pages": pages,
        "upload": reverse("cases:messages", args=[mine.number]),
        "cases": Case.objects.count(),
    }


if __name__ == "__main__":
    sys.exit(main())

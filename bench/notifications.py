"""Benchmark: N notices through W `db_worker` processes into a real SMTP server.

    make bench                                   # 10,000 notices, 2 workers, PostgreSQL
    .venv/bin/python bench/notifications.py --count 2000 --workers 4

It creates a fresh database (``sjalvservice_bench`` on the server in ``DATABASE_URL``,
PostgreSQL by default at 127.0.0.1:5432), writes the notices through the outbox as the
domain functions do (one transaction per case, ten recipients each), starts the workers
and the mailbox, and waits until every delivery is done. It reports the throughput and
checks that every notice arrived exactly once: as many messages as deliveries, one per
Message-ID, none missing. It exits 1 if any was lost or duplicated.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/sjalvservice"
RECIPIENTS_PER_CASE = 10


def bench_database_url(server: str) -> str:
    parts = urlsplit(server)
    if parts.scheme.startswith("sqlite"):
        return f"sqlite:///{ROOT / 'var' / 'bench-notifications.sqlite3'}"
    return urlunsplit(parts._replace(path="/sjalvservice_bench"))


def recreate(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        Path(parts.path).unlink(missing_ok=True)
        Path(parts.path).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS sjalvservice_bench WITH (FORCE)")
        connection.execute("CREATE DATABASE sjalvservice_bench")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=1800, help="seconds to wait at most")
    args = parser.parse_args()
    url = bench_database_url(os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    recreate(url)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="sjalvservice.settings",
        DATA_DIR=str(ROOT / "var" / "bench"),
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from sjalvservice.simulators.mailbox import Simulator

    with Simulator(quiet=True, limit=args.count * 2) as mailbox:
        cases = write_notices(args.count)
        print(f"{args.count} notices written for {cases} cases ({vendor()}).", flush=True)
        environ = {
            **os.environ,
            "EMAIL_BACKEND": "smtp",
            "EMAIL_HOST": mailbox.smtp_host,
            "EMAIL_PORT": str(mailbox.smtp_port),
            "NOTIFICATION_LEASE": "60",
        }
        command = [sys.executable, "-m", "sjalvservice", "db_worker", "--no-reload",
                   "--no-startup-delay", "--interval", "0.05"]  # fmt: skip
        started = time.monotonic()
        workers = [
            subprocess.Popen(  # noqa: S603
                command,
                env=environ,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        try:
            done = wait_until_done(args.count, started + args.timeout)
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(30)
        elapsed = time.monotonic() - started
        return report(mailbox.messages(), done, elapsed, args)


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def write_notices(count: int) -> int:
    """As the domain functions do: per case one transaction, ten recipients."""
    from django.db import transaction

    from sjalvservice.accounts.models import User
    from sjalvservice.cases.models import Case, Status, StatusKind
    from sjalvservice.core.models import Municipality
    from sjalvservice.eservices.models import Category, EService
    from sjalvservice.eservices.services import publish_version
    from sjalvservice.notifications import outbox
    from sjalvservice.notifications.kinds import Channel, Kind

    municipality = Municipality.objects.create(
        name="Benchkommun", slug="bench", organisation_number="2120002742"
    )
    category = Category.objects.create(name="Bench", slug="bench")
    eservice = EService.objects.create(
        municipality=municipality, category=category, slug="bench", title="Bench"
    )
    publish_version(eservice, {"schema_version": 1, "title": "Bench", "steps": [
        {"key": "s", "title": "S", "fields": [{"key": "t", "type": "text", "label": "T"}]}
    ]})  # fmt: skip
    owner = User.objects.create_citizen("198101059825", given_name="B", surname="B")
    status = Status.objects.default_for(StatusKind.SUBMITTED)
    cases = (count + RECIPIENTS_PER_CASE - 1) // RECIPIENTS_PER_CASE
    written = 0
    for number in range(1, cases + 1):
        with transaction.atomic():
            case = Case.objects.create(
                eservice=eservice, eservice_version=eservice.current_version,
                municipality=municipality, owner=owner, status=status, number=number,
            )  # fmt: skip
            recipients = [
                outbox.Recipient(f"user-{i}", Channel.EMAIL, f"handlaggare{i}@bench.example", "sv")
                for i in range(min(RECIPIENTS_PER_CASE, count - written))
            ]
            outbox.record(
                kind=Kind.NEW_CASE,
                source=f"bench-{number}",
                case=case,
                path="/",
                recipients=recipients,
            )
            written += len(recipients)
    return cases


def wait_until_done(count: int, deadline: float) -> int:
    from sjalvservice.notifications.models import Delivery

    done = 0
    while time.monotonic() < deadline:
        done = Delivery.objects.filter(
            state__in=[Delivery.State.SENT, Delivery.State.FAILED]
        ).count()
        if done >= count:
            break
        time.sleep(0.5)
    return done


def report(messages: list[dict], done: int, elapsed: float, args: argparse.Namespace) -> int:
    from sjalvservice.notifications.delivery import message_id
    from sjalvservice.notifications.models import Delivery

    expected = {message_id(key) for key in Delivery.objects.values_list("key", flat=True)}
    received = [message["headers"]["Message-ID"] for message in messages]
    duplicated = len(received) - len(set(received))
    lost = len(expected - set(received))
    failed = Delivery.objects.filter(state=Delivery.State.FAILED).count()
    retried = Delivery.objects.filter(attempts__gt=1).count()
    print(
        f"{args.count} notices through {args.workers} workers in {elapsed:.1f} s: "
        f"{done / elapsed:.0f} per second; received {len(received)}, lost {lost}, "
        f"duplicated {duplicated}, failed {failed}, tried more than once {retried}."
    )
    return 0 if lost == duplicated == failed == 0 and len(received) == args.count else 1


if __name__ == "__main__":
    sys.exit(main())

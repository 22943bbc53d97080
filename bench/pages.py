"""Benchmark: every page that grows with the data, over real HTTP, against the floor.

    make bench                                  # PostgreSQL 1M and 10k cases, SQLite 100k
    .venv/bin/python bench/pages.py --quick     # 10k and 1k cases, fewer repetitions
    .venv/bin/python bench/pages.py --only sqlite --repeat 50
    .venv/bin/python bench/pages.py --reseed    # seed again even if the data is there

It makes the databases ``sjalvservice_bench_1m`` and ``sjalvservice_bench_10k`` on the
PostgreSQL server of ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/) and
``var/bench/pages-100k.sqlite3`` for the embedded default, migrates and seeds them with
``sjalvservice.demo.bulk`` (minutes at a million; a database already seeded at the wanted
size on the current migrations is used again), and starts the portal on each as production
runs it: gunicorn, gthread, two workers of four threads, ``MODE=production``, DEBUG off.
The bench identities (``bench-citizen``, ``bench-handler``, ``bench-admin``) are logged in
by creating their sessions as the login views do, second factor included.

Each page is measured against the floor, the bare logged-in "Kakor" page, in one run:
floor, page, floor, page ... on one keep-alive connection. It reports the median, the 95th
percentile and the ratio of the medians. Then the cost of each page at 1M against 10k
cases (two servers, requests alternating), the throughput of the inbox and Mina sidor with
8 connections at once, and what a 50 MB attachment does to the web process's memory. It
prints one table and writes everything to ``var/bench/pages.json``. The exit status is 0
when goals are missed (the table says so) and 1 on errors: a page that does not answer 200.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import platform
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
UPLOAD_BYTES = 50_000_000  # 50 MB, under the default limit of 50 MiB
CONNECTIONS = 8
IDLE = "(idle)"
# What production would have that the loopback benchmark cannot: switched off, and said so.
SWITCHED_OFF = {
    "SECURE_SSL_REDIRECT": "false",  # no TLS on loopback
    "SECURE_COOKIES": "false",  # cookies over plain http
    "SESSION_IDLE_TIMEOUT": "1440",  # a long run must not be logged out between phases
    "SESSION_MAX_AGE": "1440",
}


class BenchError(Exception):
    """Something that makes the figures meaningless: a page that does not answer 200."""


@dataclass
class Database:
    label: str
    vendor: str  # postgresql or sqlite
    url: str
    cases: int
    marker: Path
    name: str = ""  # the PostgreSQL database's name
    targets: dict[str, Any] = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10k/1k cases, fewer repetitions")
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--repeat", type=int, help="requests per page (default 100, quick 20)")
    parser.add_argument("--reseed", action="store_true", help="seed again even if seeded")
    parser.add_argument("--port", type=int, default=8710, help="first of three ports")
    args = parser.parse_args()
    repeat = args.repeat or (20 if args.quick else 100)
    OUT.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(60)
    databases = plan_databases(args)
    started = time.time()
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_before": os.getloadavg()},
        "quick": args.quick, "repeat": repeat, "switched_off": SWITCHED_OFF,
        "databases": {}, "pages": [], "cross": [], "throughput": [], "upload": [],
    }  # fmt: skip
    for database in databases:
        prepare(database, secret, reseed=args.reseed)
        report["databases"][database.label] = {
            "cases": database.targets["cases"], "seed": database.targets["seed"],
        }  # fmt: skip
    collect_static(secret)
    servers: list[Server] = []
    try:
        for index, database in enumerate(databases):
            servers.append(Server(database, args.port + index, secret))
        for server in servers:
            server.wait()
        by_label = {server.database.label: server for server in servers}
        for server in servers:
            report["pages"] += measure_pages(server, repeat)
        big, small = pair(databases)
        if big and small:
            report["cross"] = measure_cross(by_label[big.label], by_label[small.label], repeat)
        for server in servers:
            if server.database is small:
                continue  # the small PostgreSQL database is only there to compare against
            seconds = 3 if args.quick else 10
            report["throughput"] += measure_throughput(server, seconds)
            report["upload"].append(measure_upload(server))
    except BenchError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    finally:
        for server in servers:
            server.stop()
    report["machine"]["load_after"] = os.getloadavg()
    report["seconds"] = round(time.time() - started)
    (OUT / "pages.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    return 0


def plan_databases(args: argparse.Namespace) -> list[Database]:
    server = os.environ.get("DATABASE_URL", DEFAULT_SERVER)
    if not urlsplit(server).scheme.startswith("postgres"):
        server = DEFAULT_SERVER
    sizes = [(10_000, "10k"), (1_000, "1k")] if args.quick else [(1_000_000, "1m"), (10_000, "10k")]
    databases = []
    if args.only in (None, "postgresql"):
        for cases, suffix in sizes:
            name = f"sjalvservice_bench_{suffix}"
            databases.append(Database(
                label=f"PostgreSQL {suffix.upper()}", vendor="postgresql", cases=cases,
                url=urlunsplit(urlsplit(server)._replace(path=f"/{name}")), name=name,
                marker=OUT / f"{name}.seed.json",
            ))  # fmt: skip
    if args.only in (None, "sqlite"):
        cases, suffix = (10_000, "10k") if args.quick else (100_000, "100k")
        path = OUT / f"pages-{suffix}.sqlite3"
        databases.append(Database(
            label=f"SQLite {suffix.upper()}", vendor="sqlite", cases=cases,
            url=f"sqlite:///{path}", marker=OUT / f"pages-{suffix}.seed.json",
        ))  # fmt: skip
    return databases


def pair(databases: list[Database]) -> tuple[Database | None, Database | None]:
    """The two PostgreSQL databases, the big one first (None when --only sqlite)."""
    postgres = [database for database in databases if database.vendor == "postgresql"]
    return (postgres[0], postgres[1]) if len(postgres) == 2 else (None, None)


# Preparing the databases and the servers.


def environment(database: Database, secret: str, *, production: bool) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "MODE", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environ.update(
        DATABASE_URL=database.url, SECRET_KEY=secret, DATA_DIR=str(OUT), LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_SETTINGS_MODULE="sjalvservice.settings",
        TASKS_BACKEND="database", **SWITCHED_OFF,
    )  # fmt: skip
    if production:
        environ.update(MODE="production", DEBUG="false")
    return environ


def setup(database: Database, secret: str, action: str) -> dict[str, Any]:
    command = [sys.executable, str(ROOT / "bench" / "pages_setup.py"), action,
               "--cases", str(database.cases), "--marker", str(database.marker)]  # fmt: skip
    result = subprocess.run(  # noqa: S603
        command,
        env=environment(database, secret, production=False),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"Preparing {database.label} failed (exit {result.returncode}).")
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def prepare(database: Database, secret: str, *, reseed: bool) -> None:
    exists = database_exists(database)
    reason = "--reseed" if reseed else ("" if exists else "new")
    if exists and not reseed:
        reason = setup(database, secret, "check")["reason"]
    if reason:
        print(f"{database.label}: seeding {database.cases:,} cases ({reason}).", flush=True)
        recreate(database)
    else:
        print(f"{database.label}: using the seeded database again.", flush=True)
    database.targets = setup(database, secret, "prepare")


def database_exists(database: Database) -> bool:
    if database.vendor == "sqlite":
        return Path(urlsplit(database.url).path).exists()
    import psycopg

    with psycopg.connect(maintenance_url(database), autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
    return found is not None


def maintenance_url(database: Database) -> str:
    return urlunsplit(urlsplit(database.url)._replace(path="/postgres"))


def recreate(database: Database) -> None:
    database.marker.unlink(missing_ok=True)
    if database.vendor == "sqlite":
        path = Path(urlsplit(database.url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    assert database.name.startswith("sjalvservice_bench")
    with psycopg.connect(maintenance_url(database), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database.name}"')


def collect_static(secret: str) -> None:
    """The production settings serve the collected, hashed static files (whitenoise)."""
    any_database = Database("static", "sqlite", f"sqlite:///{OUT / 'static.sqlite3'}", 0, OUT)
    subprocess.run(
        [sys.executable, "-m", "sjalvservice", "collectstatic", "--no-input", "-v0"],
        env=environment(any_database, secret, production=True),
        cwd=ROOT,
        check=True,
    )


class Server:
    """The portal on one database, started as production runs it."""

    def __init__(self, database: Database, port: int, secret: str) -> None:
        self.database = database
        self.port = port
        environ = environment(database, secret, production=True)
        environ["SITE_URL"] = f"http://127.0.0.1:{port}"
        self.log = OUT / f"gunicorn-{port}.log"
        command = [
            sys.executable, "-m", "gunicorn", "sjalvservice.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread", "--workers", "2",
            "--threads", "4", "--graceful-timeout", "5",
        ]  # fmt: skip
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=environ, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"The server for {self.database.label} stopped: see {self.log}.")
            try:
                status = Client(self.port, "").get("/healthz")[0]
            except OSError:
                status = 0
            if status == 200 and len(self.workers()) == 2:
                return
            time.sleep(0.3)
        raise BenchError(f"The server for {self.database.label} did not start: see {self.log}.")

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        return [int(child) for child in children]

    def client(self, who: str) -> Client:
        return Client(self.port, self.database.targets["cookies"][who])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Client:
    """One keep-alive connection with one person's cookies."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookies = dict(part.split("=", 1) for part in cookie.split("; ") if part)
        self.connection = HTTPConnection("127.0.0.1", port, timeout=300)

    def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, float, Any]:
        """(status, body, seconds, response); reconnects once if the server closed the idle
        connection (the retry alone is timed)."""
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                content = response.read()
            except (TimeoutError, HTTPException, ConnectionError):
                self.connection.close()
                if attempt == 2 or (body is not None and not isinstance(body, bytes | str)):
                    raise
                continue
            seconds = time.perf_counter() - started
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _sep, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, content, seconds, response
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, bytes, float]:
        status, content, seconds, _response = self.request("GET", path)
        return status, content, seconds


def fetch(client: Client, path: str, name: str) -> tuple[bytes, float]:
    status, content, seconds = client.get(path)
    if status != 200:
        raise BenchError(f"{name}: {path} answered {status}, not 200.")
    return content, seconds


# Measuring.


NEXT = re.compile(r'<a [^>]*href="([^"]+)"[^>]*rel="next"')


def resolve(server: Server, page: dict[str, Any]) -> tuple[str, int]:
    """The URL to measure and how deep it is: for a deep page, 50 "Nästa sida" hops along
    (fewer when the tab has fewer pages)."""
    if "follow" not in page:
        return page["path"], 0
    client = server.client(page["who"])
    path, hops, wanted = page["path"], 0, int(page["follow"])
    base = path.split("?", 1)[0]
    while hops < wanted:
        content, _seconds = fetch(client, path, page["name"])
        found = NEXT.search(content.decode())
        if not found:
            break
        path, hops = base + html.unescape(found.group(1)), hops + 1
    return path, hops


def labelled(page: dict[str, Any], *hops: int) -> str:
    """The page's name, saying how deep it got when that is not as deep as wanted."""
    if "follow" not in page or all(depth == int(page["follow"]) for depth in hops):
        return str(page["name"])
    return f"{page['name']} ({' / '.join(str(depth) for depth in hops)} deep)"


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000,
            "n": len(ordered)}  # fmt: skip


def interleave(
    first: Callable[[], float], second: Callable[[], float], repeat: int
) -> tuple[list[float], list[float]]:
    for _warm in range(3):
        first(), second()
    a, b = [], []
    for _round in range(repeat):
        a.append(first())
        b.append(second())
    return a, b


def measure_pages(server: Server, repeat: int) -> list[dict[str, Any]]:
    targets = server.database.targets
    clients = {who: server.client(who) for who in targets["cookies"]}
    rows = []
    print(f"{server.database.label}: {len(targets['pages'])} pages, {repeat} times each.",
          flush=True)  # fmt: skip
    for page in targets["pages"]:
        client = clients[page["who"]]
        path, hops = resolve(server, page)
        label = labelled(page, hops)
        floors, samples = interleave(
            lambda: fetch(client, targets["floor"], "floor")[1],  # noqa: B023
            lambda: fetch(client, path, label)[1],  # noqa: B023
            repeat,
        )
        measured, floor = summary(samples), summary(floors)
        rows.append({
            "database": server.database.label, "page": label, "who": page["who"], "path": path,
            **measured, "floor_median_ms": floor["median_ms"], "floor_p95_ms": floor["p95_ms"],
            "ratio": measured["median_ms"] / floor["median_ms"], "goal": page["goal"],
        })  # fmt: skip
    return rows


def measure_cross(big: Server, small: Server, repeat: int) -> list[dict[str, Any]]:
    """Each page on both databases, the requests alternating, in one run."""
    print(f"{big.database.label} against {small.database.label}.", flush=True)
    rows = []
    smalls = {(p["who"], p["name"]): p for p in small.database.targets["pages"]}
    clients = {
        server: {who: server.client(who) for who in server.database.targets["cookies"]}
        for server in (big, small)
    }
    for page in big.database.targets["pages"]:
        other = smalls.get((page["who"], page["name"]))
        if other is None:
            continue
        path, hops = resolve(big, page)
        other_path, other_hops = resolve(small, other)
        label = labelled(page, hops, other_hops)
        on_big, on_small = clients[big][page["who"]], clients[small][page["who"]]
        samples, others = interleave(
            lambda: fetch(on_big, path, label)[1],  # noqa: B023
            lambda: fetch(on_small, other_path, label)[1],  # noqa: B023
            repeat,
        )
        measured, compared = summary(samples), summary(others)
        rows.append({
            "page": label,
            "who": page["who"], **measured, "small_median_ms": compared["median_ms"],
            "small_p95_ms": compared["p95_ms"],
            "ratio": measured["median_ms"] / compared["median_ms"],
        })  # fmt: skip
    return rows


def measure_throughput(server: Server, seconds: float) -> list[dict[str, Any]]:
    targets = server.database.targets
    inbox = next(p for p in targets["pages"] if p["who"] == "handler")["path"].split("?")[0]
    my_pages = next(p for p in targets["pages"] if p["goal"] == "my-pages")["path"]
    rows = []
    for name, who, path in (("inbox", "handler", inbox), ("Mina sidor", "citizen", my_pages)):
        print(f"{server.database.label}: {name} with {CONNECTIONS} connections.", flush=True)
        done: list[list[float]] = [[] for _ in range(CONNECTIONS)]
        errors: list[BaseException] = []
        deadline = time.monotonic() + seconds

        def run(
            times: list[float],
            who: str = who,
            path: str = path,
            name: str = name,
            deadline: float = deadline,
            errors: list[BaseException] = errors,
        ) -> None:
            client = server.client(who)
            try:
                while time.monotonic() < deadline:
                    times.append(fetch(client, path, name)[1])
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        started = time.monotonic()
        threads = [threading.Thread(target=run, args=(times,)) for times in done]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        if errors:
            raise BenchError(f"{name} under load: {errors[0]}")
        samples = [sample for times in done for sample in times]
        rows.append({
            "database": server.database.label, "page": name, "connections": CONNECTIONS,
            "requests_per_second": len(samples) / elapsed, **summary(samples),
        })  # fmt: skip
    return rows


def measure_upload(server: Server) -> dict[str, Any]:
    """A message with a 50 MB attachment on the citizen's case, posted as the form does;
    the web workers' resident memory watched meanwhile."""
    print(f"{server.database.label}: a 50 MB upload.", flush=True)
    targets = server.database.targets
    client = server.client("citizen")
    form, _seconds = fetch(client, targets["upload"] + "?nytt=1", "message form")
    page = form.decode()
    fields = {
        name: html.unescape(match.group(1))
        for name in ("csrfmiddlewaretoken", "token")
        if (match := re.search(rf'name="{name}" value="([^"]*)"', page))
    }
    if "csrfmiddlewaretoken" not in fields:
        raise BenchError("The message form has no CSRF token.")
    fields["text"] = "Här kommer ritningarna som en enda stor fil."
    boundary = uuid.uuid4().hex
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        'filename="bench-ritningar.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body() -> Iterator[bytes]:
        """The request as it streams out, a megabyte at a time (a PDF by its first bytes)."""
        yield head.encode()
        chunk, sent = b"0" * 1024 * 1024, 0
        while sent < UPLOAD_BYTES:
            part = chunk[: UPLOAD_BYTES - sent]
            yield b"%PDF-1.4\n" + part[9:] if sent == 0 else part
            sent += len(part)
        yield tail

    workers = server.workers()
    before = {pid: memory(pid, "VmRSS") for pid in workers}
    for pid in workers:  # the peak from now on
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")
    peaks = dict(before)
    watching = True

    def watch() -> None:
        while watching:
            for pid in workers:
                peaks[pid] = max(peaks[pid], memory(pid, "VmRSS"))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    length = len(head.encode()) + UPLOAD_BYTES + len(tail)
    uploaded_at = time.time()
    try:
        status, _content, seconds, response = client.request(
            "POST",
            targets["upload"],
            body=body(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "Content-Length": str(length)},
        )  # fmt: skip
    finally:
        watching = False
        watcher.join()
    if status != 302:
        raise BenchError(f"The 50 MB upload answered {status}, not 302 (see {server.log}).")
    growth = {pid: max(peaks[pid], memory(pid, "VmHWM")) - before[pid] for pid in workers}
    shown, _seconds = fetch(client, str(response.getheader("Location")), "after the upload")
    if b"bench-ritningar.pdf" not in shown or not remove_uploaded(uploaded_at):
        raise BenchError("The 50 MB upload was answered, but its file is not on the case.")
    return {
        "database": server.database.label, "bytes": UPLOAD_BYTES, "seconds": seconds,
        "location": response.getheader("Location"),
        "peak_growth_mb": max(growth.values()) / 1024, "rss_before_mb": {
            str(pid): kb / 1024 for pid, kb in before.items()},
    }  # fmt: skip


def memory(pid: int, key: str) -> int:
    """A line of /proc/PID/status in kB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def remove_uploaded(since: float) -> int:
    """The benchmark's 50 MB files are not kept (the message and its row stay)."""
    removed = 0
    for path in (OUT / "media").glob("cases/*/messages/*.pdf"):
        stat = path.stat()
        if stat.st_size == UPLOAD_BYTES and stat.st_mtime >= since - 1:
            path.unlink()
            removed += 1
    return removed


# The report.

GOALS = {
    "inbox": "p95 ≤ 2.5× floor and ≤ 50 ms " + IDLE,
    "my-pages": "≤ 2× floor",
    "handler-case": "≤ 3× floor",
    "": "",
}


def met(row: dict[str, Any]) -> str:
    goal = row.get("goal", "")
    if goal == "inbox":
        ratio_ok = row["p95_ms"] <= 2.5 * row["floor_median_ms"]
        return "yes" if ratio_ok and row["p95_ms"] <= 50 else "no"
    if goal == "my-pages":
        return "yes" if row["ratio"] <= 2 else "no"
    if goal == "handler-case":
        return "yes" if row["ratio"] <= 3 else "no"
    return ""


def print_report(report: dict[str, Any]) -> None:
    lines = [
        "",
        "Självservice page benchmark "
        + ("(--quick) " if report["quick"] else "")
        + f"on {report['machine']['cpus']} CPUs, load {fmt_load(report['machine'])}.",
        "Servers: gunicorn gthread 2x4, MODE=production, DEBUG off; switched off for plain "
        "HTTP on loopback: "
        + ", ".join(f"{key}={value}" for key, value in report["switched_off"].items())
        + ".",
        "Each page alternates with the floor (/kakor/, logged in as the same person); ratio = "
        "median / floor median.",
        f'Goals marked "{IDLE}" are absolute times and need an idle machine; other people\'s '
        "work on it makes every figure vary.",
        "",
    ]
    header = ("page", "median ms", "p95 ms", "floor median", "ratio", "goal", "met")
    rows: list[tuple[str, ...]] = []
    for database, seeded in report["databases"].items():
        how = "reused" if seeded["seed"]["reused"] else f"seeded in {seeded['seed']['seconds']} s"
        rows.append((f"{database}: {seeded['cases']:,} cases ({how})", "", "", "", "", "", ""))
        for row in (r for r in report["pages"] if r["database"] == database):
            rows.append((
                f"  {row['who']}: {row['page']}", f"{row['median_ms']:.1f}",
                f"{row['p95_ms']:.1f}", f"{row['floor_median_ms']:.1f}", f"{row['ratio']:.2f}",
                GOALS[row["goal"]], met(row),
            ))  # fmt: skip
    if report["cross"]:
        big, small = [label for label in report["databases"] if label.startswith("PostgreSQL")]
        rows.append((f"{big} against {small}, alternating (floor = {small} median)",
                     "", "", "", "", "", ""))  # fmt: skip
        for row in report["cross"]:
            rows.append((
                f"  {row['who']}: {row['page']}", f"{row['median_ms']:.1f}",
                f"{row['p95_ms']:.1f}", f"{row['small_median_ms']:.1f}", f"{row['ratio']:.2f}",
                "≤ 1.1", "yes" if row["ratio"] <= 1.1 else "no",
            ))  # fmt: skip
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("-" * width for width in widths)
    lines += [
        "  ".join(text.ljust(width) for text, width in zip(header, widths, strict=True)),
        rule,
    ]
    for row in rows:
        lines.append(
            "  ".join(
                text.ljust(width) if index in (0, 5, 6) else text.rjust(width)
                for index, (text, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
    lines.append("")
    for row in report["throughput"]:
        lines.append(
            f"Throughput, {row['database']}, {row['page']}, {row['connections']} connections: "
            f"{row['requests_per_second']:.0f} requests/s (median {row['median_ms']:.1f} ms, "
            f"p95 {row['p95_ms']:.1f} ms)."
        )
    for row in report["upload"]:
        lines.append(
            f"Upload, {row['database']}: a {row['bytes'] / 1e6:.0f} MB attachment in "
            f"{row['seconds']:.2f} s; the web worker's memory grew by at most "
            f"{row['peak_growth_mb']:.1f} MB."
        )
    lines.append(f"All figures: {OUT / 'pages.json'} ({report['seconds']} s in all).")
    print("\n".join(lines))


def fmt_load(machine: dict[str, Any]) -> str:
    before = "/".join(f"{value:.1f}" for value in machine["load_before"])
    after = "/".join(f"{value:.1f}" for value in machine.get("load_after", ()))
    return f"{before} before, {after} after"


if __name__ == "__main__":
    sys.exit(main())

"""``python -m sjalvservice.simulators.mailbox`` starts, says READY, serves, stops on a signal."""

from __future__ import annotations

import queue
import re
import signal
import smtplib
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from .support import RECIPIENT, SENDER, message

READY = re.compile(
    r"READY smtp_host=127\.0\.0\.1 smtp_port=(?P<smtp_port>\d+) "
    r"url=(?P<url>http://127\.0\.0\.1:\d+) page=(?P<page>http://127\.0\.0\.1:\d+/)\n"
)
COMMAND = [sys.executable, "-m", "sjalvservice.simulators.mailbox"]


@contextmanager
def _running(*extra: str) -> Iterator[tuple[subprocess.Popen[str], re.Match[str]]]:
    """Start the command on free ports; yield it and its READY line."""
    process = subprocess.Popen(
        [*COMMAND, "--smtp-port", "0", "--http-port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        line = lines.get(timeout=20)
        match = READY.fullmatch(line)
        assert match, line
        yield process, match
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_command_prints_ready_receives_mail_and_exits_cleanly(
    stop_signal: signal.Signals,
) -> None:
    with _running("--quiet") as (process, ready):
        assert ready["page"] == ready["url"] + "/"
        with smtplib.SMTP("127.0.0.1", int(ready["smtp_port"]), timeout=5) as client:
            client.send_message(message(subject="Från kommandoraden"))
        page = httpx.get(ready["page"], timeout=5)
        assert page.status_code == 200
        assert "Från kommandoraden" in page.text
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0
        _, stderr = process.communicate()
        assert stderr == ""


def test_without_quiet_it_logs_one_line_per_event_without_personal_data() -> None:
    with _running() as (process, ready):
        with smtplib.SMTP("127.0.0.1", int(ready["smtp_port"]), timeout=5) as client:
            client.sendmail(SENDER, [RECIPIENT], message(subject="Hemligt ämne").as_bytes())
        httpx.get(ready["page"], timeout=5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        _, stderr = process.communicate()
    assert "mailbox-simulator smtp: 250 message 1 stored" in stderr
    assert "mailbox-simulator http: GET / 200" in stderr
    for secret in (SENDER, RECIPIENT, "Hemligt"):
        assert secret not in stderr


def test_a_port_in_use_fails_at_once_with_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [*COMMAND, "--smtp-port", port, "--http-port", "0"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("mailbox-simulator: cannot listen:")
    assert len(done.stderr.splitlines()) == 1


def test_the_simulator_imports_nothing_of_the_portal() -> None:
    code = (
        "import sys, sjalvservice.simulators.mailbox.__main__; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.') "
        "or (m.startswith('sjalvservice.') and not m.startswith('sjalvservice.simulators'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

"""``python -m sjalvservice.simulators.sms`` starts, says READY and stops on a signal."""

from __future__ import annotations

import queue
import re
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

READY = re.compile(
    r"READY url=(?P<url>http://127\.0\.0\.1:\d+) username=\S+ password=.+ "
    r"page=http://127\.0\.0\.1:\d+/\n"
)


@contextmanager
def _running(*extra: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start the command on a free port; yield it and the fields of its READY line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sjalvservice.simulators.sms", "--port", "0", *extra],
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
        fields = dict(part.split("=", 1) for part in shlex.split(line)[1:])
        yield process, fields
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _send(ready: dict[str, str], message: str = "Hej!") -> httpx.Response:
    return httpx.post(
        ready["url"] + "/a1/sms",
        data={"from": "Lycksele", "to": "+46701234567", "message": message},
        auth=(ready["username"], ready["password"]),
        timeout=5,
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_command_prints_ready_serves_and_exits_cleanly_on_a_signal(
    stop_signal: signal.Signals,
) -> None:
    with _running("--quiet") as (process, ready):
        assert ready["page"] == ready["url"] + "/"
        assert _send(ready).status_code == 200
        assert "Hej!" in httpx.get(ready["page"], timeout=5).text
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0


def test_the_credentials_can_be_given() -> None:
    with _running("--quiet", "--username", "portal", "--password", "ett lösen") as (_, ready):
        assert (ready["username"], ready["password"]) == ("portal", "ett lösen")
        assert _send(ready).status_code == 200


def test_requests_are_logged_without_credentials_numbers_or_texts() -> None:
    with _running() as (process, ready):
        assert _send(ready, "Hemlig kod 112233").status_code == 200
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "POST /a1/sms 200" in stderr
    assert ready["password"] not in stderr
    assert "112233" not in stderr
    assert "+46701234567" not in stderr


def test_a_port_in_use_is_one_line_and_exit_1() -> None:
    with _running("--quiet") as (_, ready):
        port = httpx.URL(ready["url"]).port
        result = subprocess.run(
            [sys.executable, "-m", "sjalvservice.simulators.sms", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.startswith("sms-simulator: cannot listen:")

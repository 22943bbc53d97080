"""``python -m sjalvservice.simulators.bolagsverket`` starts, says READY and stops on a signal."""

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
    r"READY url=(?P<url>http://127\.0\.0\.1:\d+/vardefulla-datamangder/v1) "
    r"token_url=(?P<token_url>http://127\.0\.0\.1:\d+/oauth2/token) "
    r"client_id=\S+ client_secret=.+\n"
)


@contextmanager
def _running(*extra: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start the command on a free port; yield it and the fields of its READY line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sjalvservice.simulators.bolagsverket", "--port", "0", *extra],
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


def _look_up(ready: dict[str, str], number: str) -> httpx.Response:
    with httpx.Client(timeout=5) as client:
        token = client.post(
            ready["token_url"],
            data={"grant_type": "client_credentials", "scope": "vardefulla-datamangder:read"},
            auth=(ready["client_id"], ready["client_secret"]),
        ).json()["access_token"]
        return client.post(
            f"{ready['url']}/organisationer",
            json={"identitetsbeteckning": number},
            headers={"Authorization": f"Bearer {token}"},
        )


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_command_prints_ready_serves_and_exits_cleanly_on_a_signal(
    stop_signal: signal.Signals,
) -> None:
    with _running("--quiet") as (process, ready):
        assert _look_up(ready, "5593004285").status_code == 200
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0


def test_the_credentials_and_lifetime_can_be_given() -> None:
    with _running(
        "--quiet", "--client-id", "portal", "--client-secret", "a secret", "--expires-in", "90"
    ) as (_, ready):
        assert ready["client_id"] == "portal"
        assert ready["client_secret"] == "a secret"  # quoted for shlex.split
        with httpx.Client(timeout=5) as client:
            response = client.post(
                ready["token_url"],
                data={"grant_type": "client_credentials"},
                auth=("portal", "a secret"),
            )
        assert response.json()["expires_in"] == 90


def test_requests_are_logged_without_credentials_tokens_or_numbers() -> None:
    with _running() as (process, ready):
        assert _look_up(ready, "8024775317").status_code == 200
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "POST /oauth2/token 200" in stderr
    assert "POST /vardefulla-datamangder/v1/organisationer 200" in stderr
    assert ready["client_secret"] not in stderr
    assert "8024775317" not in stderr
    assert "Bearer" not in stderr


def test_a_port_in_use_is_one_line_and_exit_1() -> None:
    with _running("--quiet") as (_, ready):
        port = httpx.URL(ready["url"]).port
        result = subprocess.run(
            [sys.executable, "-m", "sjalvservice.simulators.bolagsverket", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.startswith("bolagsverket-simulator: cannot listen:")

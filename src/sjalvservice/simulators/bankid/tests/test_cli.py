"""``python -m sjalvservice.simulators.bankid`` starts, reports READY and stops on a signal."""

from __future__ import annotations

import queue
import re
import signal
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

READY = re.compile(
    r"READY api=(?P<api>https://127\.0\.0\.1:\d+/rp/v6\.0/) app=(?P<app>http://127\.0\.0\.1:\d+/) "
    r"ca=(?P<ca>\S+) cert=(?P<cert>\S+) key=(?P<key>\S+)\n"
)


@contextmanager
def _running(data_dir: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """Start the command on free ports; yield it and the fields of its READY line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sjalvservice.simulators.bankid", "--data-dir", str(data_dir),
         "--api-port", "0", "--app-port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        line = lines.get(timeout=20)
        match = READY.fullmatch(line)
        assert match, line
        yield process, match.groupdict()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _auth_client(ready: dict[str, str]) -> httpx.Client:
    context = ssl.create_default_context(cafile=ready["ca"])
    context.load_cert_chain(ready["cert"], ready["key"])
    return httpx.Client(base_url=ready["api"], verify=context, timeout=5)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_command_prints_ready_serves_and_exits_cleanly_on_a_signal(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    with _running(tmp_path, "--quiet") as (process, ready):
        assert Path(ready["ca"]) == tmp_path / "ca.pem"
        assert Path(ready["cert"]) == tmp_path / "client.pem"
        assert Path(ready["key"]) == tmp_path / "client-key.pem"
        with _auth_client(ready) as client:
            assert client.post("auth", json={"endUserIp": "127.0.0.1"}).status_code == 200
        assert httpx.get(ready["app"], timeout=5).status_code == 200
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0


def test_requests_are_logged_without_personal_numbers(tmp_path: Path) -> None:
    with _running(tmp_path) as (process, ready):
        with _auth_client(ready) as client:
            body = {"personalNumber": "198101059825", "callInitiator": "RP"}
            assert client.post("phone/auth", json=body).status_code == 200
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "POST /rp/v6.0/phone/auth 200" in stderr
    assert "198101059825" not in stderr

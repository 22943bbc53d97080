"""``python -m sjalvservice.simulators.saml_idp`` starts, says READY and stops on a signal."""

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
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ..bankid import BankIdConnection
from .support import BankIdControl, Resident, TestSp

READY = re.compile(
    r"READY url=(?P<url>http://127\.0\.0\.1:\d+/) entity_id=(?P<entity_id>\S+) "
    r"metadata=(?P<metadata>\S+) metadata_cert=(?P<metadata_cert>\S+)\n"
)
COMMAND = [sys.executable, "-m", "sjalvservice.simulators.saml_idp"]


@dataclass
class RunningIdp:
    """The READY line's fields, in the shape the test SP wants."""

    url: str
    entity_id: str
    metadata_url: str
    metadata_signing_cert: Path


@contextmanager
def _running(data_dir: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], RunningIdp]]:
    process = subprocess.Popen(
        [*COMMAND, "--data-dir", str(data_dir), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        stdout = process.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        line = lines.get(timeout=30)
        match = READY.fullmatch(line)
        assert match, line
        fields = dict(part.split("=", 1) for part in shlex.split(line)[1:])
        yield (
            process,
            RunningIdp(
                fields["url"],
                fields["entity_id"],
                fields["metadata"],
                Path(fields["metadata_cert"]),
            ),
        )
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_command_prints_ready_serves_and_exits_cleanly_on_a_signal(
    key_dir: Path, stop_signal: signal.Signals
) -> None:
    with _running(key_dir, "--quiet") as (process, idp):
        assert idp.entity_id == idp.url + "idp"
        assert idp.metadata_url == idp.url + "metadata"
        assert idp.metadata_signing_cert == key_dir / "metadata-signing.pem"
        metadata = httpx.get(idp.metadata_url, timeout=10)
        assert metadata.status_code == 200
        assert idp.entity_id in metadata.text
        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0


def test_a_login_through_the_command_logs_no_personal_data(
    key_dir: Path,
    bankid_connection: BankIdConnection,
    bankid: BankIdControl,
    tmp_path: Path,
) -> None:
    metadata_file = tmp_path / "sp.xml"
    options = [
        "--sp-metadata", str(metadata_file),
        "--bankid-api", bankid_connection.api_url,
        "--bankid-ca", str(bankid_connection.ca_cert),
        "--bankid-cert", str(bankid_connection.client_cert),
        "--bankid-key", str(bankid_connection.client_key),
        "--bankid-app", bankid_connection.app_url,
        "--region", "Region Testbotten",
    ]  # fmt: skip
    with _running(key_dir, *options) as (process, idp):
        sp = TestSp(idp, tmp_path / "sp")
        metadata_file.write_text(sp.metadata, encoding="utf-8")
        request_id, url = sp.redirect_request()
        with httpx.Client(base_url=idp.url, timeout=10) as client:
            resident = Resident(idp, client, bankid)
            _, key = resident.login_page(url)
            assert "Logga in hos Region Testbotten" in client.get(url).text
            form = resident.log_in(url)
        assert sp.parse(form.saml_response, request_id).get_identity()["sn"] == ["Testersson"]
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "saml-idp-simulator: GET /sso 200" in stderr
    assert "saml-idp-simulator: GET /wait/… 200" in stderr
    assert "login completed for https://portal.example/saml2/metadata/" in stderr
    for secret in ("198101059825", "Jenny", "Testersson", key, form.saml_response[:40]):
        assert secret not in stderr


def test_bankid_options_come_all_or_none(key_dir: Path) -> None:
    result = subprocess.run(
        [*COMMAND, "--data-dir", str(key_dir), "--bankid-api", "https://127.0.0.1:1/"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--bankid-ca" in result.stderr
    missing = key_dir / "saknas.pem"
    options = ["--bankid-api", "https://127.0.0.1:1/", "--bankid-app", "http://127.0.0.1:1/"]
    for name in ("--bankid-ca", "--bankid-cert", "--bankid-key"):
        options += [name, str(missing)]
    result = subprocess.run(
        [*COMMAND, "--data-dir", str(key_dir), *options],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_a_port_in_use_is_one_line_and_exit_1(key_dir: Path) -> None:
    with _running(key_dir, "--quiet") as (_, idp):
        port = httpx.URL(idp.url).port
        result = subprocess.run(
            [*COMMAND, "--data-dir", str(key_dir), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.startswith("saml-idp-simulator: cannot listen:")

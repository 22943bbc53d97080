"""`sjalvservice run`: web server and worker as one process group that stops cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (loopback)
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def http_error_302(self, req, fp, code, msg, headers):
        return fp


def in_group(group: int, pattern: str) -> bool:
    found = subprocess.run(
        ["pgrep", "-g", str(group), "-f", pattern], capture_output=True, check=False
    )
    return found.returncode == 0


@pytest.fixture
def data_dir(tmp_path):
    environ = {
        **os.environ,
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "-m", "sjalvservice", "migrate", "-v0"], env=environ, check=True
    )
    return environ


def test_run_serves_the_portal_with_simulators_and_stops_everything_on_ctrl_c(data_dir):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sjalvservice",
            "run",
            "--port",
            str(port),
            "--web-workers",
            "1",
            "--bankid-api-port",
            "0",
            "--bankid-app-port",
            "0",
            "--bolagsverket-port",
            "0",
            "--sms-port",
            "0",
            "--mailbox-port",
            "0",
            "--smtp-port",
            "0",
            "--idp-port",
            "0",
            "--case-system-port",
            "0",
        ],
        env=data_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as in a terminal
    )
    try:
        # The first answer waits for the demo data, the simulators and a worker's start,
        # which take long on a busy machine; what is checked is that it comes at all.
        assert wait_for(f"http://127.0.0.1:{port}/healthz", seconds=120) == b"ok\n"
        assert in_group(process.pid, "gunicorn")
        assert in_group(process.pid, "sjalvservice.simulators.bankid")
        assert in_group(process.pid, "sjalvservice.simulators.bolagsverket")
        assert in_group(process.pid, "sjalvservice.simulators.sms")
        assert in_group(process.pid, "sjalvservice.simulators.mailbox")
        assert in_group(process.pid, "sjalvservice.simulators.saml_idp")
        # Both the region and BankID directly are offered, and the region's button leads
        # to its IdP with a signed request.
        login_page = wait_for(f"http://127.0.0.1:{port}/logga-in/").decode()
        assert "Logga in via Region Västerbotten" in login_page
        assert "Mobilt BankID eller BankID på den här enheten." in login_page
        to_region = urllib.request.build_opener(NoRedirect).open(
            f"http://127.0.0.1:{port}/logga-in/region/", timeout=10
        )
        location = to_region.headers["Location"]
        assert to_region.status == 302
        assert "SAMLRequest=" in location
        assert "Signature=" in location
        assert "Logga in hos Region Västerbotten" in wait_for(location).decode()
        # The portal was pointed at the simulator: its login page offers BankID.
        assert (
            "Mobilt BankID"
            in wait_for(f"http://127.0.0.1:{port}/logga-in/e-legitimation/").decode()
        )
        deadline = time.monotonic() + 30
        while not in_group(process.pid, "db_worker"):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.3)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0, output.decode()
    assert "Självservice has stopped." in output.decode()
    left = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, check=False)
    assert left.stdout == b""

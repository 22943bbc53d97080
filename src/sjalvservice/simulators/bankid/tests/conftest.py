"""Fixtures: a running simulator on free ports, an mTLS API client and a Test-BankID driver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..certificates import ensure_certificates
from ..server import Simulator
from .support import TestApp, mtls_context


@pytest.fixture(scope="session")
def certificate_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One set of certificates for the whole run: the simulator reuses existing files."""
    directory = tmp_path_factory.mktemp("bankid-certificates")
    ensure_certificates(directory)
    return directory


@pytest.fixture(scope="session")
def running_simulator(certificate_dir: Path) -> Iterator[Simulator]:
    """One simulator for the run: starting and stopping one per test costs more than the test."""
    with Simulator(certificate_dir, quiet=True) as running:
        yield running


@pytest.fixture
def simulator(running_simulator: Simulator) -> Simulator:
    """The shared simulator with no orders, no injected errors and the clock at wall time."""
    running_simulator.reset()
    return running_simulator


@pytest.fixture
def api(simulator: Simulator) -> Iterator[httpx.Client]:
    context = mtls_context(simulator.certificates)
    with httpx.Client(base_url=simulator.api_url, verify=context, timeout=5) as client:
        yield client


@pytest.fixture
def app_client(simulator: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=simulator.app_url, timeout=5) as client:
        yield client


@pytest.fixture
def app(app_client: httpx.Client, api: httpx.Client) -> TestApp:
    return TestApp(app_client, api)

"""Fixtures: the BankID simulator and one IdP for the run (reset for each test), a test SP
whose metadata the IdP trusts, and a resident who follows the IdP's pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sjalvservice.simulators.bankid import Simulator as BankIdSimulator

from ..bankid import BankIdConnection
from ..server import Simulator
from .support import BankIdControl, Resident, TestSp


@pytest.fixture(scope="session")
def bankid_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BankIdSimulator]:
    with BankIdSimulator(tmp_path_factory.mktemp("bankid"), quiet=True) as running:
        yield running


@pytest.fixture(scope="session")
def bankid_connection(bankid_simulator: BankIdSimulator) -> BankIdConnection:
    paths = bankid_simulator.certificates
    return BankIdConnection(
        api_url=bankid_simulator.api_url,
        ca_cert=paths.ca,
        client_cert=paths.client_cert,
        client_key=paths.client_key,
        app_url=bankid_simulator.app_url,
    )


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The IdP's keys, made once for the run (every IdP started on it reuses them)."""
    return tmp_path_factory.mktemp("saml-idp")


@pytest.fixture(scope="session")
def running_idp(key_dir: Path, bankid_connection: BankIdConnection) -> Iterator[Simulator]:
    with Simulator(key_dir, bankid=bankid_connection, quiet=True) as running:
        yield running


@pytest.fixture(scope="session")
def sp(running_idp: Simulator, tmp_path_factory: pytest.TempPathFactory) -> TestSp:
    """The test SP; the IdP is given its metadata through the control API."""
    test_sp = TestSp(running_idp, tmp_path_factory.mktemp("sp"))
    response = httpx.post(f"{running_idp.url}_control/sp-metadata", content=test_sp.metadata)
    assert response.status_code == 200, response.text
    return test_sp


@pytest.fixture
def idp(running_idp: Simulator, bankid_simulator: BankIdSimulator, sp: TestSp) -> Simulator:
    """The shared IdP without logins, faults or last response; BankID reset too."""
    running_idp.reset()
    bankid_simulator.reset()
    return running_idp


@pytest.fixture
def bankid(bankid_simulator: BankIdSimulator) -> Iterator[BankIdControl]:
    with httpx.Client(base_url=bankid_simulator.app_url, timeout=5) as client:
        yield BankIdControl(client)


@pytest.fixture
def resident(idp: Simulator, bankid: BankIdControl) -> Iterator[Resident]:
    with httpx.Client(base_url=idp.url, timeout=10) as client:
        yield Resident(idp, client, bankid)

"""Fixtures: one running mailbox for the run, emptied and without faults for each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ..server import Simulator


@pytest.fixture(scope="session")
def running_simulator() -> Iterator[Simulator]:
    """One mailbox for the run: starting one per test costs more than most tests."""
    with Simulator(quiet=True) as running:
        yield running


@pytest.fixture
def simulator(running_simulator: Simulator) -> Iterator[Simulator]:
    """The shared mailbox, empty and without faults; reset again afterwards so that a stall
    a test left behind does not hold a delivery of the next one."""
    running_simulator.reset()
    yield running_simulator
    running_simulator.reset()


@pytest.fixture
def http(simulator: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=simulator.url, timeout=5) as client:
        yield client

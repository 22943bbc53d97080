"""Fixtures: one running simulator for the run, reset for each test, and an HTTP client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ..server import Simulator
from .support import Peer


@pytest.fixture(scope="session")
def running_simulator() -> Iterator[Simulator]:
    """One simulator for the run: starting and stopping one per test costs more than the test."""
    with Simulator(quiet=True) as running:
        yield running


@pytest.fixture
def simulator(running_simulator: Simulator) -> Simulator:
    """The shared simulator with no tokens, counts or faults, the fixtures and wall-clock time."""
    running_simulator.reset()
    return running_simulator


@pytest.fixture
def peer(simulator: Simulator) -> Iterator[Peer]:
    with httpx.Client(base_url=simulator.base_url, timeout=5) as client:
        yield Peer(simulator, client)

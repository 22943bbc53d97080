"""Fixtures: one running simulator for the run, reset for each test, a client and a receiver."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ..server import Simulator
from .support import Peer, Receiver, receiving


@pytest.fixture(scope="session")
def running_simulator() -> Iterator[Simulator]:
    """One simulator for the run, with short delays so delivery tests do not wait long."""
    with Simulator(
        quiet=True, dlr_delay=0.02, dlr_retry_delays=(0.02, 0.02, 0.02, 0.02), dlr_timeout=1
    ) as running:
        yield running


@pytest.fixture
def simulator(running_simulator: Simulator) -> Simulator:
    """The shared simulator without messages or injected failures."""
    running_simulator.reset()
    return running_simulator


@pytest.fixture
def peer(simulator: Simulator) -> Iterator[Peer]:
    with httpx.Client(base_url=simulator.url, timeout=5) as client:
        yield Peer(simulator, client)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as running:
        yield running

"""The Simulator object itself: ports, lifecycle, threads and what it never reveals."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ..server import Simulator
from .support import COMPANY, Peer


def test_the_simulator_serves_on_a_free_loopback_port_and_stops() -> None:
    simulator = Simulator(quiet=True)
    with pytest.raises(RuntimeError):
        _ = simulator.api_url
    with simulator:
        assert simulator.base_url.startswith("http://127.0.0.1:")
        assert simulator.api_url == simulator.base_url + "vardefulla-datamangder/v1"
        assert simulator.token_url == simulator.base_url + "oauth2/token"
        with pytest.raises(RuntimeError):
            simulator.start()
        port = httpx.URL(simulator.base_url).port
        assert httpx.get(simulator.base_url + "_control/stats", timeout=5).status_code == 200
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_credentials_are_made_up_unless_given() -> None:
    first, second = Simulator(), Simulator()
    assert first.client_id != second.client_id
    assert first.client_secret != second.client_secret
    given = Simulator(client_id="portal", client_secret="s3cret")
    assert (given.client_id, given.client_secret) == ("portal", "s3cret")


def test_the_repr_leaves_the_secret_out() -> None:
    simulator = Simulator(client_secret="do-not-show-me")
    assert "do-not-show-me" not in repr(simulator)


def test_concurrent_clients_each_get_their_own_token_and_answer(peer: Peer) -> None:
    simulator = peer.simulator

    def look_up(_: int) -> str:
        with httpx.Client(base_url=simulator.base_url, timeout=10) as client:
            own = Peer(simulator, client)
            token = own.token()
            for _ in range(3):
                assert own.lookup(COMPANY, token).status_code == 200
            return token

    with ThreadPoolExecutor(max_workers=8) as pool:
        tokens = list(pool.map(look_up, range(16)))
    assert len(set(tokens)) == 16
    assert peer.stats() == {
        "requests": {"token": 16, "isalive": 0, "organisationer": 48},
        "tokensIssued": 16,
    }


def test_a_too_large_body_is_refused(peer: Peer) -> None:
    response = peer.organisationer({"identitetsbeteckning": "1" * 100_000})
    assert response.status_code == 413

"""The Simulator object itself: ports, lifecycle, credentials and concurrency."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ..server import Simulator
from .support import Peer


def test_the_simulator_serves_on_a_free_loopback_port_and_stops() -> None:
    simulator = Simulator()
    with pytest.raises(RuntimeError):
        _ = simulator.url
    with simulator:
        assert simulator.url.startswith("http://127.0.0.1:")
        assert simulator.api_url == simulator.url + "/a1"
        assert simulator.send_url == simulator.url + "/a1/sms"
        assert simulator.page_url == simulator.url + "/"
        with pytest.raises(RuntimeError):
            simulator.start()
        port = httpx.URL(simulator.url).port
        assert httpx.get(simulator.url + "/_control/messages", timeout=5).json() == []
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_credentials_are_made_up_unless_given() -> None:
    first, second = Simulator(), Simulator()
    assert first.username != second.username
    assert first.password != second.password
    assert first.username.startswith("u")
    given = Simulator(username="portal", password="s3cret")
    assert (given.username, given.password) == ("portal", "s3cret")


def test_the_repr_leaves_the_password_out() -> None:
    assert "do-not-show-me" not in repr(Simulator(password="do-not-show-me"))


def test_negative_delays_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Simulator(dlr_delay=-1)
    with pytest.raises(ValueError, match="negative"):
        Simulator(dlr_retry_delays=(0.1, -0.1))


def test_concurrent_senders_each_get_their_message_stored(peer: Peer) -> None:
    simulator = peer.simulator

    def send(index: int) -> str:
        with httpx.Client(base_url=simulator.url, timeout=10) as client:
            return str(Peer(simulator, client).sent(message=f"SMS {index}")["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(send, range(24)))
    assert len(set(ids)) == 24
    stored = simulator.wait_settled()
    assert {message["id"] for message in stored} == set(ids)
    assert {message["status"] for message in stored} == {"delivered"}

"""Delivery reports: posted to ``whendelivered`` after a short delay, retried when refused."""

from __future__ import annotations

import base64
import socket
from datetime import UTC, datetime

import httpx

from ..delivery import split_credentials
from ..server import Simulator
from .support import Peer, Receiver


def test_a_delivered_report_is_posted_with_the_credentials_of_the_url(
    peer: Peer, receiver: Receiver
) -> None:
    url = receiver.url.replace("http://", "http://portal:hemligt%40ord@") + "/sms/dlr"
    sent = peer.sent(whendelivered=url)
    (report,) = receiver.wait(1)
    assert report.path == "/sms/dlr"
    assert report.content_type == "application/x-www-form-urlencoded"
    expected = "Basic " + base64.b64encode(b"portal:hemligt@ord").decode()
    assert report.authorization == expected
    assert report.form == {
        "id": sent["id"],
        "status": "delivered",
        "delivered": report.form["delivered"],
    }
    delivered = datetime.fromisoformat(report.form["delivered"]).replace(tzinfo=UTC)
    assert delivered >= datetime.fromisoformat(sent["created"]).replace(tzinfo=UTC)
    (stored,) = peer.simulator.wait_settled()
    assert stored["status"] == "delivered"
    assert stored["delivered"] == report.form["delivered"]
    assert [attempt["http_status"] for attempt in stored["dlr_attempts"]] == [200]
    # What the control API shows of the URL leaves the credentials out.
    assert stored["whendelivered"] == receiver.url + "/sms/dlr"


def test_a_secret_query_parameter_is_sent_as_given(peer: Peer, receiver: Receiver) -> None:
    # Not hexadecimal, so that it cannot turn up by chance inside a message id.
    peer.sent(whendelivered=f"{receiver.url}/dlr?token=hemlig%2Fnyckel&x=1")
    (report,) = receiver.wait(1)
    assert report.path == "/dlr?token=hemlig%2Fnyckel&x=1"
    assert report.authorization is None
    assert "hemlig" not in str(peer.simulator.messages())


def test_a_refused_report_is_retried_until_it_is_taken(peer: Peer, receiver: Receiver) -> None:
    receiver.answers = [500, 503]
    sent = peer.sent(whendelivered=receiver.url + "/dlr")
    reports = receiver.wait(3)
    assert {report.form["id"] for report in reports} == {sent["id"]}
    (stored,) = peer.simulator.wait_settled()
    assert [attempt["http_status"] for attempt in stored["dlr_attempts"]] == [500, 503, 200]
    assert len(receiver.reports) == 3


def test_any_answer_from_200_to_204_ends_the_retries(peer: Peer, receiver: Receiver) -> None:
    receiver.answers = [204]
    peer.sent(whendelivered=receiver.url)
    (stored,) = peer.simulator.wait_settled()
    assert [attempt["http_status"] for attempt in stored["dlr_attempts"]] == [204]


def test_retries_give_up_after_five_attempts(peer: Peer, receiver: Receiver) -> None:
    receiver.answers = [500] * 10
    peer.sent(whendelivered=receiver.url)
    (stored,) = peer.simulator.wait_settled()
    assert [attempt["http_status"] for attempt in stored["dlr_attempts"]] == [500] * 5
    assert stored["status"] == "delivered"  # the SMS was delivered; only the report was lost


def test_a_redirect_is_not_followed_but_retried(peer: Peer, receiver: Receiver) -> None:
    receiver.answers = [302]
    peer.sent(whendelivered=receiver.url + "/dlr")
    (stored,) = peer.simulator.wait_settled()
    assert [attempt["http_status"] for attempt in stored["dlr_attempts"]] == [302, 200]
    assert [report.path for report in receiver.reports] == ["/dlr", "/dlr"]


def test_an_unreachable_receiver_is_recorded(peer: Peer) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    peer.sent(whendelivered=f"http://127.0.0.1:{port}/dlr")
    (stored,) = peer.simulator.wait_settled()
    attempts = stored["dlr_attempts"]
    assert len(attempts) == 5
    assert {attempt["http_status"] for attempt in attempts} == {None}
    assert all(attempt["error"] for attempt in attempts)


def test_without_whendelivered_the_message_is_still_delivered(peer: Peer) -> None:
    sent = peer.sent()
    (stored,) = peer.simulator.wait_settled()
    assert stored["status"] == "delivered"
    assert stored["dlr_attempts"] == []
    looked_up = peer.lookup(sent["id"]).json()
    assert looked_up["status"] == "delivered"
    assert looked_up["delivered"] == stored["delivered"]


def test_before_the_delay_the_message_is_created_and_not_delivered() -> None:
    with Simulator(dlr_delay=5) as simulator, httpx.Client(base_url=simulator.url) as client:
        peer = Peer(simulator, client)
        sent = peer.sent()
        looked_up = peer.lookup(sent["id"]).json()
        assert looked_up["status"] == "created"
        assert "delivered" not in looked_up
        (stored,) = simulator.messages()
        assert stored["delivered"] is None
        assert stored["dlr_pending"] is True


def test_a_reset_drops_pending_reports(receiver: Receiver) -> None:
    with Simulator(dlr_delay=0.3) as simulator, httpx.Client(base_url=simulator.url) as client:
        Peer(simulator, client).sent(whendelivered=receiver.url)
        simulator.reset()
        assert simulator.messages() == []
    assert receiver.reports == []


def test_the_default_delay_is_short() -> None:
    simulator = Simulator()
    assert simulator.dlr_delay == 0.2
    assert len(simulator.dlr_retry_delays) == 4  # five attempts in all


def test_credentials_are_moved_from_the_url_to_a_header() -> None:
    assert split_credentials("https://a%3Ab:c%3Ad@host:8443/p?q=1") == (
        "https://host:8443/p?q=1",
        {"Authorization": "Basic " + base64.b64encode(b"a:b:c:d").decode()},
    )
    assert split_credentials("https://host/p") == ("https://host/p", {})
    assert split_credentials("https://user@host/p")[1] == {
        "Authorization": "Basic " + base64.b64encode(b"user:").decode()
    }

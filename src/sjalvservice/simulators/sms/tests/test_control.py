"""The control API and the Python helpers that steer the simulator in tests."""

from __future__ import annotations

import pytest

from ..server import Simulator
from .support import OTHER, TO, Peer, Receiver


def test_messages_lists_what_arrived_oldest_first(peer: Peer) -> None:
    first = peer.sent(message="Första")
    second = peer.sent(message="Andra", dontlog="message", to=OTHER)
    settled = peer.simulator.wait_settled()
    listed = peer.ok("GET", "messages")
    assert listed == settled
    assert [item["id"] for item in listed] == [first["id"], second["id"]]
    assert listed[0] == {
        "id": first["id"],
        "from": "Lycksele",
        "to": TO,
        "message": "Första",
        "parts": 1,
        "encoding": "GSM-7",
        "cost": 3500,
        "status": "delivered",
        "created": first["created"],
        "delivered": listed[0]["delivered"],
        "whendelivered": None,
        "dlr_attempts": [],
        "dlr_pending": False,
    }
    assert listed[0]["delivered"] >= first["created"]
    assert listed[1]["message"] is None


def test_reset_forgets_messages_and_failures(peer: Peer) -> None:
    peer.sent()
    peer.ok("POST", "fail", {"mode": "http500"})
    assert peer.ok("POST", "reset") == {}
    assert peer.ok("GET", "messages") == []
    assert peer.ok("GET", "faults") == []
    assert peer.send().status_code == 200


def test_failed_accepts_the_sms_and_reports_it_failed(peer: Peer, receiver: Receiver) -> None:
    peer.ok("POST", "fail", {"count": 1, "mode": "failed"})
    sent = peer.sent(whendelivered=receiver.url)
    assert sent["status"] == "created"
    (report,) = receiver.wait(1)
    assert report.form == {"id": sent["id"], "status": "failed"}
    stored = peer.simulator.wait_settled()[0]
    assert (stored["status"], stored["delivered"]) == ("failed", None)
    assert "delivered" not in peer.lookup(sent["id"]).json()
    peer.sent(whendelivered=receiver.url)
    assert receiver.wait(2)[1].form["status"] == "delivered"


def test_http500_answers_500_and_stores_nothing(peer: Peer) -> None:
    peer.ok("POST", "fail", {"count": 2, "mode": "http500"})
    assert [peer.send().status_code for _ in range(3)] == [500, 500, 200]
    assert len(peer.simulator.messages()) == 1


def test_reject_answers_403(peer: Peer) -> None:
    peer.ok("POST", "fail", {"count": 1, "mode": "reject"})
    response = peer.send()
    assert response.status_code == 403
    assert response.text
    assert peer.simulator.messages() == []


@pytest.mark.parametrize("body", [{"mode": "http500", "count": -1}, {"mode": "http500"}])
def test_a_failure_without_a_count_lasts_until_reset(peer: Peer, body: dict[str, object]) -> None:
    peer.ok("POST", "fail", body)
    assert [peer.send().status_code for _ in range(5)] == [500] * 5
    assert peer.ok("GET", "faults") == [{"mode": "http500", "count": -1, "to": None}]
    peer.ok("POST", "reset")
    assert peer.send().status_code == 200


def test_the_mode_defaults_to_failed(peer: Peer) -> None:
    assert peer.ok("POST", "fail", {"count": 1}) == [{"mode": "failed", "count": 1, "to": None}]


def test_a_failure_can_aim_at_one_number(peer: Peer) -> None:
    peer.ok("POST", "fail", {"mode": "reject", "to": OTHER})
    assert peer.send(to=TO).status_code == 200
    assert peer.send(to=OTHER).status_code == 403
    assert peer.send(to=OTHER).status_code == 403
    assert peer.send(to=TO).status_code == 200


def test_failures_apply_in_the_order_they_were_asked_for(peer: Peer) -> None:
    peer.ok("POST", "fail", {"mode": "reject", "count": 1})
    peer.ok("POST", "fail", {"mode": "http500", "count": 1})
    assert [peer.send().status_code for _ in range(3)] == [403, 500, 200]


def test_a_dry_run_does_not_use_up_a_failed_rule(peer: Peer) -> None:
    peer.ok("POST", "fail", {"mode": "failed", "count": 1})
    assert peer.send(dryrun="yes").status_code == 200
    assert peer.ok("GET", "faults") == [{"mode": "failed", "count": 1, "to": None}]


def test_a_dry_run_meets_http_failures(peer: Peer) -> None:
    peer.ok("POST", "fail", {"mode": "http500", "count": 1})
    assert peer.send(dryrun="yes").status_code == 500


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "bounce"},
        {"mode": 500},
        {"count": 0},
        {"count": -2},
        {"count": 1.5},
        {"count": True},
        {"count": "1"},
        {"to": "0701234567"},
        {"to": 46701234567},
    ],
)
def test_bad_failure_requests_are_400(peer: Peer, body: dict[str, object]) -> None:
    response = peer.control("POST", "fail", body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert peer.ok("GET", "faults") == []


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_400(peer: Peer, content: bytes) -> None:
    response = peer.client.post("/_control/fail", content=content)
    assert response.status_code == 400


def test_an_unknown_control_endpoint_is_404(peer: Peer) -> None:
    assert peer.control("GET", "stats").status_code == 404
    assert peer.control("GET", "reset").status_code == 404


def test_a_foreign_origin_is_refused(peer: Peer) -> None:
    response = peer.client.post("/_control/reset", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    own = peer.simulator.url
    assert peer.client.post("/_control/reset", headers={"Origin": own}).status_code == 200


def test_the_python_helpers_match_the_control_api(peer: Peer) -> None:
    simulator = peer.simulator
    simulator.fail("http500", count=1, to=OTHER)
    assert peer.send(to=OTHER).status_code == 500
    simulator.fail("reject", count=None)
    assert peer.send().status_code == 403
    simulator.reset()
    peer.sent()
    peer.sent()
    assert len(simulator.wait_for(2, timeout=1)) == 2
    with pytest.raises(ValueError, match="mode"):
        simulator.fail("bounce")
    with pytest.raises(ValueError, match="count"):
        simulator.fail(count=0)


def test_wait_for_times_out_when_too_few_arrive(simulator: Simulator) -> None:
    with pytest.raises(TimeoutError):
        simulator.wait_for(1, timeout=0.05)

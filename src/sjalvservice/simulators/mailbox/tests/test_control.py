"""The JSON control API: the same faults and messages as from Python, over HTTP."""

from __future__ import annotations

import smtplib
import time
from typing import Any

import httpx
import pytest

from ..server import Simulator
from .support import SUBJECT, Wire, eventually, send


def _ok(http: httpx.Client, route: str, body: dict[str, Any] | None = None) -> Any:
    response = http.post(f"/_control/{route}", json=body) if body is not None else None
    if response is None:
        response = http.post(f"/_control/{route}")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return response.json()


def test_messages_lists_what_was_received_oldest_first(
    simulator: Simulator, http: httpx.Client
) -> None:
    assert http.get("/_control/messages").json() == []
    send(simulator)
    send(simulator)
    listed = http.get("/_control/messages").json()
    assert [m["number"] for m in listed] == [1, 2]
    assert listed[0]["headers"]["Subject"] == SUBJECT
    assert listed == simulator.messages()


def test_reset_forgets_messages_and_faults(simulator: Simulator, http: httpx.Client) -> None:
    send(simulator)
    simulator.down()
    simulator.reject(2)
    state = _ok(http, "reset")
    assert state["messages"] == 0
    assert state["down"] is False
    assert state["rejections"] == []
    assert simulator.messages() == []


def test_down_and_up(simulator: Simulator, http: httpx.Client) -> None:
    assert _ok(http, "down", {})["down"] is True
    with pytest.raises(smtplib.SMTPConnectError):
        send(simulator)
    assert _ok(http, "up")["down"] is False
    send(simulator)
    state = _ok(http, "down", {"seconds": 30})
    assert state["down"] is True
    assert 0 < state["downSecondsLeft"] <= 30
    assert _ok(http, "down", {"seconds": None})["downSecondsLeft"] is None


def test_stall_holds_the_reply_and_state_shows_the_held_delivery(
    simulator: Simulator, http: httpx.Client
) -> None:
    assert _ok(http, "stall", {"seconds": 30})["stallSeconds"] == 30
    wire = Wire(simulator)
    try:
        wire.send_whole_message()
        eventually(lambda: http.get("/_control/state").json()["held"] == 1)
        assert _ok(http, "stall", {"seconds": 0})["stallSeconds"] == 0
        assert wire.reply().startswith("250")
    finally:
        wire.close()
    _ok(http, "stall", {"seconds": 0.3, "count": 1})
    started = time.monotonic()
    send(simulator)
    assert time.monotonic() - started >= 0.3
    assert http.get("/_control/state").json()["stallSeconds"] == 0


def test_reject(simulator: Simulator, http: httpx.Client) -> None:
    state = _ok(http, "reject", {"count": 2, "code": 550})
    assert state["rejections"] == [{"code": 550, "count": 2}]
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(simulator)
    assert http.get("/_control/state").json()["rejections"] == [{"code": 550, "count": 1}]
    assert _ok(http, "reject", {})["rejections"] == [
        {"code": 550, "count": 1},
        {"code": 550, "count": 1},
    ]


@pytest.mark.parametrize(
    ("route", "body"),
    [
        ("down", {"seconds": -1}),
        ("down", {"seconds": "soon"}),
        ("stall", {}),
        ("stall", {"seconds": 601}),
        ("stall", {"seconds": 1, "count": 0}),
        ("reject", {"count": 0}),
        ("reject", {"code": 250}),
        ("reject", {"code": "550"}),
    ],
)
def test_bad_input_is_400(http: httpx.Client, route: str, body: dict[str, Any]) -> None:
    response = http.post(f"/_control/{route}", json=body)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("content", [b"{", b"[1]", b"\xff"])
def test_a_body_that_is_not_a_json_object_is_400(http: httpx.Client, content: bytes) -> None:
    assert http.post("/_control/down", content=content).status_code == 400


def test_an_unknown_control_path_or_method_is_404(http: httpx.Client) -> None:
    assert http.get("/_control/nope").status_code == 404
    assert http.get("/_control/reset").status_code == 404
    assert http.post("/_control/messages").status_code == 404


def test_a_foreign_origin_is_refused(simulator: Simulator, http: httpx.Client) -> None:
    response = http.post("/_control/down", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert simulator.state()["down"] is False
    assert http.get("/_control/messages", headers={"Origin": "null"}).status_code == 403
    own = http.post("/_control/up", headers={"Origin": simulator.url})
    assert own.status_code == 200

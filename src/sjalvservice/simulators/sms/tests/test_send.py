"""``POST /a1/sms`` and ``GET /a1/sms/{id}``: Basic auth, validation and the JSON answers."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest

from ..server import SEND_PATH
from .support import SENDER, TO, Peer

ID = re.compile(r"s[0-9a-f]{32}")
CREATED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}")


def test_an_sms_is_accepted_with_46elks_fields(peer: Peer) -> None:
    response = peer.send(message="Din kod är 123456")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body == {
        "id": body["id"],
        "status": "created",
        "from": SENDER,
        "to": TO,
        "message": "Din kod är 123456",
        "direction": "outgoing",
        "created": body["created"],
        "parts": 1,
        "cost": 3500,
    }
    assert ID.fullmatch(body["id"])
    assert CREATED.fullmatch(body["created"])
    created = datetime.fromisoformat(body["created"]).replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(seconds=10)


def test_the_cost_is_per_part(peer: Peer) -> None:
    body = peer.sent(message="a" * 161)
    assert (body["parts"], body["cost"]) == (2, 7000)


def test_every_sms_gets_a_new_id(peer: Peer) -> None:
    assert len({peer.sent()["id"] for _ in range(5)}) == 5


@pytest.mark.parametrize(
    "auth",
    [("wrong", None), (None, "wrong"), ("", "")],
    ids=["wrong username", "wrong password", "empty"],
)
def test_wrong_credentials_are_refused_with_401(
    peer: Peer, auth: tuple[str | None, str | None]
) -> None:
    username = peer.simulator.username if auth[0] is None else auth[0]
    password = peer.simulator.password if auth[1] is None else auth[1]
    response = peer.send(auth=(username, password))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert peer.simulator.messages() == []


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer abc", "Basic not-base64!", "Basic " + base64.b64encode(b"no-colon").decode()],
)
def test_missing_or_malformed_basic_auth_is_refused(peer: Peer, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = peer.client.post(
        SEND_PATH, data={"from": SENDER, "to": TO, "message": "x"}, headers=headers
    )
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


def test_looking_up_a_message_needs_auth_too(peer: Peer) -> None:
    message_id = peer.sent()["id"]
    assert peer.client.get(f"{SEND_PATH}/{message_id}").status_code == 401


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"to": None}, 'Missing "to"'),
        ({"to": ""}, 'Missing "to"'),
        ({"to": "0701234567"}, 'Invalid "to" number'),
        ({"to": "46701234567"}, 'Invalid "to" number'),
        ({"to": "+4670123"}, 'Invalid "to" number'),  # 7 digits
        ({"to": "+4670123456789012"}, 'Invalid "to" number'),  # 16 digits
        ({"to": "+046701234567"}, 'Invalid "to" number'),
        ({"to": "+46 70 123 45 67"}, 'Invalid "to" number'),
        ({"to": "+４６701234567"}, 'Invalid "to" number'),  # fullwidth digits
        ({"from_": None}, 'Missing "from"'),
        ({"from_": "Lycksele kommun"}, 'Invalid "from" number or sender name'),
        ({"from_": "Lyckselekommun"}, 'Invalid "from" number or sender name'),  # 14
        ({"from_": "1177"}, 'Invalid "from" number or sender name'),
        ({"from_": "Åsele"}, 'Invalid "from" number or sender name'),
        ({"from_": "Info-SMS"}, 'Invalid "from" number or sender name'),
        ({"from_": "0701234567"}, 'Invalid "from" number or sender name'),
        ({"message": None}, 'Missing "message"'),
        ({"message": ""}, 'Missing "message"'),
        ({"whendelivered": "ftp://example.org/dlr"}, 'Invalid "whendelivered" URL'),
        ({"whendelivered": "/relative"}, 'Invalid "whendelivered" URL'),
        ({"whendelivered": "http://host:port/"}, 'Invalid "whendelivered" URL'),
        ({"dontlog": "yes"}, 'Invalid "dontlog" value, use "message"'),
        ({"dryrun": "true"}, 'Invalid "dryrun" value, use "yes" or "no"'),
    ],
)
def test_invalid_parameters_are_refused_with_403_and_a_reason(
    peer: Peer, fields: dict[str, str | None], reason: str
) -> None:
    response = peer.send(**fields)
    assert response.status_code == 403
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text == reason
    assert peer.simulator.messages() == []


@pytest.mark.parametrize(
    "sender", ["L", "Lycksele", "Lycksele123", "SMS1177", "kommunen", "+46701234567", "+4512345678"]
)
def test_valid_senders_are_accepted(peer: Peer, sender: str) -> None:
    assert peer.sent(from_=sender)["from"] == sender


def test_a_repeated_parameter_is_refused(peer: Peer) -> None:
    response = peer.client.post(
        SEND_PATH,
        content=f"from={SENDER}&to=%2B46701234567&to=%2B46731234567&message=x".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=peer.auth,
    )
    assert response.status_code == 403
    assert response.text == 'Parameter "to" given more than once'


def test_unknown_parameters_are_ignored(peer: Peer) -> None:
    assert peer.send(flashsms="yes").status_code == 200


def test_a_json_body_is_refused(peer: Peer) -> None:
    response = peer.client.post(
        SEND_PATH, json={"from": SENDER, "to": TO, "message": "x"}, auth=peer.auth
    )
    assert response.status_code == 415


def test_a_form_that_is_not_utf8_is_refused(peer: Peer) -> None:
    response = peer.client.post(
        SEND_PATH,
        content=f"from={SENDER}&to=%2B46701234567&message=%E5".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=peer.auth,
    )
    assert response.status_code == 403


def test_a_too_large_body_is_refused(peer: Peer) -> None:
    response = peer.send(message="a" * 100_000)
    assert response.status_code == 413


def test_dontlog_keeps_the_text_out_of_answers_and_memory(peer: Peer) -> None:
    body = peer.sent(message="Din kod är 654321", dontlog="message")
    assert "message" not in body
    assert body["parts"] == 1
    assert "message" not in peer.lookup(body["id"]).json()
    (stored,) = peer.simulator.messages()
    assert stored["message"] is None
    assert "654321" not in str(stored)
    assert "654321" not in peer.client.get("/").text


def test_a_dry_run_prices_the_sms_without_storing_it(peer: Peer) -> None:
    body = peer.sent(message="a" * 200, dryrun="yes")
    assert body == {
        "status": "created",
        "from": SENDER,
        "to": TO,
        "message": "a" * 200,
        "direction": "outgoing",
        "parts": 2,
        "estimated_cost": 7000,
    }
    assert peer.simulator.messages() == []


def test_a_dry_run_still_validates(peer: Peer) -> None:
    assert peer.send(dryrun="yes", to="0701234567").status_code == 403


def test_dryrun_no_sends(peer: Peer) -> None:
    assert "cost" in peer.sent(dryrun="no")
    assert len(peer.simulator.messages()) == 1


def test_a_message_can_be_looked_up_by_id(peer: Peer) -> None:
    sent = peer.sent()
    response = peer.lookup(sent["id"])
    assert response.status_code == 200
    looked_up = response.json()
    assert {key: looked_up[key] for key in sent if key != "status"} == {
        key: value for key, value in sent.items() if key != "status"
    }
    assert looked_up["status"] in ("created", "delivered")


def test_an_unknown_id_is_404(peer: Peer) -> None:
    assert peer.lookup("s" + "0" * 32).status_code == 404


def test_listing_is_not_offered(peer: Peer) -> None:
    response = peer.client.get(SEND_PATH, auth=peer.auth)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_an_unknown_path_is_404(peer: Peer) -> None:
    assert peer.client.get("/a1/calls", auth=peer.auth).status_code == 404

"""The control API that tests use to steer the simulator."""

from __future__ import annotations

import copy
import time

import httpx
import pytest

from ..organisations import load_fixtures
from .support import COMPANY, UNKNOWN, Peer


def test_stats_start_at_zero(peer: Peer) -> None:
    assert peer.stats() == {
        "requests": {"token": 0, "isalive": 0, "organisationer": 0},
        "tokensIssued": 0,
    }


def test_reset_forgets_tokens_counts_and_faults(peer: Peer) -> None:
    peer.lookup(COMPANY)
    peer.ok("POST", "fail-next", {"status": 503, "count": 5})
    peer.ok("POST", "token-lifetime", {"expiresIn": 5})
    peer.ok("POST", "clock", {"advance": 10})
    peer.ok("POST", "not-found", {"answer": "empty"})
    peer.ok("POST", "reset")
    assert peer.stats()["tokensIssued"] == 0
    assert peer.ok("GET", "token-lifetime") == {"expiresIn": 3600}
    assert peer.ok("GET", "clock")["offset"] == 0
    assert peer.lookup(COMPANY).status_code == 200
    assert peer.lookup(UNKNOWN).status_code == 404


def test_fail_next_answers_the_status_for_count_calls(peer: Peer) -> None:
    token = peer.token()
    peer.ok("POST", "fail-next", {"status": 503, "count": 2})
    first, second = peer.lookup(COMPANY, token), peer.lookup(COMPANY, token)
    assert [first.status_code, second.status_code] == [503, 503]
    assert first.json()["status"] == 503
    assert first.headers["Retry-After"] == "1"
    assert peer.lookup(COMPANY, token).status_code == 200


def test_fail_next_can_aim_at_one_endpoint(peer: Peer) -> None:
    peer.ok("POST", "fail-next", {"status": 500, "endpoint": "organisationer"})
    token = peer.token()  # not affected
    assert peer.lookup(COMPANY, token).status_code == 500
    assert peer.lookup(COMPANY, token).status_code == 200


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, "invalid_client"), (400, "invalid_request"), (503, "temporarily_unavailable")],
)
def test_a_failed_token_call_answers_an_oauth_error(peer: Peer, status: int, error: str) -> None:
    peer.ok("POST", "fail-next", {"status": status, "endpoint": "token"})
    response = peer.token_response()
    assert response.status_code == status
    assert response.json()["error"] == error


def test_an_injected_401_on_the_api_asks_for_a_bearer_token(peer: Peer) -> None:
    token = peer.token()
    peer.ok("POST", "fail-next", {"status": 401, "endpoint": "organisationer"})
    response = peer.lookup(COMPANY, token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_delay_holds_the_next_answer(peer: Peer) -> None:
    token = peer.token()
    peer.ok("POST", "delay", {"seconds": 0.5})
    started = time.monotonic()
    assert peer.lookup(COMPANY, token).status_code == 200
    assert time.monotonic() - started >= 0.5
    started = time.monotonic()
    peer.lookup(COMPANY, token)
    assert time.monotonic() - started < 0.5


def test_a_delay_longer_than_the_timeout_times_the_client_out(peer: Peer) -> None:
    token = peer.token()
    peer.ok("POST", "delay", {"seconds": 2, "endpoint": "organisationer"})
    with pytest.raises(httpx.ReadTimeout):
        peer.client.post(
            "/vardefulla-datamangder/v1/organisationer",
            json={"identitetsbeteckning": COMPANY},
            headers={"Authorization": f"Bearer {token}"},
            timeout=0.3,
        )


def test_a_reset_ends_a_pending_delay(peer: Peer) -> None:
    token = peer.token()
    peer.ok("POST", "delay", {"seconds": 30})
    with (
        httpx.Client(base_url=peer.simulator.base_url, timeout=0.2) as impatient,
        pytest.raises(httpx.ReadTimeout),
    ):
        Peer(peer.simulator, impatient).lookup(COMPANY, token)
    started = time.monotonic()
    peer.ok("POST", "reset")
    assert peer.lookup(COMPANY).status_code == 200
    assert time.monotonic() - started < 5


def test_token_lifetime_applies_to_new_tokens(peer: Peer) -> None:
    old = peer.token()
    assert peer.ok("POST", "token-lifetime", {"expiresIn": 2}) == {"expiresIn": 2}
    response = peer.token_response()
    assert response.json()["expires_in"] == 2
    peer.simulator.clock.advance(2)
    assert peer.lookup(COMPANY, response.json()["access_token"]).status_code == 401
    assert peer.lookup(COMPANY, old).status_code == 200


def test_the_clock_moves_forward_over_http(peer: Peer) -> None:
    token = peer.token()
    assert peer.ok("POST", "clock", {"advance": 3600})["offset"] == 3600
    assert peer.lookup(COMPANY, token).status_code == 401


def test_an_organisation_can_be_added_until_the_next_reset(peer: Peer) -> None:
    organisation = copy.deepcopy(load_fixtures()[COMPANY])
    organisation["organisationsidentitet"]["identitetsbeteckning"] = UNKNOWN
    organisation["verksamOrganisation"]["kod"] = "Nej"
    assert peer.ok("POST", "organisations", organisation) == {"identitetsbeteckning": UNKNOWN}
    assert UNKNOWN in peer.ok("GET", "organisations")["identitetsbeteckningar"]
    [found] = peer.lookup(UNKNOWN).json()["organisationer"]
    assert found["verksamOrganisation"]["kod"] == "Nej"
    peer.ok("POST", "reset")
    assert peer.lookup(UNKNOWN).status_code == 404


def test_unknown_numbers_can_be_answered_with_an_empty_list(peer: Peer) -> None:
    peer.ok("POST", "not-found", {"answer": "empty"})
    response = peer.lookup(UNKNOWN)
    assert response.status_code == 200
    assert response.json() == {"organisationer": []}
    assert peer.lookup(COMPANY).json()["organisationer"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("fail-next", {"status": 200}),
        ("fail-next", {"status": "503"}),
        ("fail-next", {"status": 503, "count": 0}),
        ("fail-next", {"status": 503, "endpoint": "dokument"}),
        ("delay", {"seconds": -1}),
        ("delay", {"seconds": True}),
        ("delay", {"seconds": 61}),
        ("token-lifetime", {"expiresIn": 0}),
        ("token-lifetime", {"expiresIn": 1.5}),
        ("clock", {"advance": -1}),
        ("organisations", {"namn": "Utan nummer"}),
        ("not-found", {"answer": "maybe"}),
    ],
)
def test_bad_control_input_is_400(peer: Peer, path: str, body: object) -> None:
    response = peer.control("POST", path, body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_wrong_method_or_path_is_refused(peer: Peer) -> None:
    assert peer.control("GET", "reset").status_code == 404
    assert peer.control("POST", "nothing").status_code == 404
    assert peer.control("POST", "reset", [1]).status_code == 400


def test_a_cross_origin_control_request_is_refused(peer: Peer) -> None:
    response = peer.client.post(
        "/_control/reset", json={}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403

"""``POST /oauth2/token``: client credentials with Basic authentication (RFC 6749)."""

from __future__ import annotations

import base64

import httpx
import pytest

from ..server import TOKEN_PATH, Simulator
from ..state import PING_SCOPE, READ_SCOPE
from .support import Peer


def test_the_configured_client_gets_an_opaque_bearer_token(peer: Peer) -> None:
    response = peer.token_response()
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body == {
        "access_token": body["access_token"],
        "token_type": "Bearer",
        "expires_in": 3600,
        "scope": READ_SCOPE,
    }
    assert len(body["access_token"]) >= 32
    assert peer.simulator.client_secret not in body["access_token"]


def test_every_token_is_new(peer: Peer) -> None:
    assert len({peer.token() for _ in range(5)}) == 5


def test_expires_in_is_the_configured_lifetime() -> None:
    simulator = Simulator(expires_in=120, quiet=True)
    with simulator, httpx.Client(base_url=simulator.base_url, timeout=5) as client:
        response = Peer(simulator, client).token_response()
    assert response.json()["expires_in"] == 120


@pytest.mark.parametrize(
    "auth",
    [("wrong-id", None), (None, "wrong-secret"), ("", ""), (None, "")],
    ids=["wrong id", "wrong secret", "empty", "no secret"],
)
def test_wrong_credentials_are_invalid_client(
    peer: Peer, auth: tuple[str | None, str | None]
) -> None:
    client_id = peer.simulator.client_id if auth[0] is None else auth[0]
    secret = peer.simulator.client_secret if auth[1] is None else auth[1]
    response = peer.token_response(auth=(client_id, secret))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer abc", "Basic not-base64!", "Basic " + base64.b64encode(b"no-colon").decode()],
)
def test_missing_or_malformed_basic_auth_is_invalid_client(
    peer: Peer, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = peer.client.post(
        TOKEN_PATH, data={"grant_type": "client_credentials"}, headers=headers
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_the_secret_is_checked_before_the_grant(peer: Peer) -> None:
    response = peer.token_response(auth=(peer.simulator.client_id, "x"), grant_type="password")
    assert response.status_code == 401


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "CLIENT_CREDENTIALS"])
def test_another_grant_type_is_unsupported(peer: Peer, grant_type: str) -> None:
    response = peer.token_response(grant_type=grant_type)
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_missing_grant_type_is_an_invalid_request(peer: Peer) -> None:
    response = peer.token_response(grant_type=None)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_repeated_parameter_is_an_invalid_request(peer: Peer) -> None:
    response = peer.client.post(
        TOKEN_PATH,
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=(peer.simulator.client_id, peer.simulator.client_secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_a_json_body_is_an_invalid_request(peer: Peer) -> None:
    response = peer.client.post(
        TOKEN_PATH,
        json={"grant_type": "client_credentials"},
        auth=(peer.simulator.client_id, peer.simulator.client_secret),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_an_unknown_scope_is_invalid(peer: Peer) -> None:
    response = peer.token_response(scope=f"{READ_SCOPE} vardefulla-datamangder:write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_without_a_scope_the_token_gets_both(peer: Peer) -> None:
    response = peer.token_response(scope=None)
    assert response.json()["scope"] == f"{PING_SCOPE} {READ_SCOPE}"


def test_only_post_is_answered(peer: Peer) -> None:
    response = peer.client.get(TOKEN_PATH)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_token_requests_are_counted_whether_or_not_a_token_is_issued(peer: Peer) -> None:
    peer.token()
    peer.token_response(auth=("wrong", "wrong"))
    stats = peer.stats()
    assert stats["requests"]["token"] == 2
    assert stats["tokensIssued"] == 1

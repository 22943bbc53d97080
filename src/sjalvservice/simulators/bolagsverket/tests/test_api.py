"""``/vardefulla-datamangder/v1``: the bearer check, ``POST /organisationer`` and ``isalive``."""

from __future__ import annotations

from typing import Any

import pytest

from ..server import API_PREFIX
from ..state import PING_SCOPE
from .support import BOATS, COMPANY, UNKNOWN, Peer


def test_a_known_number_answers_its_organisation(peer: Peer) -> None:
    response = peer.lookup(COMPANY)
    assert response.status_code == 200, response.text
    [organisation] = response.json()["organisationer"]
    assert organisation["organisationsidentitet"]["identitetsbeteckning"] == COMPANY
    names = organisation["organisationsnamn"]["organisationsnamnLista"]
    assert names[0]["namn"] == "Testbolaget i Lycksele AB"
    assert organisation["juridiskForm"] == {
        "dataproducent": "Bolagsverket",
        "kod": "AB",
        "klartext": "Aktiebolag",
    }
    assert organisation["postadressOrganisation"]["postadress"] == {
        "utdelningsadress": "Storgatan 12",
        "postnummer": "92131",
        "postort": "Lycksele",
    }
    assert organisation["verksamOrganisation"]["kod"] == "Ja"


def test_the_association_is_known_too(peer: Peer) -> None:
    [organisation] = peer.lookup(BOATS).json()["organisationer"]
    assert organisation["organisationsnamn"]["organisationsnamnLista"][0]["namn"] == (
        "Lycksele Båtklubb"
    )
    assert organisation["juridiskForm"]["klartext"] == "Ideell förening"
    assert organisation["postadressOrganisation"]["postadress"]["postort"] == "Lycksele"


def test_an_unknown_number_is_404_with_an_error_body(peer: Peer) -> None:
    response = peer.lookup(UNKNOWN)
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"identitetsbeteckning": "559300-4285"},
        {"identitetsbeteckning": "165593004285"},
        {"identitetsbeteckning": "559300428"},
        {"identitetsbeteckning": "5593004286"},  # wrong check digit
        {"identitetsbeteckning": "55930O4285"},
        {"identitetsbeteckning": "５５９３００４２８５"},  # full-width digits
        {"identitetsbeteckning": 5593004285},
        {"identitetsbeteckning": None},
        {},
        [COMPANY],
        "5593004285",
    ],
)
def test_a_malformed_number_is_400_with_an_error_body(peer: Peer, body: Any) -> None:
    response = peer.organisationer(body)
    assert response.status_code == 400
    error = response.json()
    assert error["status"] == 400
    assert error["title"] == "Bad Request"
    assert "identitetsbeteckning" in error["detail"]


@pytest.mark.parametrize("content", [b"{", b"NaN", b"\xff"])
def test_a_body_that_is_not_json_is_400(peer: Peer, content: bytes) -> None:
    response = peer.client.post(
        f"{API_PREFIX}/organisationer",
        content=content,
        headers={"Authorization": f"Bearer {peer.token()}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_a_body_that_is_not_declared_json_is_415(peer: Peer) -> None:
    response = peer.client.post(
        f"{API_PREFIX}/organisationer",
        data={"identitetsbeteckning": COMPANY},
        headers={"Authorization": f"Bearer {peer.token()}"},
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic abc", "bearer"]
)
def test_without_a_valid_bearer_token_the_api_answers_401(
    peer: Peer, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = peer.client.post(
        f"{API_PREFIX}/organisationer", json={"identitetsbeteckning": COMPANY}, headers=headers
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["status"] == 401


def test_the_bearer_check_comes_before_the_body_check(peer: Peer) -> None:
    assert peer.organisationer({}, token="not-a-token").status_code == 401


def test_a_token_is_valid_until_it_expires(peer: Peer) -> None:
    token = peer.token()
    peer.simulator.clock.advance(3599)
    assert peer.lookup(COMPANY, token).status_code == 200
    peer.simulator.clock.advance(1)
    response = peer.lookup(COMPANY, token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_tokens_are_forgotten_at_a_reset(peer: Peer) -> None:
    token = peer.token()
    peer.ok("POST", "reset")
    assert peer.lookup(COMPANY, token).status_code == 401


def test_a_ping_token_cannot_look_organisations_up(peer: Peer) -> None:
    response = peer.lookup(COMPANY, peer.token(scope=PING_SCOPE))
    assert response.status_code == 403
    assert response.headers["WWW-Authenticate"] == 'Bearer error="insufficient_scope"'


@pytest.mark.parametrize("scope", [PING_SCOPE, None])
def test_isalive_answers_a_ping_or_read_token(peer: Peer, scope: str | None) -> None:
    response = peer.isalive(peer.token(scope=scope))
    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


def test_isalive_needs_a_token(peer: Peer) -> None:
    assert peer.isalive().status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/organisationer"),
        ("POST", "/isalive"),
    ],
)
def test_a_wrong_method_is_405(peer: Peer, method: str, path: str) -> None:
    response = peer.client.request(method, f"{API_PREFIX}{path}")
    assert response.status_code == 405


@pytest.mark.parametrize(
    "path", ["/", "/vardefulla-datamangder/v2/organisationer", f"{API_PREFIX}/dokumentlista"]
)
def test_an_unknown_path_is_404(peer: Peer, path: str) -> None:
    assert peer.client.post(path, json={}).status_code == 404


def test_lookups_are_counted(peer: Peer) -> None:
    token = peer.token()
    peer.lookup(COMPANY, token)
    peer.lookup(UNKNOWN, token)
    assert peer.stats()["requests"] == {"token": 1, "isalive": 0, "organisationer": 2}

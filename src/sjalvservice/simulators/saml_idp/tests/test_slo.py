"""``GET /slo``: a signed LogoutRequest gets a signed LogoutResponse back to the SP."""

from __future__ import annotations

from urllib.parse import urlsplit

from saml2 import BINDING_HTTP_REDIRECT
from saml2.samlp import STATUS_SUCCESS
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import SIG_RSA_SHA256

from ..server import Simulator
from .support import SLO, Resident, TestSp, parse_page, query


def test_a_signed_logout_request_gets_a_signed_success_response(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    response = resident.open(sp.logout_request("/utloggad"))
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(SLO + "?")
    fields = query(location)
    assert set(fields) == {"SAMLResponse", "RelayState", "SigAlg", "Signature"}
    assert fields["RelayState"] == "/utloggad"
    assert fields["SigAlg"] == SIG_RSA_SHA256

    idp_cert = "".join(idp.keys.signing_cert.read_text().splitlines()[1:-1])
    assert verify_redirect_signature(fields, sp.client.sec.sec_backend, idp_cert)
    answer = sp.client.parse_logout_request_response(fields["SAMLResponse"], BINDING_HTTP_REDIRECT)
    assert answer.response.status.status_code.value == STATUS_SUCCESS
    assert answer.response.issuer.text == idp.entity_id
    assert answer.response.destination == SLO


def test_a_changed_signature_is_refused(sp: TestSp, resident: Resident) -> None:
    url = sp.logout_request("/utloggad")
    changed = url.replace("RelayState=%2Futloggad", "RelayState=%2Fannat")
    response = resident.open(changed)
    assert response.status_code == 400
    assert "Signaturen stämmer inte" in parse_page(response.text).all_text


def test_an_unsigned_logout_request_is_refused(sp: TestSp, resident: Resident) -> None:
    url = sp.logout_request(sign=False)
    assert "Signature" not in query(url)
    response = resident.open(url)
    assert response.status_code == 400
    assert "inte signerad" in response.text


def test_a_logout_request_needs_saml_request(resident: Resident) -> None:
    assert resident.open("/slo").status_code == 400
    assert resident.client.post("/slo").status_code == 405


def test_the_logout_response_goes_where_the_metadata_says(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    location = resident.open(sp.logout_request()).headers["location"]
    assert urlsplit(location)._replace(query="").geturl() == SLO

"""Requests the IdP must not answer: unsigned, badly signed, from unknown SPs, malformed."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import httpx
import pytest
from saml2.xmldsig import SIG_RSA_SHA1

from ..server import Simulator
from .support import Resident, TestSp, parse_page, query


def _refused(response: httpx.Response, text: str) -> None:
    assert response.status_code == 400, response.text
    page = parse_page(response.text)
    assert text in page.all_text
    assert "Inget svar har skickats till tjänsten." in page.all_text
    assert "SAMLResponse" not in response.text


def test_an_unsigned_redirect_request_is_refused(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    _, url = sp.redirect_request(sign=False)
    assert "Signature" not in query(url)
    _refused(resident.open(url), "inte signerad")
    assert idp.last_response is None
    assert idp.logins.all() == []


def test_a_changed_relay_state_breaks_the_signature(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request("/hem")
    changed = url.replace("RelayState=%2Fhem", "RelayState=%2Fannat")
    assert changed != url
    _refused(resident.open(changed), "Signaturen stämmer inte")


def test_a_changed_request_breaks_the_signature(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    fields = query(url)
    _, other = sp.redirect_request()
    forged = {**fields, "SAMLRequest": query(other)["SAMLRequest"]}
    _refused(resident.open(f"/sso?{urlencode(forged)}"), "Signaturen stämmer inte")


def test_a_sha1_signature_is_refused(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request(sigalg=SIG_RSA_SHA1)
    assert query(url)["SigAlg"] == SIG_RSA_SHA1
    _refused(resident.open(url), "godtas inte")


def test_the_signature_is_checked_over_the_query_string_as_sent(
    sp: TestSp, resident: Resident
) -> None:
    # Percent-encoding in lower case is as valid as pysaml2's upper case, but only if the
    # signature is checked over the bytes that arrived.
    _, url = sp.redirect_request("/hem")
    split = urlsplit(url)
    lowered = split.query.replace("%2F", "%2f")
    assert lowered != split.query
    _refused(resident.open(f"/sso?{lowered}"), "Signaturen stämmer inte")
    resident.login_page(f"/sso?{split.query}")


def test_an_unsigned_post_request_is_refused(sp: TestSp, resident: Resident) -> None:
    _, fields = sp.post_request(sign=False)
    _refused(resident.post_sso(fields), "inte signerad")


def test_a_request_signed_with_a_key_the_metadata_lacks_is_refused(
    idp: Simulator, sp: TestSp, resident: Resident, tmp_path: Path
) -> None:
    impostor = TestSp(idp, tmp_path, entity_id=sp.entity_id, name="impostor")
    _, url = impostor.redirect_request()
    _refused(resident.open(url), "Signaturen stämmer inte")
    _, fields = impostor.post_request()
    _refused(resident.post_sso(fields), "kunde inte verifieras")


def test_a_request_from_an_unknown_sp_is_refused(
    idp: Simulator, resident: Resident, tmp_path: Path
) -> None:
    stranger = TestSp(idp, tmp_path, entity_id="https://okand.example/sp", name="stranger")
    _, url = stranger.redirect_request()
    _refused(resident.open(url), "https://okand.example/sp är okänd")
    _, fields = stranger.post_request()
    _refused(resident.post_sso(fields), "är okänd")


def test_an_sp_without_an_encryption_certificate_is_refused(
    idp: Simulator, resident: Resident, tmp_path: Path
) -> None:
    plain = TestSp(
        idp, tmp_path, entity_id="https://okrypterad.example/sp", encryption=False, name="plain"
    )
    plain_metadata = plain.metadata.replace('use="signing"', "")
    assert resident.client.post("/_control/sp-metadata", content=plain_metadata).status_code == 200
    # Without "use", the signing certificate counts for encryption too; with it, there is none.
    resident.login_page(plain.redirect_request()[1])
    resident.client.post("/_control/sp-metadata", content=plain.metadata)
    _refused(resident.open(plain.redirect_request()[1]), "inget certifikat för kryptering")


@pytest.mark.parametrize(
    "saml_request",
    [
        "inte base64!",
        base64.b64encode(b"not deflated").decode(),
        base64.b64encode(zlib.compress(b"<inte-saml/>")[2:-4]).decode(),
        base64.b64encode(zlib.compress(b"x" * 10_000_000)[2:-4]).decode(),
    ],
)
def test_garbage_is_refused(resident: Resident, saml_request: str) -> None:
    response = resident.open(f"/sso?SAMLRequest={quote(saml_request)}")
    assert response.status_code == 400
    assert "Begäran kunde inte tas emot" in response.text


def test_a_request_without_saml_request_is_refused(resident: Resident) -> None:
    _refused(resident.open("/sso"), "saknar SAMLRequest")
    _refused(resident.post_sso({"RelayState": "/"}), "saknar SAMLRequest")


def test_a_parameter_given_twice_is_refused(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    _refused(resident.open(url + "&RelayState=%2Fannat"), "mer än en gång")


def test_only_get_and_post_reach_sso(resident: Resident) -> None:
    response = resident.client.put("/sso")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


def test_bad_sp_metadata_is_refused_by_the_control_api(resident: Resident) -> None:
    for body in ("", "<inte-metadata/>", "inte xml"):
        response = resident.client.post("/_control/sp-metadata", content=body)
        assert response.status_code == 400, body
        assert "error" in response.json()


def test_control_requests_from_another_origin_are_refused(resident: Resident) -> None:
    response = resident.client.post("/_control/reset", headers={"Origin": "https://elak.example"})
    assert response.status_code == 403
    own = resident.client.base_url
    response = resident.client.post(
        "/_control/reset", headers={"Origin": f"http://{own.host}:{own.port}"}
    )
    assert response.status_code == 200


def test_unknown_control_paths_are_404(resident: Resident) -> None:
    assert resident.client.get("/_control/okand").status_code == 404

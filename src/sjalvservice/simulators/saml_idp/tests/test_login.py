"""A whole login: AuthnRequest, login page, BankID, and the Response the SP accepts."""

from __future__ import annotations

import base64
import hashlib
import hmac
from xml.etree import ElementTree

import httpx
import pytest
from saml2.response import StatusAuthnFailed
from saml2.saml import NAMEID_FORMAT_TRANSIENT

from ..saml import AES256_GCM, ASSERTION_LIFETIME, LOA2, LOA3, parse_instant
from ..server import Simulator
from .support import (
    ACS,
    BERTIL,
    OTHER_ACS,
    BankIdControl,
    Resident,
    TestSp,
    algorithms,
    assertion_of,
    parse_page,
    requested_context,
    response_form,
    response_of,
)

RSA_OAEP = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
WEAK = {
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "http://www.w3.org/2000/09/xmldsig#sha1",
    "http://www.w3.org/2001/04/xmlenc#tripledes-cbc",
}


def test_a_mobilt_bankid_login_gives_the_sp_the_person_at_loa3(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    request_id, url = sp.redirect_request("/hem")
    form = resident.log_in(url)
    assert form.action == ACS
    assert form.relay_state == "/hem"

    answer = sp.parse(form.saml_response, request_id)
    assert answer.get_identity() == {
        "personalIdentityNumber": ["198101059825"],
        "givenName": ["Jenny"],
        "sn": ["Testersson"],
        "displayName": ["Jenny Testersson"],
    }
    ((class_ref, authorities, _),) = answer.authn_info()
    assert class_ref == LOA3
    assert authorities == [idp.entity_id]
    name_id = answer.assertion.subject.name_id
    assert name_id.format == NAMEID_FORMAT_TRANSIENT
    assert "198101059825" not in name_id.text


def test_the_response_is_signed_and_encrypted_with_the_profile_s_algorithms(
    sp: TestSp, resident: Resident
) -> None:
    _, url = sp.redirect_request()
    form = resident.log_in(url)
    xml = form.xml
    children = [child.tag for child in ElementTree.fromstring(xml)]  # noqa: S314 (own output)
    assert "{urn:oasis:names:tc:SAML:2.0:assertion}EncryptedAssertion" in children
    assert "{urn:oasis:names:tc:SAML:2.0:assertion}Assertion" not in children
    assert {AES256_GCM, RSA_OAEP, RSA_SHA256, SHA256} <= algorithms(xml)
    assert not algorithms(xml) & WEAK
    # The personal number travels only inside the encrypted assertion.
    assert "198101059825" not in xml
    assert "198101059825" not in form.html
    decrypted = sp.decrypt(form.saml_response)
    assert "198101059825" in decrypted
    # The assertion inside is signed too, with the same algorithms.
    assert decrypted.count("SignatureValue>") >= 4  # opening and closing tag, two signatures
    assert not algorithms(decrypted) & WEAK


def test_the_response_is_addressed_to_the_sp_and_lives_five_minutes(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    request_id, url = sp.redirect_request()
    xml = sp.decrypt(resident.log_in(url).saml_response)
    response = response_of(xml)
    assert response.destination == ACS
    assert response.in_response_to == request_id
    assert response.issuer.text == idp.entity_id
    assertion = assertion_of(xml)
    (confirmation,) = assertion.subject.subject_confirmation
    assert confirmation.subject_confirmation_data.recipient == ACS
    assert confirmation.subject_confirmation_data.in_response_to == request_id
    conditions = assertion.conditions
    assert [a.text for r in conditions.audience_restriction for a in r.audience] == [sp.entity_id]
    lifetime = parse_instant(conditions.not_on_or_after) - parse_instant(assertion.issue_instant)
    assert lifetime == ASSERTION_LIFETIME
    (statement,) = assertion.authn_statement
    assert statement.authn_context.authenticating_authority[0].text == idp.entity_id
    names = {
        attribute.name: attribute.name_format
        for attribute in assertion.attribute_statement[0].attribute
    }
    assert names == {
        "urn:oid:1.2.752.29.4.13": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
        "urn:oid:2.5.4.42": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
        "urn:oid:2.5.4.4": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
        "urn:oid:2.16.840.1.113730.3.1.241": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    }


def test_each_login_gets_a_new_transient_name_id(sp: TestSp, resident: Resident) -> None:
    names = []
    for _ in range(2):
        request_id, url = sp.redirect_request()
        answer = sp.parse(resident.log_in(url).saml_response, request_id)
        names.append(answer.assertion.subject.name_id.text)
    assert names[0] != names[1]


def test_the_last_response_is_kept_for_replay_tests(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    assert idp.last_response is None
    assert resident.client.get("/_control/last-response").status_code == 404
    _, url = sp.redirect_request("/mina-sidor")
    form = resident.log_in(url)
    expected = {"acs": ACS, "saml_response": form.saml_response, "relay_state": "/mina-sidor"}
    assert idp.last_response == expected
    assert resident.client.get("/_control/last-response").json() == expected


def test_the_response_page_submits_itself_and_has_a_button_without_javascript(
    sp: TestSp, resident: Resident
) -> None:
    _, url = sp.redirect_request()
    form = resident.log_in(url)
    page = parse_page(form.html)
    assert page.count("h1") == 1
    assert [attrs for tag, attrs in page.tags if tag == "script"] == [
        {"src": "/static/idp.js", "defer": ""}
    ]
    assert "Fortsätt" in page.all_text
    script = resident.client.get("/static/idp.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert 'getElementById("saml-response")' in script.text


def test_a_login_of_another_person_gives_that_person(sp: TestSp, resident: Resident) -> None:
    request_id, url = sp.redirect_request()
    answer = sp.parse(resident.log_in(url, BERTIL).saml_response, request_id)
    assert answer.get_identity()["personalIdentityNumber"] == ["197504129912"]
    assert answer.get_identity()["displayName"] == ["Bertil Provsson"]


def test_the_http_post_binding_works_too(sp: TestSp, resident: Resident) -> None:
    request_id, fields = sp.post_request("/post")
    response = resident.post_sso(fields)
    assert response.status_code == 200, response.text
    key = parse_page(response.text).hidden["key"]
    assert resident.choose(key, "mobilt-bankid").status_code == 303
    resident.bankid.complete(resident.order_ref(key))
    form = response_form(resident.wait(key))
    assert form.relay_state == "/post"
    assert sp.parse(form.saml_response, request_id).get_identity()["sn"] == ["Testersson"]


def test_the_requested_acs_is_used_when_the_metadata_lists_it(
    sp: TestSp, resident: Resident
) -> None:
    _, url = sp.redirect_request(assertion_consumer_service_url=OTHER_ACS)
    assert resident.log_in(url).action == OTHER_ACS


def test_an_acs_the_metadata_does_not_list_is_not_used(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request(assertion_consumer_service_url="https://elak.example/acs")
    assert resident.log_in(url).action == ACS


# -- the wait pages ----------------------------------------------------------------------------


def test_mobilt_bankid_shows_an_animated_qr_code(
    sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    _, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url, "mobilt-bankid")
    order = bankid.order(order_ref)
    assert order["request"] == {"endUserIp": "127.0.0.1"}  # no returnUrl for another device

    page = resident.wait(key)
    assert page.status_code == 200
    outline = parse_page(page.text)
    assert outline.attrs("qr")["role"] == "img"
    assert "<svg" in page.text
    assert "Starta BankID-appen." in outline.all_text
    assert "Jag har legitimerat mig" in outline.all_text
    assert outline.attrs("wait")["data-status"] == f"/status/{key}"

    status = resident.status(key)
    assert status["done"] is False
    assert status["message"] == "Starta BankID-appen."
    assert status["qrSvg"].startswith("<svg")
    prefix, token, seconds, code = status["qrContent"].split(".")
    assert (prefix, token) == ("bankid", order["qrStartToken"])
    secret = order["qrStartSecret"].encode("ascii")
    assert code == hmac.new(secret, seconds.encode("ascii"), hashlib.sha256).hexdigest()
    assert status["testAppUrl"].startswith(f"{bankid.client.base_url}?qr=bankid.")
    # The secret never reaches the browser.
    assert order["qrStartSecret"] not in page.text
    assert order["qrStartSecret"] not in str(status)


def test_the_qr_code_counts_the_seconds_since_the_order(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    _, url = sp.redirect_request()
    key, _ = resident.start_bankid(url)
    first = resident.status(key)["qrContent"]
    idp.clock.advance(3)
    later = resident.status(key)["qrContent"]
    assert int(later.split(".")[2]) - int(first.split(".")[2]) == 3


def test_the_message_follows_the_hint_code(
    idp: Simulator, sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    _, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url)
    bankid.hint(order_ref, "userSign")
    idp.clock.advance(1)  # status polls collect at most once a second
    status = resident.status(key)
    assert status["hintCode"] == "userSign"
    assert status["message"] == (
        "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
    )


def test_status_says_done_once_bankid_has_completed(
    idp: Simulator, sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    _, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url)
    assert resident.status(key)["done"] is False
    bankid.complete(order_ref)
    idp.clock.advance(1)
    assert resident.status(key) == {"done": True, "next": f"/wait/{key}"}
    response_form(resident.wait(key))
    # The login is over once its Response has been handed out.
    assert resident.wait(key).status_code == 400
    assert resident.client.get(f"/status/{key}").status_code == 404


def test_bankid_on_this_device_sends_a_return_url_and_links_to_the_app(
    idp: Simulator, sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    request_id, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url, "bankid")
    order = bankid.order(order_ref)
    assert order["request"] == {"endUserIp": "127.0.0.1", "returnUrl": f"{idp.url}wait/{key}"}

    page = resident.wait(key)
    outline = parse_page(page.text)
    link = outline.attrs("autostart")["href"]
    app_url = str(bankid.client.base_url)
    assert link == f"{app_url}?autostarttoken={order['autoStartToken']}&redirect=null"
    assert "Öppna BankID" in outline.all_text
    assert resident.status(key)["message"] == "Försöker starta BankID-appen."

    # The Test-BankID app: open the link, identify, and be sent back to the returnUrl.
    with httpx.Client(timeout=5) as app:
        opened = app.get(link)
        assert opened.status_code == 303
        order_page = app.get(app_url.rstrip("/") + opened.headers["location"])
        hidden = parse_page(order_page.text).hidden
        done = app.post(app_url + "identify", data={**hidden, "person": "198101059825"})
    assert done.status_code == 303
    assert done.headers["location"] == f"{idp.url}wait/{key}"
    form = response_form(resident.open(done.headers["location"]))
    assert sp.parse(form.saml_response, request_id).get_identity()["givenName"] == ["Jenny"]


def test_choosing_again_cancels_the_first_order(
    sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    _, url = sp.redirect_request()
    key, first = resident.start_bankid(url)
    assert resident.choose(key, "bankid").status_code == 303
    assert bankid.order(first)["status"] == "failed"
    assert resident.order_ref(key) != first


# -- cancelling and failing --------------------------------------------------------------------


def test_avbryt_on_the_login_page_answers_authn_failed(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    request_id, url = sp.redirect_request("/tillbaka")
    _, key = resident.login_page(url)
    form = response_form(resident.choose(key, "avbryt"))
    assert form.action == ACS
    assert form.relay_state == "/tillbaka"
    assert "urn:oasis:names:tc:SAML:2.0:status:Responder" in form.xml
    assert "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed" in form.xml
    assert RSA_SHA256 in algorithms(form.xml)
    with pytest.raises(StatusAuthnFailed, match="avbröt"):
        sp.parse(form.saml_response, request_id)
    assert idp.last_response is not None
    assert idp.last_response["saml_response"] == form.saml_response


def test_avbryt_while_waiting_cancels_the_order_and_answers_authn_failed(
    sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    request_id, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url)
    form = response_form(resident.cancel(key))
    order = bankid.order(order_ref)
    assert order["status"] == "failed"
    assert order["cancelledByRp"] is True
    with pytest.raises(StatusAuthnFailed):
        sp.parse(form.saml_response, request_id)
    assert resident.wait(key).status_code == 400


@pytest.mark.parametrize(
    ("hint_code", "message"),
    [
        ("userCancel", "Åtgärden avbruten."),
        ("expiredTransaction", "BankID-appen svarar inte."),
        ("startFailed", "Misslyckades att läsa av QR-koden."),
        ("certificateErr", "Det BankID du försöker använda är för gammalt eller spärrat."),
    ],
)
def test_a_failed_bankid_order_answers_authn_failed_with_its_message(
    sp: TestSp, resident: Resident, bankid: BankIdControl, hint_code: str, message: str
) -> None:
    request_id, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url)
    bankid.fail(order_ref, hint_code)
    form = response_form(resident.wait(key))
    assert "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed" in form.xml
    with pytest.raises(StatusAuthnFailed) as failure:
        sp.parse(form.saml_response, request_id)
    assert message in str(failure.value)
    assert hint_code in str(failure.value)


def test_a_bankid_error_when_starting_is_shown_on_the_login_page(
    sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    response = bankid.client.post(
        "/_control/fail-next", json={"errorCode": "maintenance", "endpoint": "auth"}
    )
    assert response.status_code == 200
    _, url = sp.redirect_request()
    _, key = resident.login_page(url)
    page = resident.choose(key, "mobilt-bankid")
    assert page.status_code == 502
    assert "Internt tekniskt fel. Försök igen." in parse_page(page.text).all_text
    # Trying again works.
    assert resident.choose(key, "mobilt-bankid").status_code == 303


# -- authentication contexts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "comparison"),
    [((LOA3,), "exact"), ((LOA2, LOA3), "exact"), ((LOA2,), "minimum"), ((LOA3,), "minimum")],
)
def test_requests_that_loa3_meets_get_the_login_page(
    sp: TestSp, resident: Resident, classes: tuple[str, ...], comparison: str
) -> None:
    _, url = sp.redirect_request(
        requested_authn_context=requested_context(*classes, comparison=comparison)
    )
    resident.login_page(url)


@pytest.mark.parametrize(
    ("classes", "comparison"),
    [((LOA2,), "exact"), (("http://id.elegnamnden.se/loa/1.0/loa4",), "exact")],
)
def test_other_contexts_are_answered_no_authn_context(
    idp: Simulator, sp: TestSp, resident: Resident, classes: tuple[str, ...], comparison: str
) -> None:
    request_id, url = sp.redirect_request(
        "/hem", requested_authn_context=requested_context(*classes, comparison=comparison)
    )
    form = response_form(resident.open(url))
    assert form.action == ACS
    assert form.relay_state == "/hem"
    assert "urn:oasis:names:tc:SAML:2.0:status:Responder" in form.xml
    assert "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext" in form.xml
    assert f'InResponseTo="{request_id}"' in form.xml
    assert RSA_SHA256 in algorithms(form.xml)
    assert idp.logins.all() == []


def test_a_passive_request_is_answered_no_passive(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request(is_passive="true")
    form = response_form(resident.open(url))
    assert "urn:oasis:names:tc:SAML:2.0:status:NoPassive" in form.xml


# -- expiry ------------------------------------------------------------------------------------


def test_a_login_expires_after_ten_minutes(idp: Simulator, sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    _, key = resident.login_page(url)
    idp.clock.advance(9 * 60)
    assert len(idp.logins.all()) == 1
    idp.clock.advance(61)
    page = resident.choose(key, "mobilt-bankid")
    assert page.status_code == 400
    assert "Inloggningen har gått ut." in parse_page(page.text).all_text
    assert idp.logins.all() == []


def test_an_unknown_key_gets_the_expired_page(resident: Resident) -> None:
    for response in (
        resident.wait("okand"),
        resident.choose("okand", "avbryt"),
        resident.cancel("okand"),
    ):
        assert response.status_code == 400
        assert "Inloggningen finns inte längre" in response.text


def test_the_saml_response_is_base64_of_one_xml_document(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    decoded = base64.b64decode(resident.log_in(url).saml_response, validate=True)
    assert decoded.startswith(b"<?xml") or decoded.startswith(b"<ns0:Response")

"""Fault switches: each one builds its flaw into the next Responses for completed logins."""

from __future__ import annotations

import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from saml2.response import StatusAuthnFailed

from ..saml import EXPIRED_BY, FAULTS, LOA2, WRONG_AUDIENCE, parse_instant
from ..server import Simulator
from .support import Resident, TestSp, assertion_of, response_form, response_of

PROTOCOL = "{urn:oasis:names:tc:SAML:2.0:protocol}"
ASSERTION = "{urn:oasis:names:tc:SAML:2.0:assertion}"
SIGNATURE = "{http://www.w3.org/2000/09/xmldsig#}Signature"


def _fault(resident: Resident, fault: str, count: int = 1) -> list[dict[str, object]]:
    response = resident.client.post("/_control/faults", json={"fault": fault, "count": count})
    assert response.status_code == 200, response.text
    return list(response.json())


def _children(xml: str) -> list[str]:
    return [child.tag for child in ElementTree.fromstring(xml)]  # noqa: S314 (own output)


def test_unsigned_signs_neither_response_nor_assertion_but_still_encrypts(
    sp: TestSp, resident: Resident
) -> None:
    _fault(resident, "unsigned")
    request_id, url = sp.redirect_request()
    form = resident.log_in(url)
    assert SIGNATURE not in _children(form.xml)
    assert f"{ASSERTION}EncryptedAssertion" in _children(form.xml)
    assert "198101059825" not in form.xml
    decrypted = sp.decrypt(form.saml_response)
    assert "SignatureValue" not in decrypted
    with pytest.raises(Exception, match=r"[Ss]ignature"):
        sp.parse(form.saml_response, request_id)


def test_unencrypted_sends_the_signed_assertion_in_clear(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "unencrypted")
    request_id, url = sp.redirect_request()
    form = resident.log_in(url)
    children = _children(form.xml)
    assert f"{ASSERTION}Assertion" in children
    assert f"{ASSERTION}EncryptedAssertion" not in children
    assert SIGNATURE in children
    assert "198101059825" in form.xml
    assertion = assertion_of(form.xml)
    assert assertion.signature is not None
    # pysaml2 accepts it: the flaw is for an SP that insists on encryption to catch.
    answer = sp.parse(form.saml_response, request_id)
    assert answer.get_identity()["personalIdentityNumber"] == ["198101059825"]


def test_wrong_audience_names_another_service(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "wrong-audience")
    request_id, url = sp.redirect_request()
    form = resident.log_in(url)
    conditions = assertion_of(sp.decrypt(form.saml_response)).conditions
    audiences = [a.text for r in conditions.audience_restriction for a in r.audience]
    assert audiences == [WRONG_AUDIENCE]
    with pytest.raises(Exception, match="AudienceRestrictions"):
        sp.parse(form.saml_response, request_id)


def test_expired_makes_the_response_as_if_two_hours_ago(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "expired")
    request_id, url = sp.redirect_request()
    form = resident.log_in(url)
    xml = sp.decrypt(form.saml_response)
    response, assertion = response_of(xml), assertion_of(xml)
    now = time.time()
    assert abs(now - EXPIRED_BY - parse_instant(response.issue_instant)) < 60
    assert abs(now - EXPIRED_BY - parse_instant(assertion.issue_instant)) < 60
    assert parse_instant(assertion.conditions.not_before) < now - EXPIRED_BY + 60
    assert parse_instant(assertion.conditions.not_on_or_after) < now
    (confirmation,) = assertion.subject.subject_confirmation
    assert parse_instant(confirmation.subject_confirmation_data.not_on_or_after) < now
    with pytest.raises(Exception, match="too old"):
        sp.parse(form.saml_response, request_id)


def test_loa2_gives_the_lower_assurance_level(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "loa2")
    request_id, url = sp.redirect_request()
    answer = sp.parse(resident.log_in(url).saml_response, request_id)
    ((class_ref, _, _),) = answer.authn_info()
    assert class_ref == LOA2


def test_no_pnr_leaves_the_personal_number_out(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "no-pnr")
    request_id, url = sp.redirect_request()
    form = resident.log_in(url)
    assert "198101059825" not in sp.decrypt(form.saml_response)
    identity = sp.parse(form.saml_response, request_id).get_identity()
    assert identity == {
        "givenName": ["Jenny"],
        "sn": ["Testersson"],
        "displayName": ["Jenny Testersson"],
    }


def test_unsolicited_answers_a_request_the_sp_never_sent(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "unsolicited")
    request_id, url = sp.redirect_request()
    form = resident.log_in(url)
    xml = sp.decrypt(form.saml_response)
    response = response_of(xml)
    assert response.in_response_to != request_id
    (confirmation,) = assertion_of(xml).subject.subject_confirmation
    assert confirmation.subject_confirmation_data.in_response_to == response.in_response_to
    with pytest.raises(Exception, match="Unsolicited"):
        sp.parse(form.saml_response, request_id)


def test_a_fault_applies_count_times_then_responses_are_sound(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    assert _fault(resident, "loa2", count=2) == [{"fault": "loa2", "count": 2}]
    classes = []
    for _ in range(3):
        request_id, url = sp.redirect_request()
        ((class_ref, _, _),) = sp.parse(resident.log_in(url).saml_response, request_id).authn_info()
        classes.append(class_ref)
    assert classes == [LOA2, LOA2, "http://id.elegnamnden.se/loa/1.0/loa3"]
    assert idp.faults.as_list() == []


def test_faults_apply_in_order_and_not_to_cancelled_logins(sp: TestSp, resident: Resident) -> None:
    _fault(resident, "no-pnr")
    _fault(resident, "loa2")
    assert resident.client.get("/_control/faults").json() == [
        {"fault": "no-pnr", "count": 1},
        {"fault": "loa2", "count": 1},
    ]
    request_id, url = sp.redirect_request()
    _, key = resident.login_page(url)
    with pytest.raises(StatusAuthnFailed):
        sp.parse(response_form(resident.choose(key, "avbryt")).saml_response, request_id)
    request_id, url = sp.redirect_request()
    assert (
        "personalIdentityNumber"
        not in sp.parse(resident.log_in(url).saml_response, request_id).get_identity()
    )
    assert resident.client.get("/_control/faults").json() == [{"fault": "loa2", "count": 1}]


def test_reset_forgets_faults_logins_and_the_last_response(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    _fault(resident, "unsigned", count=5)
    _, url = sp.redirect_request()
    resident.log_in(url)
    _, url = sp.redirect_request()
    resident.login_page(url)
    assert resident.client.post("/_control/reset").json() == {}
    assert idp.faults.as_list() == []
    assert idp.logins.all() == []
    assert idp.last_response is None


@pytest.mark.parametrize(
    "body",
    [
        {"fault": "okänt"},
        {},
        {"fault": "loa2", "count": 0},
        {"fault": "loa2", "count": "1"},
        {"fault": "loa2", "count": True},
    ],
)
def test_bad_fault_requests_are_refused(resident: Resident, body: dict[str, object]) -> None:
    response = resident.client.post("/_control/faults", json=body)
    assert response.status_code == 400
    assert "error" in response.json()


def test_every_fault_is_documented() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for fault in FAULTS:
        assert f"`{fault}`" in readme

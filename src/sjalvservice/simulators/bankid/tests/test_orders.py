"""The order state machine as the RP sees it through /collect and /cancel."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from ..persons import TEST_PERSONS, luhn_ok
from .support import TestApp, b64

JENNY, BERTIL, ANNA = TEST_PERSONS


def _collect(app: TestApp, order_ref: str) -> dict[str, Any]:
    response = app.collect(order_ref)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _invalid(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["errorCode"] == "invalidParameters"


def _complete(app: TestApp, order_ref: str, **person: object) -> httpx.Response:
    return app.control("POST", f"orders/{order_ref}/complete", person)


def test_the_test_persons_are_from_the_test_series_and_pass_luhn() -> None:
    for person in TEST_PERSONS:
        assert 980 <= int(person.personal_number[8:11]) <= 999
        assert luhn_ok(person.personal_number)


def test_a_new_order_is_pending_with_outstanding_transaction(app: TestApp) -> None:
    order_ref = app.start()
    assert _collect(app, order_ref) == {
        "orderRef": order_ref,
        "status": "pending",
        "hintCode": "outstandingTransaction",
    }


def test_hints_progress_from_outstanding_to_started_to_user_sign(app: TestApp) -> None:
    order_ref = app.start()
    scanned = app.scan(app.qr(order_ref))
    assert _collect(app, order_ref)["hintCode"] == "started"
    app.open(scanned)
    assert _collect(app, order_ref)["hintCode"] == "userSign"


def test_mrtd_orders_ask_for_the_id_document_before_user_sign(app: TestApp) -> None:
    order_ref = app.start(requirement={"mrtd": True})
    html, hidden = app.scan_and_open(order_ref)
    assert "Läs av ID-handling" in html
    assert _collect(app, order_ref)["hintCode"] == "userMrtd"
    assert app.identify(hidden, person=JENNY.personal_number).status_code == 409
    app.open(app.client.post("mrtd", data=hidden))
    assert _collect(app, order_ref)["hintCode"] == "userSign"
    assert app.identify(hidden, person=JENNY.personal_number).status_code == 200
    data = _collect(app, order_ref)["completionData"]
    assert data["stepUp"] == {"mrtd": True}


def test_an_order_nobody_picks_up_fails_with_start_failed_after_31_seconds(app: TestApp) -> None:
    order_ref = app.start()
    app.advance(29)
    assert _collect(app, order_ref)["status"] == "pending"
    app.advance(2)
    assert _collect(app, order_ref) == {
        "orderRef": order_ref,
        "status": "failed",
        "hintCode": "startFailed",
    }


def test_a_picked_up_order_expires_after_181_seconds(app: TestApp) -> None:
    order_ref = app.start()
    app.scan_and_open(order_ref)
    app.advance(60)
    assert _collect(app, order_ref)["hintCode"] == "userSign"
    app.advance(121)
    assert _collect(app, order_ref)["hintCode"] == "expiredTransaction"


def test_collect_after_a_final_answer_is_invalid_parameters(app: TestApp) -> None:
    order_ref = app.start()
    assert _complete(app, order_ref).status_code == 200
    assert _collect(app, order_ref)["status"] == "complete"
    _invalid(app.collect(order_ref))


def test_collect_after_a_failed_answer_is_invalid_parameters(app: TestApp) -> None:
    order_ref = app.start()
    app.control("POST", f"orders/{order_ref}/fail", {"hintCode": "certificateErr"})
    assert _collect(app, order_ref)["hintCode"] == "certificateErr"
    _invalid(app.collect(order_ref))


def test_a_complete_order_can_be_collected_within_three_minutes(app: TestApp) -> None:
    order_ref = app.start()
    _complete(app, order_ref)
    app.advance(179)
    assert _collect(app, order_ref)["status"] == "complete"


def test_a_complete_order_collected_too_late_is_invalid_parameters(app: TestApp) -> None:
    order_ref = app.start()
    _complete(app, order_ref)
    app.advance(181)
    _invalid(app.collect(order_ref))


def test_a_failed_order_can_be_collected_for_five_minutes_only(app: TestApp) -> None:
    early, late = app.start(), app.start()
    app.advance(31)  # both fail with startFailed at 30 s
    app.advance(298)
    assert _collect(app, early)["hintCode"] == "startFailed"
    app.advance(3)
    _invalid(app.collect(late))


def test_an_unknown_order_ref_is_invalid_parameters(app: TestApp) -> None:
    _invalid(app.collect("00000000-0000-4000-8000-000000000000"))


def test_cancel_of_a_pending_order_answers_an_empty_object(app: TestApp) -> None:
    order_ref = app.start()
    response = app.api.post("cancel", json={"orderRef": order_ref})
    assert response.status_code == 200
    assert response.json() == {}
    _invalid(app.collect(order_ref))


def test_cancelling_twice_or_an_unknown_or_finished_order_is_invalid_parameters(
    app: TestApp,
) -> None:
    cancelled, completed = app.start(), app.start()
    app.api.post("cancel", json={"orderRef": cancelled})
    _invalid(app.api.post("cancel", json={"orderRef": cancelled}))
    _invalid(app.api.post("cancel", json={"orderRef": "unknown"}))
    _complete(app, completed)
    _invalid(app.api.post("cancel", json={"orderRef": completed}))


def test_a_cancelled_order_can_no_longer_be_scanned(app: TestApp) -> None:
    order_ref = app.start()
    content = app.qr(order_ref)
    app.api.post("cancel", json={"orderRef": order_ref})
    assert app.scan(content).status_code == 400


def test_already_in_progress_aborts_both_orders(app: TestApp) -> None:
    requirement = {"personalNumber": BERTIL.personal_number}
    first = app.start(requirement=requirement)
    second = app.api.post("auth", json={"endUserIp": "192.0.2.10", "requirement": requirement})
    assert second.status_code == 400
    assert second.json()["errorCode"] == "alreadyInProgress"
    assert _collect(app, first) == {"orderRef": first, "status": "failed", "hintCode": "cancelled"}
    assert len(app.control("GET", "orders").json()["orders"]) == 1
    # Both are gone, so the next attempt starts cleanly.
    assert app.start(requirement=requirement)


def test_a_phone_order_and_an_auth_order_for_one_person_clash(app: TestApp) -> None:
    phone = app.api.post(
        "phone/auth", json={"personalNumber": ANNA.personal_number, "callInitiator": "RP"}
    ).json()["orderRef"]
    clash = app.api.post(
        "auth",
        json={"endUserIp": "192.0.2.10", "requirement": {"personalNumber": ANNA.personal_number}},
    )
    assert clash.json()["errorCode"] == "alreadyInProgress"
    assert _collect(app, phone)["hintCode"] == "cancelled"


def test_orders_for_different_people_or_without_a_person_do_not_clash(app: TestApp) -> None:
    app.start(requirement={"personalNumber": JENNY.personal_number})
    app.start(requirement={"personalNumber": BERTIL.personal_number})
    app.start()
    app.start()


def test_the_complete_answer_has_the_v6_shape(app: TestApp) -> None:
    order_ref = app.start(
        endUserIp="192.0.2.77",
        returnRisk=True,
        userVisibleData=b64("Logga in på Självservice"),
        userNonVisibleData=b64("ärende 1 <&>"),
    )
    _html, hidden = app.scan_and_open(order_ref)
    assert app.identify(hidden, person=BERTIL.personal_number).status_code == 200
    answer = _collect(app, order_ref)
    assert answer["status"] == "complete"
    assert set(answer) == {"orderRef", "status", "completionData"}
    data = answer["completionData"]
    assert data["user"] == {
        "personalNumber": BERTIL.personal_number,
        "name": "Bertil Provsson",
        "givenName": "Bertil",
        "surname": "Provsson",
    }
    assert data["device"]["ipAddress"] == "192.0.2.77"
    assert len(base64.b64decode(data["device"]["uhi"], validate=True)) == 20
    assert data["bankIdIssueDate"][:2] == "20"
    assert len(data["bankIdIssueDate"]) == 10
    assert data["risk"] == "low"
    assert "stepUp" not in data
    signature = base64.b64decode(data["signature"]).decode("utf-8")
    assert signature.startswith("<?xml")
    assert order_ref in signature
    assert BERTIL.personal_number in signature
    assert base64.b64decode(data["ocspResponse"], validate=True)


def test_the_uhi_is_stable_per_person_and_risk_is_absent_unless_asked(app: TestApp) -> None:
    answers = []
    for _ in range(2):
        order_ref = app.start()
        _complete(app, order_ref, personalNumber=JENNY.personal_number)
        answers.append(_collect(app, order_ref)["completionData"])
    first, second = answers
    assert first["device"]["uhi"] == second["device"]["uhi"]
    assert "risk" not in first


def test_only_the_required_person_can_complete_the_order(app: TestApp) -> None:
    order_ref = app.start(requirement={"personalNumber": ANNA.personal_number})
    _html, hidden = app.scan_and_open(order_ref)
    refused = app.identify(hidden, person=JENNY.personal_number)
    assert refused.status_code == 400
    assert "Tjänsten har begärt att en annan person ska legitimera sig" in refused.text
    assert _collect(app, order_ref)["status"] == "pending"
    other = app.identify(
        hidden,
        person="annan",
        personnummer="19810105-9825",
        fornamn="Jenny",
        efternamn="Testersson",
    )
    assert other.status_code == 400
    assert 'aria-describedby="personnummer-hint personnummer-error"' in other.text
    assert app.identify(hidden, person=ANNA.personal_number).status_code == 200
    answer = _collect(app, order_ref)
    assert answer["completionData"]["user"]["personalNumber"] == ANNA.personal_number


def test_the_control_api_also_enforces_the_required_person_unless_forced(app: TestApp) -> None:
    order_ref = app.start(requirement={"personalNumber": ANNA.personal_number})
    assert _complete(app, order_ref, personalNumber=JENNY.personal_number).status_code == 409
    forced = _complete(app, order_ref, personalNumber=JENNY.personal_number, force=True)
    assert forced.status_code == 200
    answer = _collect(app, order_ref)
    assert answer["completionData"]["user"]["personalNumber"] == JENNY.personal_number


def test_phone_orders_wait_for_the_call_to_be_confirmed(app: TestApp) -> None:
    order_ref = app.api.post(
        "phone/auth", json={"personalNumber": BERTIL.personal_number, "callInitiator": "user"}
    ).json()["orderRef"]
    fetched = app.client.post("phone", data={"personnummer": "19750412-9912"})
    html, hidden = app.open(fetched)
    assert "Bekräfta samtal" in html
    assert "Du ringde upp tjänsten." in html
    assert _collect(app, order_ref)["hintCode"] == "userCallConfirm"
    app.open(app.client.post("call", data={**hidden, "svar": "ja"}))
    assert _collect(app, order_ref)["hintCode"] == "userSign"
    assert app.identify(hidden, person=BERTIL.personal_number).status_code == 200
    data = _collect(app, order_ref)["completionData"]
    assert data["user"]["personalNumber"] == BERTIL.personal_number


def test_a_phone_call_the_user_denies_fails_with_user_declined_call(app: TestApp) -> None:
    order_ref = app.api.post(
        "phone/sign",
        json={
            "personalNumber": JENNY.personal_number,
            "callInitiator": "RP",
            "userVisibleData": b64("Avtal"),
        },
    ).json()["orderRef"]
    html, hidden = app.open(app.client.post("phone", data={"personnummer": JENNY.personal_number}))
    assert "Tjänsten ringde upp dig." in html
    assert app.client.post("call", data={**hidden, "svar": "nej"}).status_code == 200
    assert _collect(app, order_ref)["hintCode"] == "userDeclinedCall"


def test_fetching_a_phone_order_that_does_not_exist_is_a_field_error(app: TestApp) -> None:
    response = app.client.post("phone", data={"personnummer": ANNA.personal_number})
    assert response.status_code == 400
    assert "Det finns inget telefonärende" in response.text
    assert 'href="#personnummer"' in response.text

"""The control API that tests use to steer the simulator."""

from __future__ import annotations

import pytest

from .support import TestApp, b64


def test_an_order_shows_its_state_and_request_fields(app: TestApp) -> None:
    order_ref = app.start(
        userVisibleData=b64("Hej"), requirement={"pinCode": True}, returnUrl="https://x.example/"
    )
    order = app.order(order_ref)
    assert order["orderRef"] == order_ref
    assert order["kind"] == "auth"
    assert order["status"] == "pending"
    assert order["hintCode"] == "outstandingTransaction"
    assert order["pickedUpAt"] is None
    assert order["request"] == {
        "endUserIp": "192.0.2.10",
        "userVisibleData": b64("Hej"),
        "requirement": {"pinCode": True},
        "returnUrl": "https://x.example/",
    }


def test_the_orders_list_is_oldest_first(app: TestApp) -> None:
    first, second = app.start(), app.start()
    orders = app.control("GET", "orders").json()["orders"]
    assert [order["orderRef"] for order in orders] == [first, second]


def test_any_hint_can_be_set_on_a_pending_order(app: TestApp) -> None:
    order_ref = app.start()
    for hint in ("noClient", "someFutureHint"):
        assert (
            app.control("POST", f"orders/{order_ref}/hint", {"hintCode": hint}).status_code == 200
        )
        assert app.collect(order_ref).json()["hintCode"] == hint


def test_an_order_can_be_failed_with_any_hint(app: TestApp) -> None:
    order_ref = app.start()
    response = app.control(
        "POST", f"orders/{order_ref}/fail", {"hintCode": "transactionRiskBlocked"}
    )
    assert response.json()["status"] == "failed"
    assert app.collect(order_ref).json()["hintCode"] == "transactionRiskBlocked"
    # A finished order cannot be steered any more.
    assert app.control("POST", f"orders/{order_ref}/hint", {"hintCode": "x"}).status_code == 409


def test_complete_through_control_uses_the_given_person(app: TestApp) -> None:
    order_ref = app.start()
    response = app.control(
        "POST",
        f"orders/{order_ref}/complete",
        {"personalNumber": "199001019802", "givenName": "Anna", "surname": "Testsson"},
    )
    assert response.status_code == 200
    user = app.collect(order_ref).json()["completionData"]["user"]
    assert user["name"] == "Anna Testsson"


def test_the_qr_endpoint_follows_the_clock(app: TestApp) -> None:
    order_ref = app.start()
    app.advance(3.2)
    body = app.control("GET", f"qr/{order_ref}").json()
    assert body["time"] in (3, 4)
    assert body["qrContent"].startswith(f"bankid.{app.order(order_ref)['qrStartToken']}.")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "orders/unknown"),
        ("GET", "qr/unknown"),
        ("POST", "orders/unknown/hint"),
        ("POST", "orders/unknown/complete"),
    ],
)
def test_an_unknown_order_is_404(app: TestApp, method: str, path: str) -> None:
    assert (
        app.control(method, path, {"hintCode": "x"} if method == "POST" else None).status_code
        == 404
    )


@pytest.mark.parametrize("advance", [-1, "5", True, None])
def test_the_clock_only_moves_forward_by_numbers(app: TestApp, advance: object) -> None:
    assert app.control("POST", "clock", {"advance": advance}).status_code == 400


def test_a_cross_origin_control_request_is_refused(app: TestApp) -> None:
    response = app.client.post(
        "_control/reset", json={}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403


def test_a_wrong_method_or_path_is_refused(app: TestApp) -> None:
    assert app.control("GET", "reset").status_code == 404
    assert app.control("POST", "nothing").status_code == 404
    assert app.control("POST", "clock", [1]).status_code == 400

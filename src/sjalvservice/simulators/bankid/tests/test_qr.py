"""The animated QR code: the official test vector and how the simulated app scans codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ..orders import QR_INVALID, QR_TOO_OLD, AppError, Clock, Order, OrderStore, qr_content
from .support import TestApp, parse_page

TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


@pytest.mark.parametrize(
    ("t", "code"),
    [
        (0, "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"),
        (1, "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"),
        (2, "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"),
    ],
)
def test_qr_content_matches_the_official_test_vector(t: int, code: str) -> None:
    order = Order(
        order_ref="x", kind="auth", created_at=0.0, qr_start_token=TOKEN, qr_start_secret=SECRET
    )
    assert qr_content(order, t) == f"bankid.{TOKEN}.{t}.{code}"


def _store_with_order() -> tuple[OrderStore, Clock, Order]:
    clock = Clock()
    store = OrderStore(clock)
    return store, clock, store.create("auth", {"endUserIp": "192.0.2.1"})


def test_a_fresh_qr_code_picks_up_the_order() -> None:
    store, _, order = _store_with_order()
    store.scan(qr_content(order, 0))
    assert store.get(order.order_ref).hint_code == "started"


def test_a_qr_code_within_two_seconds_of_the_clock_is_accepted() -> None:
    store, clock, order = _store_with_order()
    clock.advance(10.2)
    store.scan(qr_content(order, 8))
    assert store.get(order.order_ref).picked_up_via == "qr"


def test_a_qr_code_older_than_two_seconds_is_too_old() -> None:
    store, clock, order = _store_with_order()
    clock.advance(5.2)
    with pytest.raises(AppError) as refused:
        store.scan(qr_content(order, 0))
    assert refused.value.message == QR_TOO_OLD
    assert store.get(order.order_ref).hint_code == "outstandingTransaction"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda text: text[:-1] + ("0" if text[-1] != "0" else "1"),  # wrong HMAC
        lambda text: text.replace(".0.", ".00.", 1),  # non-canonical time
        lambda text: text.replace("bankid.", "bankid2.", 1),
        lambda text: "not a qr code",
    ],
)
def test_a_qr_code_with_a_wrong_hmac_or_shape_is_invalid(mangle: Callable[[str], str]) -> None:
    store, _, order = _store_with_order()
    with pytest.raises(AppError) as refused:
        store.scan(mangle(qr_content(order, 0)))
    assert refused.value.message == QR_INVALID


def test_a_qr_code_cannot_be_scanned_twice() -> None:
    store, _, order = _store_with_order()
    store.scan(qr_content(order, 0))
    with pytest.raises(AppError):
        store.scan(qr_content(order, 0))


def test_the_app_page_shows_too_old_qr_codes_as_a_linked_error(app: TestApp) -> None:
    order_ref = app.start()
    content = app.qr(order_ref)
    app.advance(5)
    response = app.scan(content)
    assert response.status_code == 400
    assert QR_TOO_OLD in response.text
    page = parse_page(response.text)
    assert page.alerts == 1
    assert page.described["qr"] == "qr-hint qr-error"
    assert 'href="#qr"' in response.text
    assert app.collect(order_ref).json()["hintCode"] == "outstandingTransaction"


def test_the_app_page_refuses_a_qr_code_with_a_wrong_hmac(app: TestApp) -> None:
    order_ref = app.start()
    content = app.qr(order_ref)
    tampered = content[:-4] + ("ffff" if not content.endswith("ffff") else "0000")
    response = app.scan(tampered)
    assert response.status_code == 400
    assert f"Fel: {QR_INVALID}<" in response.text
    assert app.collect(order_ref).json()["hintCode"] == "outstandingTransaction"

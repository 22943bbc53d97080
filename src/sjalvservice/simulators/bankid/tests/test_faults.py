"""Errors injected through the control API answer the next RP API calls."""

from __future__ import annotations

import httpx
import pytest

from .support import TestApp


def _fail_next(app: TestApp, **body: object) -> None:
    response = app.control("POST", "fail-next", body)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("error_code", "status"),
    [
        ("maintenance", 503),
        ("internalError", 500),
        ("requestTimeout", 408),
        ("unauthorized", 401),
        ("tooManyRequests", 429),
    ],
)
def test_an_injected_error_answers_the_next_call_only(
    app: TestApp, error_code: str, status: int
) -> None:
    _fail_next(app, errorCode=error_code)
    response = app.api.post("auth", json={"endUserIp": "192.0.2.1"})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert response.json()["errorCode"] == error_code
    assert app.api.post("auth", json={"endUserIp": "192.0.2.1"}).status_code == 200


def test_too_many_requests_carries_the_rate_limit_headers(app: TestApp) -> None:
    _fail_next(app, errorCode="tooManyRequests")
    response = app.api.post("auth", json={"endUserIp": "192.0.2.1"})
    assert response.status_code == 429
    for header in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
        assert response.headers[header].isdigit()


def test_a_count_repeats_the_error(app: TestApp) -> None:
    _fail_next(app, errorCode="maintenance", count=2)
    statuses = [app.api.post("auth", json={"endUserIp": "192.0.2.1"}).status_code for _ in "abc"]
    assert statuses == [503, 503, 200]


def test_an_error_for_one_endpoint_leaves_the_others_alone(app: TestApp) -> None:
    order_ref = app.start()
    _fail_next(app, errorCode="internalError", endpoint="collect")
    assert app.api.post("auth", json={"endUserIp": "192.0.2.1"}).status_code == 200
    assert app.collect(order_ref).status_code == 500
    assert app.collect(order_ref).status_code == 200


def test_the_injected_error_does_not_create_an_order(app: TestApp) -> None:
    _fail_next(app, errorCode="maintenance")
    app.api.post("auth", json={"endUserIp": "192.0.2.1"})
    assert app.control("GET", "orders").json() == {"orders": []}


def test_protocol_errors_do_not_consume_an_injected_error(app: TestApp) -> None:
    _fail_next(app, errorCode="maintenance")
    assert app.api.get("auth").status_code == 405
    assert app.api.post("nowhere", json={}).status_code == 404
    assert app.api.post("auth", json={"endUserIp": "192.0.2.1"}).status_code == 503


@pytest.mark.parametrize(
    "body",
    [
        {"errorCode": "noSuchError"},
        {"errorCode": "maintenance", "count": 0},
        {"errorCode": "maintenance", "count": "2"},
        {"errorCode": "maintenance", "endpoint": "payment"},
    ],
)
def test_a_bad_fail_next_request_is_refused(app: TestApp, body: dict[str, object]) -> None:
    assert app.control("POST", "fail-next", body).status_code == 400


def test_reset_drops_injected_errors_orders_and_the_clock_offset(app: TestApp) -> None:
    app.start()
    app.advance(10)
    _fail_next(app, errorCode="maintenance")
    assert app.control("POST", "reset").status_code == 200
    assert app.control("GET", "orders").json() == {"orders": []}
    assert app.control("GET", "clock").json()["offset"] == 0
    response: httpx.Response = app.api.post("auth", json={"endUserIp": "192.0.2.1"})
    assert response.status_code == 200

"""Protocol errors of the RP API: 404, 405, 415 and 400 invalidParameters."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .support import b64

IP = "192.0.2.10"


def _error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["errorCode"] == code
    assert isinstance(body["details"], str)
    assert body["details"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_anything_but_post_is_method_not_allowed(api: httpx.Client, method: str) -> None:
    _error(api.request(method, "auth"), 405, "methodNotAllowed")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", None]
)
def test_a_body_that_is_not_declared_json_is_unsupported_media_type(
    api: httpx.Client, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = api.post("auth", content=b'{"endUserIp": "192.0.2.1"}', headers=headers)
    _error(response, 415, "unsupportedMediaType")


def test_json_with_a_charset_parameter_is_accepted(api: httpx.Client) -> None:
    response = api.post(
        "auth",
        content=b'{"endUserIp": "192.0.2.1"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["", "authx", "phone", "v5.1/auth", "../rp/v5.1/auth", "payment"])
def test_an_unknown_path_is_not_found(api: httpx.Client, path: str) -> None:
    _error(api.post(path, json={}), 404, "notFound")


def test_an_unknown_api_version_is_not_found(api: httpx.Client) -> None:
    url = str(api.base_url).replace("v6.0", "v5.1") + "auth"
    _error(api.post(url, json={"endUserIp": IP}), 404, "notFound")


INVALID_ORDER_BODIES: list[tuple[str, Any]] = [
    ("auth", []),
    ("auth", "text"),
    ("auth", {}),
    ("auth", {"endUserIp": "not-an-ip"}),
    ("auth", {"endUserIp": 17}),
    ("auth", {"endUserIp": IP, "personalNumber": "198101059825"}),  # removed in v6
    ("auth", {"endUserIp": IP, "unknownField": 1}),
    ("auth", {"endUserIp": IP, "requirement": []}),
    ("auth", {"endUserIp": IP, "requirement": {"pinCode": "yes"}}),
    ("auth", {"endUserIp": IP, "requirement": {"pinCode": 1}}),
    ("auth", {"endUserIp": IP, "requirement": {"mrtd": None}}),
    ("auth", {"endUserIp": IP, "requirement": {"cardReader": "class3"}}),
    ("auth", {"endUserIp": IP, "requirement": {"certificatePolicies": "1.2.3.4.5"}}),
    ("auth", {"endUserIp": IP, "requirement": {"certificatePolicies": [5]}}),
    ("auth", {"endUserIp": IP, "requirement": {"personalNumber": "8101059825"}}),
    ("auth", {"endUserIp": IP, "requirement": {"allowFingerprint": True}}),  # v5 leftover
    ("auth", {"endUserIp": IP, "userVisibleData": "not base64!"}),
    ("auth", {"endUserIp": IP, "userVisibleData": ""}),
    ("auth", {"endUserIp": IP, "userNonVisibleData": "//79"}),  # base64, but not UTF-8
    ("auth", {"endUserIp": IP, "userVisibleData": b64("x"), "userVisibleDataFormat": "html"}),
    ("auth", {"endUserIp": IP, "userVisibleDataFormat": "simpleMarkdownV1"}),
    ("auth", {"endUserIp": IP, "returnUrl": 5}),
    ("auth", {"endUserIp": IP, "returnRisk": "true"}),
    ("auth", {"endUserIp": IP, "web": {"referringDomain": "a"}, "app": {"deviceOS": "b"}}),
    ("auth", {"endUserIp": IP, "web": {"referringDomain": 1}}),
    ("auth", {"endUserIp": IP, "web": {"appIdentifier": "x"}}),
    ("auth", {"endUserIp": IP, "app": "ios"}),
    ("sign", {"endUserIp": IP}),
    ("phone/auth", {"personalNumber": "198101059825"}),
    ("phone/auth", {"personalNumber": "198101059825", "callInitiator": "bank"}),
    ("phone/auth", {"personalNumber": "19810105-9825", "callInitiator": "user"}),
    ("phone/auth", {"callInitiator": "RP"}),
    ("phone/auth", {"personalNumber": "198101059825", "callInitiator": "RP", "endUserIp": IP}),
    (
        "phone/auth",
        {"personalNumber": "198101059825", "callInitiator": "RP", "requirement": {"mrtd": True}},
    ),
    ("phone/sign", {"personalNumber": "198101059825", "callInitiator": "RP"}),
    ("collect", {}),
    ("collect", {"orderRef": 12}),
    ("collect", {"orderRef": "x", "extra": True}),
    ("cancel", []),
]


@pytest.mark.parametrize(("endpoint", "body"), INVALID_ORDER_BODIES)
def test_invalid_bodies_are_invalid_parameters(api: httpx.Client, endpoint: str, body: Any) -> None:
    _error(api.post(endpoint, json=body), 400, "invalidParameters")


@pytest.mark.parametrize("raw", [b"", b"{", b'{"endUserIp": NaN}', b"\xff\xfe", b"[" * 100_000])
def test_a_body_that_is_not_json_is_invalid_parameters(api: httpx.Client, raw: bytes) -> None:
    response = api.post("auth", content=raw, headers={"Content-Type": "application/json"})
    _error(response, 400, "invalidParameters")


def test_a_complete_auth_request_is_accepted(api: httpx.Client) -> None:
    body = {
        "endUserIp": "2001:db8::1",
        "requirement": {
            "pinCode": True,
            "mrtd": False,
            "cardReader": "class1",
            "certificatePolicies": ["1.2.3.4.5", "1.2.3.4.25"],
            "personalNumber": "198101059825",
        },
        "userVisibleData": b64("# Logga in\n\nPå *Självservice*"),
        "userNonVisibleData": b64("session 42"),
        "userVisibleDataFormat": "simpleMarkdownV1",
        "returnUrl": "https://portal.example/bankid/klart#nonce",
        "returnRisk": True,
        "web": {"referringDomain": "portal.example", "userAgent": "UA", "deviceIdentifier": "d1"},
    }
    response = api.post("auth", json=body)
    assert response.status_code == 200
    assert set(response.json()) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}


def test_phone_orders_answer_only_the_order_ref(api: httpx.Client) -> None:
    response = api.post(
        "phone/sign",
        json={
            "personalNumber": "197504129912",
            "callInitiator": "user",
            "userVisibleData": b64("Avtal"),
            "requirement": {"pinCode": False, "certificatePolicies": ["1.2.3.4.25"]},
        },
    )
    assert response.status_code == 200
    assert set(response.json()) == {"orderRef"}

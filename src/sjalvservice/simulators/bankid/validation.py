"""Validation of RP API v6.0 request bodies.

The simulator is stricter than it strictly has to be (unknown fields and unknown requirement
keys are refused) so that a portal bug, such as a v5 field left behind, shows up in tests
rather than in production as a silently ignored parameter.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Callable
from typing import Any

from .orders import ApiError, OrderKind
from .persons import is_twelve_digits

# Loose upper bounds, deliberately generous: they only refuse absurd payloads.
MAX_VISIBLE_DATA = 40_000
MAX_NON_VISIBLE_DATA = 200_000

ORDER_FIELDS = frozenset(
    {
        "endUserIp",
        "requirement",
        "userVisibleData",
        "userNonVisibleData",
        "userVisibleDataFormat",
        "returnUrl",
        "returnRisk",
        "web",
        "app",
    }
)
PHONE_FIELDS = frozenset(
    {
        "personalNumber",
        "callInitiator",
        "requirement",
        "userVisibleData",
        "userNonVisibleData",
        "userVisibleDataFormat",
    }
)
REQUIREMENT_KEYS = frozenset({"pinCode", "mrtd", "cardReader", "certificatePolicies"})
PHONE_REQUIREMENT_KEYS = frozenset({"pinCode", "certificatePolicies"})
WEB_KEYS = frozenset({"referringDomain", "userAgent", "deviceIdentifier"})
APP_KEYS = frozenset({"appIdentifier", "deviceOS", "deviceModelName", "deviceIdentifier"})


def invalid(details: str) -> ApiError:
    """The 400 invalidParameters error with ``details``."""
    return ApiError("invalidParameters", details)


def validate_order_request(kind: OrderKind, body: Any) -> dict[str, Any]:
    """Check an auth, sign or phone request body; return it or raise ApiError."""
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    phone = kind in ("phone_auth", "phone_sign")
    allowed = PHONE_FIELDS if phone else ORDER_FIELDS
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise invalid(f"Unknown parameter: {unknown[0]}.")

    if phone:
        if not is_twelve_digits(body.get("personalNumber")):
            raise invalid("personalNumber must be 12 digits.")
        if body.get("callInitiator") not in ("user", "RP"):
            raise invalid('callInitiator must be "user" or "RP".')
    else:
        _check_ip(body.get("endUserIp"))

    if "requirement" in body:
        _check_requirement(body["requirement"], PHONE_REQUIREMENT_KEYS if phone else None)

    if kind in ("sign", "phone_sign") and "userVisibleData" not in body:
        raise invalid("userVisibleData is required.")
    _check_base64(body, "userVisibleData", MAX_VISIBLE_DATA)
    _check_base64(body, "userNonVisibleData", MAX_NON_VISIBLE_DATA)
    if "userVisibleDataFormat" in body:
        if body["userVisibleDataFormat"] != "simpleMarkdownV1":
            raise invalid('userVisibleDataFormat must be "simpleMarkdownV1".')
        if "userVisibleData" not in body:
            raise invalid("userVisibleDataFormat requires userVisibleData.")

    if "returnUrl" in body and not _non_empty_str(body["returnUrl"]):
        raise invalid("returnUrl must be a non-empty string.")
    if "returnRisk" in body and type(body["returnRisk"]) is not bool:
        raise invalid("returnRisk must be a boolean.")
    if "web" in body and "app" in body:
        raise invalid("Send at most one of web and app.")
    for name, keys in (("web", WEB_KEYS), ("app", APP_KEYS)):
        if name in body:
            _check_device(name, body[name], keys)
    return body


def validate_order_ref_request(body: Any) -> str:
    """Check a collect or cancel body ``{"orderRef": ...}``; return the orderRef."""
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    unknown = sorted(set(body) - {"orderRef"})
    if unknown:
        raise invalid(f"Unknown parameter: {unknown[0]}.")
    order_ref = body.get("orderRef")
    if not _non_empty_str(order_ref):
        raise invalid("orderRef is required.")
    assert isinstance(order_ref, str)
    return order_ref


def _non_empty_str(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _check_ip(value: object) -> None:
    if not isinstance(value, str):
        raise invalid("endUserIp is required.")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise invalid("endUserIp must be an IPv4 or IPv6 address.") from None


def _is_bool(value: object) -> bool:
    # type() rather than isinstance(): JSON 0 and 1 must not pass as booleans.
    return type(value) is bool


def _is_card_reader(value: object) -> bool:
    return value in ("class1", "class2")


def _is_policy_list(value: object) -> bool:
    return isinstance(value, list) and all(_non_empty_str(item) for item in value)


REQUIREMENT_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "pinCode": (_is_bool, "a boolean"),
    "mrtd": (_is_bool, "a boolean"),
    "cardReader": (_is_card_reader, '"class1" or "class2"'),
    "certificatePolicies": (_is_policy_list, "a list of strings"),
    "personalNumber": (is_twelve_digits, "12 digits"),
}


def _check_requirement(value: object, only: frozenset[str] | None) -> None:
    if not isinstance(value, dict):
        raise invalid("requirement must be an object.")
    allowed = only if only is not None else REQUIREMENT_KEYS | {"personalNumber"}
    for key, item in value.items():
        if key not in allowed:
            raise invalid(f"requirement.{key} is not allowed here.")
        check, description = REQUIREMENT_CHECKS[key]
        if not check(item):
            raise invalid(f"requirement.{key} must be {description}.")


def _check_base64(body: dict[str, Any], name: str, max_length: int) -> None:
    if name not in body:
        return
    value = body[name]
    if not isinstance(value, str) or not 1 <= len(value) <= max_length:
        raise invalid(f"{name} must be base64, 1 to {max_length} characters.")
    try:
        base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise invalid(f"{name} must be base64 of UTF-8 text.") from None


def _check_device(name: str, value: object, keys: frozenset[str]) -> None:
    if not isinstance(value, dict):
        raise invalid(f"{name} must be an object.")
    for key, item in value.items():
        if key not in keys:
            raise invalid(f"{name}.{key} is not allowed.")
        if not isinstance(item, str):
            raise invalid(f"{name}.{key} must be a string.")

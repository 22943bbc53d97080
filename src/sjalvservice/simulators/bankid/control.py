"""The JSON control API that tests use to steer the simulator (``/_control/...``)."""

from __future__ import annotations

import ipaddress
import json
import math
from typing import TYPE_CHECKING, Any

from ..base import ControlError
from .orders import OrderStateError, UnknownOrder
from .persons import TEST_PERSONS, Person, is_twelve_digits

if TYPE_CHECKING:
    from .server import Simulator

PREFIX = "/_control/"
# A longer name is a typo or an attack, not a test person.
MAX_NAME = 100


def handle_control(
    simulator: Simulator, method: str, path: str, body: bytes | None
) -> tuple[int, Any]:
    """Answer one control request; return (HTTP status, JSON payload)."""
    try:
        return 200, _route(simulator, method, path.removeprefix(PREFIX).strip("/"), body)
    except ControlError as error:
        return error.status, {"error": error.message}
    except UnknownOrder:
        return 404, {"error": "unknown orderRef"}
    except OrderStateError as error:
        return 409, {"error": str(error)}


def _route(simulator: Simulator, method: str, route: str, body: bytes | None) -> Any:
    parts = route.split("/")
    data = _json_object(body) if method == "POST" else {}
    match [method, *parts]:
        case ["POST", "reset"]:
            simulator.reset()
            return {}
        case ["GET" | "POST", "clock"]:
            if method == "POST":
                simulator.clock.advance(_seconds(data.get("advance")))
            return {"now": simulator.clock.now(), "offset": simulator.clock.offset}
        case ["POST", "fail-next"]:
            count = data.get("count", 1)
            if type(count) is not int:
                raise ControlError(400, "count must be an integer")
            try:
                simulator.faults.add(data.get("errorCode", ""), count, data.get("endpoint"))
            except ValueError as error:
                raise ControlError(400, str(error)) from None
            return {}
        case ["GET", "orders"]:
            return {"orders": [order.to_json() for order in simulator.orders.all()]}
        case ["GET", "orders", order_ref]:
            return simulator.orders.get(order_ref).to_json()
        case ["POST", "orders", order_ref, "hint"]:
            return simulator.orders.set_hint(order_ref, _hint(data)).to_json()
        case ["POST", "orders", order_ref, "fail"]:
            return simulator.orders.fail(order_ref, _hint(data)).to_json()
        case ["POST", "orders", order_ref, "complete"]:
            person = _person(data, simulator.orders.get(order_ref).required_personal_number)
            force = data.get("force", False) is True
            ip_address = data.get("ipAddress", "")
            if not isinstance(ip_address, str) or (ip_address and not _is_ip(ip_address)):
                raise ControlError(400, "ipAddress must be an IP address")
            return simulator.orders.complete(
                order_ref, person, force=force, ip_address=ip_address
            ).to_json()
        case ["GET", "qr", order_ref]:
            content, t = simulator.orders.qr_now(order_ref)
            return {"qrContent": content, "time": t}
    raise ControlError(404, f"no control endpoint {method} {PREFIX}{route}")


def _json_object(body: bytes | None) -> dict[str, Any]:
    if body is None:
        raise ControlError(413, "body too large")
    if not body.strip():
        return {}
    try:
        data = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):
        raise ControlError(400, "body is not JSON") from None
    if not isinstance(data, dict):
        raise ControlError(400, "body must be a JSON object")
    return data


def _seconds(value: object) -> float:
    # bool is an int subclass; {"advance": true} is a mistake, not one second.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(400, "advance must be a number of seconds")
    if not math.isfinite(value) or value < 0:
        raise ControlError(400, "advance must be a non-negative, finite number of seconds")
    return float(value)


def _hint(data: dict[str, Any]) -> str:
    hint = data.get("hintCode")
    if not isinstance(hint, str) or not hint:
        raise ControlError(400, "hintCode must be a non-empty string")
    return hint


def _person(data: dict[str, Any], required: str | None) -> Person:
    """The person to complete as; missing fields default to the requested or first test person."""
    number = data.get("personalNumber", required or TEST_PERSONS[0].personal_number)
    if not is_twelve_digits(number):
        raise ControlError(400, "personalNumber must be 12 digits")
    known = next((p for p in TEST_PERSONS if p.personal_number == number), None)
    given = data.get("givenName", known.given_name if known else "Test")
    surname = data.get("surname", known.surname if known else "Testperson")
    for name in (given, surname):
        if not isinstance(name, str) or not 0 < len(name.strip()) <= MAX_NAME:
            raise ControlError(400, "givenName and surname must be non-empty strings")
    return Person(number, given.strip(), surname.strip())


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True

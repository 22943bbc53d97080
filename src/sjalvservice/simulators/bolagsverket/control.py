"""The JSON control API that tests use to steer the simulator (``/_control/...``)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from ..base import ControlError
from .state import MAX_DELAY, FaultQueue

if TYPE_CHECKING:
    from .server import Simulator

PREFIX = "/_control/"
# A lifetime beyond a day is a typo; the real service issues tokens for about an hour.
MAX_EXPIRES_IN = 24 * 60 * 60


def handle_control(
    simulator: Simulator, method: str, path: str, body: bytes | None
) -> tuple[int, Any]:
    """Answer one control request; return (HTTP status, JSON payload)."""
    try:
        return 200, _route(simulator, method, path.removeprefix(PREFIX).strip("/"), body)
    except ControlError as error:
        return error.status, {"error": error.message}


def _route(simulator: Simulator, method: str, route: str, body: bytes | None) -> Any:
    data = _json_object(body) if method == "POST" else {}
    match [method, route]:
        case ["POST", "reset"]:
            simulator.reset()
            return {}
        case ["GET", "stats"]:
            return {
                "requests": simulator.counters.as_dict(),
                "tokensIssued": len(simulator.tokens.issued()),
            }
        case ["POST", "fail-next"]:
            status = data.get("status")
            if type(status) is not int or not 400 <= status <= 599:
                raise ControlError(400, "status must be an HTTP error status (400-599)")
            _queue(simulator.failures, status, data)
            return {}
        case ["POST", "delay"]:
            delay = _number(data.get("seconds"), "seconds")
            if delay > MAX_DELAY:
                raise ControlError(400, f"seconds must be at most {MAX_DELAY:g}")
            _queue(simulator.delays, delay, data)
            return {}
        case ["GET" | "POST", "token-lifetime"]:
            if method == "POST":
                seconds = data.get("expiresIn")
                if type(seconds) is not int or not 1 <= seconds <= MAX_EXPIRES_IN:
                    raise ControlError(
                        400, f"expiresIn must be a whole number of seconds, 1-{MAX_EXPIRES_IN}"
                    )
                simulator.tokens.expires_in = seconds
            return {"expiresIn": simulator.tokens.expires_in}
        case ["GET" | "POST", "clock"]:
            if method == "POST":
                simulator.clock.advance(_number(data.get("advance"), "advance"))
            return {"now": simulator.clock.now(), "offset": simulator.clock.offset}
        case ["GET", "organisations"]:
            return {"identitetsbeteckningar": simulator.organisations.numbers()}
        case ["POST", "organisations"]:
            try:
                number = simulator.organisations.put(data)
            except ValueError as error:
                raise ControlError(400, str(error)) from None
            return {"identitetsbeteckning": number}
        case ["POST", "not-found"]:
            answer = data.get("answer")
            if answer not in ("404", "empty"):
                raise ControlError(400, 'answer must be "404" or "empty"')
            simulator.organisations.not_found = answer
            return {"answer": answer}
    raise ControlError(404, f"no control endpoint {method} {PREFIX}{route}")


def _queue(queue: FaultQueue, value: float, data: dict[str, Any]) -> None:
    count = data.get("count", 1)
    if type(count) is not int:
        raise ControlError(400, "count must be a whole number")
    try:
        queue.add(value, count, data.get("endpoint"))
    except ValueError as error:
        raise ControlError(400, str(error)) from None


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


def _number(value: object, name: str) -> float:
    # bool is an int subclass; {"seconds": true} is a mistake, not one second.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(400, f"{name} must be a number of seconds")
    if not math.isfinite(value) or value < 0:
        raise ControlError(400, f"{name} must be a non-negative, finite number of seconds")
    return float(value)

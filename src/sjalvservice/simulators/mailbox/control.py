"""The JSON control API that tests use to steer the mailbox (``/_control/...``).

It calls the same :class:`~.server.Simulator` methods as tests in Python do, so both ways
behave alike; the faults' own checks turn into 400 answers here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from ..base import ControlError

if TYPE_CHECKING:
    from .server import Simulator

PREFIX: Final = "/_control/"


def handle_control(
    simulator: Simulator, method: str, path: str, body: bytes | None
) -> tuple[int, Any]:
    """Answer one control request; return (HTTP status, JSON payload)."""
    try:
        return 200, _route(simulator, method, path.removeprefix(PREFIX).strip("/"), body)
    except ControlError as error:
        return error.status, {"error": error.message}
    except ValueError as error:
        return 400, {"error": str(error)}


def _route(simulator: Simulator, method: str, route: str, body: bytes | None) -> Any:
    data = _json_object(body) if method == "POST" else {}
    match [method, route]:
        case ["GET", "messages"]:
            return simulator.messages()
        case ["GET", "state"]:
            return simulator.state()
        case ["POST", "reset"]:
            simulator.reset()
        case ["POST", "down"]:
            simulator.down(_field(data, "seconds", None))
        case ["POST", "up"]:
            simulator.up()
        case ["POST", "stall"]:
            if "seconds" not in data:
                raise ControlError(400, "seconds is required")
            simulator.stall(data["seconds"], count=_field(data, "count", None))
        case ["POST", "reject"]:
            simulator.reject(_field(data, "count", 1), code=_field(data, "code", 550))
        case _:
            raise ControlError(404, f"no control endpoint {method} {PREFIX}{route}")
    return simulator.state()


def _field(data: dict[str, Any], name: str, default: Any) -> Any:
    value = data.get(name, default)
    return default if value is None else value


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

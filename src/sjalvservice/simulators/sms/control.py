"""The JSON control API that tests and demos use to steer the simulator (``/_control/...``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..base import ControlError

if TYPE_CHECKING:
    from .server import Simulator

PREFIX = "/_control/"


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
        case ["GET", "messages"]:
            return simulator.messages()
        case ["GET", "faults"]:
            return simulator.failures.as_list()
        case ["POST", "fail"]:
            try:
                simulator.fail(
                    data.get("mode", "failed"), count=data.get("count", -1), to=data.get("to")
                )
            except ValueError as error:
                raise ControlError(400, str(error)) from None
            return simulator.failures.as_list()
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

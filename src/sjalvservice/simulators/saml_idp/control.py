"""The JSON control API that tests and demos use to steer the IdP (``/_control/...``)."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from .. import base
from ..base import ControlError
from .saml import FAULTS

if TYPE_CHECKING:
    from .server import Simulator

PREFIX = "/_control/"


class FaultQueue(base.FaultQueue[str]):
    """Flaws to build into the next Responses made for completed logins, first come first
    served, one flaw per Response."""

    def __init__(self) -> None:
        super().__init__(("response",))

    def add(self, value: str, count: int = 1, endpoint: str | None = None) -> None:
        """Queue the fault ``value`` (one of FAULTS) for the next ``count`` Responses."""
        if value not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(FAULTS)}")
        super().add(value, count, endpoint)

    def next(self) -> str | None:
        """Take the fault for the Response being made, if one is queued."""
        return self.take("response")

    def as_list(self) -> list[dict[str, Any]]:
        """The faults still to apply: ``[{"fault", "count"}]``."""
        with self._lock:
            return [{"fault": item.value, "count": item.remaining} for item in self._queue]


def handle_control(
    simulator: Simulator, method: str, path: str, body: bytes | None
) -> tuple[int, Any]:
    """Answer one control request; return (HTTP status, JSON payload)."""
    try:
        return 200, _route(simulator, method, path.removeprefix(PREFIX).strip("/"), body)
    except ControlError as error:
        return error.status, {"error": error.message}


def _route(simulator: Simulator, method: str, route: str, body: bytes | None) -> Any:
    if [method, route] == ["POST", "sp-metadata"]:
        try:
            return {"entityIds": simulator.set_sp_metadata(_text(body))}
        except ValueError as error:
            raise ControlError(400, str(error)) from None
    data = _json_object(body) if method == "POST" else {}
    match [method, route]:
        case ["POST", "reset"]:
            simulator.reset()
            return {}
        case ["GET", "sp-metadata"]:
            return simulator.sp_metadata_status()
        case ["GET", "faults"]:
            return simulator.faults.as_list()
        case ["POST", "faults"]:
            count = data.get("count", 1)
            if type(count) is not int:
                raise ControlError(400, "count must be an integer")
            try:
                simulator.faults.add(data.get("fault", ""), count)
            except ValueError as error:
                raise ControlError(400, str(error)) from None
            return simulator.faults.as_list()
        case ["GET", "last-response"]:
            last = simulator.last_response
            if last is None:
                raise ControlError(404, "no response has been made yet")
            return last
        case ["GET", "logins"]:
            return {"logins": [login.to_json() for login in simulator.logins.all()]}
        case ["GET" | "POST", "clock"]:
            if method == "POST":
                simulator.clock.advance(_seconds(data.get("advance")))
            return {"now": simulator.clock.now(), "offset": simulator.clock.offset}
    raise ControlError(404, f"no control endpoint {method} {PREFIX}{route}")


def _text(body: bytes | None) -> str:
    if body is None:
        raise ControlError(413, "body too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ControlError(400, "the metadata must be UTF-8 XML") from None
    if not text.strip():
        raise ControlError(400, "send the SP's metadata XML as the body")
    return text


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

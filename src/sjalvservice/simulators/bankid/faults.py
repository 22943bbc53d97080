"""Errors that tests inject into the next RP API calls (maintenance, rate limiting, ...)."""

from __future__ import annotations

from .. import base

# Every errorCode of the RP API v6.0 with the HTTP status it comes with.
ERROR_STATUS: dict[str, int] = {
    "alreadyInProgress": 400,
    "invalidParameters": 400,
    "unauthorized": 401,
    "notFound": 404,
    "methodNotAllowed": 405,
    "requestTimeout": 408,
    "unsupportedMediaType": 415,
    "tooManyRequests": 429,
    "internalError": 500,
    "maintenance": 503,
}

ERROR_DETAILS: dict[str, str] = {
    "alreadyInProgress": "An order for this user is already in progress.",
    "invalidParameters": "Invalid parameters (injected by the simulator).",
    "unauthorized": "The RP is not authorized (injected by the simulator).",
    "notFound": "Not found (injected by the simulator).",
    "methodNotAllowed": "Method not allowed (injected by the simulator).",
    "requestTimeout": "The request took too long (injected by the simulator).",
    "unsupportedMediaType": "Unsupported media type (injected by the simulator).",
    "tooManyRequests": "Too many requests (injected by the simulator).",
    "internalError": "Internal error (injected by the simulator).",
    "maintenance": "The service is under maintenance (injected by the simulator).",
}

ENDPOINTS = frozenset({"auth", "sign", "phone/auth", "phone/sign", "collect", "cancel"})

# Headers of an injected 429; values are small so a portal that honours them backs off briefly.
RATE_LIMIT_HEADERS = {"RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}


class FaultQueue(base.FaultQueue[str]):
    """A FIFO of injected errors (BankID errorCodes), consumed by API calls in order."""

    def __init__(self) -> None:
        super().__init__(ENDPOINTS)

    def add(self, value: str, count: int = 1, endpoint: str | None = None) -> None:
        """Queue ``value`` (an errorCode) for the next ``count`` calls."""
        if value not in ERROR_STATUS:
            raise ValueError(f"unknown errorCode {value!r}")
        super().add(value, count, endpoint)

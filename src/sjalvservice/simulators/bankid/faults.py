"""Errors that tests inject into the next RP API calls (maintenance, rate limiting, ...)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

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


@dataclass
class InjectedError:
    """An error to answer ``remaining`` more times, for one endpoint or (None) for any."""

    error_code: str
    remaining: int
    endpoint: str | None


class FaultQueue:
    """A FIFO of injected errors, consumed by API calls in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[InjectedError] = []

    def add(self, error_code: str, count: int = 1, endpoint: str | None = None) -> None:
        """Queue ``error_code`` for the next ``count`` calls (to ``endpoint`` if given)."""
        if error_code not in ERROR_STATUS:
            raise ValueError(f"unknown errorCode {error_code!r}")
        if count < 1:
            raise ValueError("count must be at least 1")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}")
        with self._lock:
            self._queue.append(InjectedError(error_code, count, endpoint))

    def take(self, endpoint: str) -> str | None:
        """Consume one injected error that applies to ``endpoint``; return its errorCode."""
        with self._lock:
            for index, item in enumerate(self._queue):
                if item.endpoint in (None, endpoint):
                    item.remaining -= 1
                    if item.remaining == 0:
                        del self._queue[index]
                    return item.error_code
            return None

    def clear(self) -> None:
        """Drop every queued error."""
        with self._lock:
            self._queue.clear()

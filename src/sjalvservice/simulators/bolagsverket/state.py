"""The simulator's state: its clock, the access tokens it issued, counters and injected faults."""

from __future__ import annotations

import math
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Final

READ_SCOPE: Final = "vardefulla-datamangder:read"
PING_SCOPE: Final = "vardefulla-datamangder:ping"
SCOPES: Final = frozenset({READ_SCOPE, PING_SCOPE})
# The endpoints that count requests and take injected faults.
ENDPOINTS: Final = ("token", "isalive", "organisationer")
# A longer delay is a mistake in a test, not a slow service.
MAX_DELAY: Final = 60.0


class Clock:
    """Wall-clock time plus an offset that tests move forward instead of sleeping."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0

    def now(self) -> float:
        """Return ``time.time()`` plus the accumulated offset."""
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (never backwards)."""
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("the clock only moves forward by a finite number of seconds")
        with self._lock:
            self._offset += seconds

    @property
    def offset(self) -> float:
        """The seconds added to the wall clock so far."""
        with self._lock:
            return self._offset

    def reset(self) -> None:
        """Go back to the wall clock."""
        with self._lock:
            self._offset = 0.0


@dataclass(frozen=True)
class AccessToken:
    """An issued bearer token: opaque, random, valid for some scopes until ``expires_at``."""

    value: str
    scopes: frozenset[str]
    expires_at: float


class TokenStore:
    """The tokens issued since the last reset, with their scopes and expiry."""

    def __init__(self, clock: Clock, expires_in: int) -> None:
        if expires_in < 1:
            raise ValueError("expires_in must be at least one second")
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, AccessToken] = {}
        self._default_expires_in = expires_in
        self._expires_in = expires_in

    @property
    def expires_in(self) -> int:
        """The lifetime in seconds of the tokens issued from now on."""
        with self._lock:
            return self._expires_in

    @expires_in.setter
    def expires_in(self, seconds: int) -> None:
        if seconds < 1:
            raise ValueError("expires_in must be at least one second")
        with self._lock:
            self._expires_in = seconds

    def issue(self, scopes: frozenset[str]) -> tuple[AccessToken, int]:
        """A new token for ``scopes`` and its lifetime in seconds."""
        with self._lock:
            lifetime = self._expires_in
            token = AccessToken(
                value=secrets.token_urlsafe(32),
                scopes=scopes,
                expires_at=self._clock.now() + lifetime,
            )
            self._tokens[token.value] = token
            return token, lifetime

    def valid(self, value: str) -> AccessToken | None:
        """The token named ``value`` if it was issued and has not expired."""
        with self._lock:
            token = self._tokens.get(value)
        if token is None or self._clock.now() >= token.expires_at:
            return None
        return token

    def issued(self) -> list[str]:
        """Every token value issued since the last reset, oldest first."""
        with self._lock:
            return list(self._tokens)

    def reset(self) -> None:
        """Forget every token and go back to the configured lifetime."""
        with self._lock:
            self._tokens.clear()
            self._expires_in = self._default_expires_in


class Counters:
    """How many requests reached each endpoint since the last reset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def get(self, name: str) -> int:
        with self._lock:
            return self._counts[name]

    def as_dict(self) -> dict[str, int]:
        with self._lock:
            return {name: self._counts[name] for name in ENDPOINTS}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


@dataclass
class Injected:
    """A fault to apply ``remaining`` more times, to one endpoint or (None) to any."""

    value: float
    remaining: int
    endpoint: str | None


class FaultQueue:
    """A FIFO of injected faults of one kind (HTTP statuses or delays), consumed in order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Injected] = []

    def add(self, value: float, count: int = 1, endpoint: str | None = None) -> None:
        """Queue ``value`` for the next ``count`` calls (to ``endpoint`` if given)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {', '.join(ENDPOINTS)} or null")
        with self._lock:
            self._queue.append(Injected(value, count, endpoint))

    def take(self, endpoint: str) -> float | None:
        """Consume one queued fault that applies to ``endpoint``; return its value."""
        with self._lock:
            for index, item in enumerate(self._queue):
                if item.endpoint in (None, endpoint):
                    item.remaining -= 1
                    if item.remaining == 0:
                        del self._queue[index]
                    return item.value
            return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

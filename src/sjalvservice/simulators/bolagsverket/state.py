"""The simulator's state: its clock, the access tokens it issued, counters and injected faults."""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Final

from .. import base
from ..base import Clock

READ_SCOPE: Final = "vardefulla-datamangder:read"
PING_SCOPE: Final = "vardefulla-datamangder:ping"
SCOPES: Final = frozenset({READ_SCOPE, PING_SCOPE})
# The endpoints that count requests and take injected faults.
ENDPOINTS: Final = ("token", "isalive", "organisationer")
# A longer delay is a mistake in a test, not a slow service.
MAX_DELAY: Final = 60.0


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


class FaultQueue(base.FaultQueue[float]):
    """Injected HTTP statuses or delays for the simulator's endpoints."""

    def __init__(self) -> None:
        super().__init__(ENDPOINTS)

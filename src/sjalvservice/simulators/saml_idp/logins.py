"""Logins in progress: a verified AuthnRequest, the way the resident chose to identify and the
BankID order, kept server-side under a random key for at most ten minutes."""

from __future__ import annotations

import math
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from ..base import Clock
from .bankid import StartedOrder
from .saml import AuthnRequestInfo, Delivery

LIFETIME: Final = 10 * 60

Method = Literal["qr", "autostart"]


@dataclass
class Login:
    """One login from AuthnRequest to Response. Its ``lock`` serialises the BankID calls made
    for it (a second collect after a final state would be refused by BankID)."""

    key: str
    request: AuthnRequestInfo
    created_at: float
    method: Method | None = None
    order: StartedOrder | None = None
    hint_code: str | None = None
    last_collect: float = -math.inf
    delivery: Delivery | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def state(self) -> str:
        """``choosing`` (the login page), ``pending`` (a BankID order runs) or ``done``."""
        if self.delivery is not None:
            return "done"
        return "pending" if self.order is not None else "choosing"

    def to_json(self) -> dict[str, Any]:
        """As ``GET /_control/logins`` lists it: no personal data."""
        return {
            "key": self.key,
            "spEntityId": self.request.sp_entity_id,
            "requestId": self.request.request_id,
            "acs": self.request.acs_url,
            "state": self.state,
            "method": self.method,
            "orderRef": self.order.order_ref if self.order else None,
            "hintCode": self.hint_code,
            "createdAt": self.created_at,
        }


class LoginStore:
    """The logins in progress, thread-safe; expired ones disappear when the store is read."""

    def __init__(self, clock: Clock, lifetime: float = LIFETIME) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self._lock = threading.Lock()
        self._logins: dict[str, Login] = {}

    def add(self, request: AuthnRequestInfo) -> Login:
        """Remember ``request`` under a new random key."""
        login = Login(secrets.token_urlsafe(24), request, self.clock.now())
        with self._lock:
            self._purge()
            self._logins[login.key] = login
        return login

    def get(self, key: str) -> Login | None:
        """The login under ``key``, or None when there is none (or it expired)."""
        with self._lock:
            self._purge()
            return self._logins.get(key)

    def remove(self, key: str) -> None:
        """Forget the login under ``key``."""
        with self._lock:
            self._logins.pop(key, None)

    def all(self) -> list[Login]:
        """Every login in progress, oldest first."""
        with self._lock:
            self._purge()
            return list(self._logins.values())

    def clear(self) -> None:
        """Forget every login."""
        with self._lock:
            self._logins.clear()

    def _purge(self) -> None:
        oldest = self.clock.now() - self.lifetime
        for key in [key for key, login in self._logins.items() if login.created_at < oldest]:
            del self._logins[key]

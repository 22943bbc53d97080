"""What the simulator remembers: the messages it accepted, the delivery reports it tried to
post, and the failures tests asked it to inject. Everything is kept in memory until a reset.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal
from urllib.parse import urlsplit, urlunsplit

from .validation import is_e164

FailureMode = Literal["failed", "http500", "reject"]
FAILURE_MODES: Final[tuple[FailureMode, ...]] = ("failed", "http500", "reject")
# 46elks bills in 1/10000 SEK; 0.35 SEK per part is close enough to its Swedish price.
COST_PER_PART: Final = 3500


def timestamp(moment: datetime | None = None) -> str:
    """UTC in 46elks' style, without an offset: ``2026-12-02T10:11:12.123456``."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def public_url(url: str) -> str:
    """``url`` without user, password and query string, which may hold the receiver's secret."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class DlrAttempt:
    """One POST of a delivery report: when, and the HTTP status or the error instead."""

    at: str
    http_status: int | None
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at, "http_status": self.http_status, "error": self.error}


@dataclass
class Message:
    """An accepted SMS. ``text`` is None when the sender asked for ``dontlog=message``."""

    id: str
    sender: str
    to: str
    text: str | None
    parts: int
    encoding: str
    created: str
    whendelivered: str | None
    fails: bool
    status: str = "created"
    delivered: str | None = None
    dlr_attempts: list[DlrAttempt] = field(default_factory=list)
    # True until the delivery report has been settled and posted (or given up on).
    pending: bool = True

    @property
    def cost(self) -> int:
        return self.parts * COST_PER_PART

    def api_view(self) -> dict[str, Any]:
        """The message as ``POST /a1/sms`` and ``GET /a1/sms/{id}`` answer it."""
        view: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "from": self.sender,
            "to": self.to,
        }
        if self.text is not None:
            view["message"] = self.text
        view.update(direction="outgoing", created=self.created, parts=self.parts, cost=self.cost)
        if self.delivered is not None:
            view["delivered"] = self.delivered
        return view

    def control_view(self) -> dict[str, Any]:
        """The message as ``GET /_control/messages`` lists it, for tests to inspect."""
        return {
            "id": self.id,
            "from": self.sender,
            "to": self.to,
            "message": self.text,
            "parts": self.parts,
            "encoding": self.encoding,
            "cost": self.cost,
            "status": self.status,
            "created": self.created,
            "delivered": self.delivered,
            "whendelivered": public_url(self.whendelivered) if self.whendelivered else None,
            "dlr_attempts": [attempt.as_dict() for attempt in self.dlr_attempts],
            "dlr_pending": self.pending,
        }


class MessageStore:
    """Accepted messages in the order they came, safe to share between request threads."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._messages: dict[str, Message] = {}

    def add(self, message: Message) -> None:
        with self._changed:
            self._messages[message.id] = message
            self._changed.notify_all()

    def api_view(self, message_id: str) -> dict[str, Any] | None:
        with self._changed:
            message = self._messages.get(message_id)
            return message.api_view() if message is not None else None

    def control_views(self) -> list[dict[str, Any]]:
        """Every message as the control API lists it, oldest first."""
        with self._changed:
            return [message.control_view() for message in self._messages.values()]

    def snapshot(self) -> list[Message]:
        """Copies of the messages, oldest first, for rendering without holding the lock."""
        with self._changed:
            return [
                Message(**{**vars(message), "dlr_attempts": list(message.dlr_attempts)})
                for message in self._messages.values()
            ]

    def settle(self, message_id: str, status: str, delivered: str | None) -> bool:
        """Give the message its final status; False if it was forgotten meanwhile."""
        with self._changed:
            message = self._messages.get(message_id)
            if message is None:
                return False
            message.status, message.delivered = status, delivered
            self._changed.notify_all()
            return True

    def record_attempt(self, message_id: str, attempt: DlrAttempt) -> None:
        with self._changed:
            message = self._messages.get(message_id)
            if message is not None:
                message.dlr_attempts.append(attempt)
                self._changed.notify_all()

    def finish(self, message_id: str) -> None:
        """Mark the delivery report of the message as done with (posted or given up)."""
        with self._changed:
            message = self._messages.get(message_id)
            if message is not None:
                message.pending = False
                self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            self._messages.clear()
            self._changed.notify_all()

    def wait(
        self, condition: Callable[[list[Message]], bool], timeout: float
    ) -> list[dict[str, Any]]:
        """Block until ``condition`` holds for the messages; TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(list(self._messages.values())):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f"still waiting after {timeout:g} s ({len(self._messages)} messages)"
                    )
                self._changed.wait(remaining)
            return [message.control_view() for message in self._messages.values()]


@dataclass
class FailureRule:
    """Fail the next ``remaining`` sends (None: until a reset), to ``to`` or (None) to anyone."""

    mode: FailureMode
    remaining: int | None
    to: str | None

    def as_dict(self) -> dict[str, Any]:
        count = -1 if self.remaining is None else self.remaining
        return {"mode": self.mode, "count": count, "to": self.to}


class FailureRules:
    """Injected failures, applied first come first served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FailureRule] = []

    def add(self, mode: str, count: int | None = -1, to: str | None = None) -> None:
        """Fail ``count`` sends (-1 or None: every send until a reset) in ``mode``.

        ValueError for a mode, count or number the simulator does not know what to do with.
        """
        if mode not in FAILURE_MODES:
            raise ValueError(f"mode must be one of {', '.join(FAILURE_MODES)}")
        # bool is an int subclass; {"count": true} is a mistake, not one failure.
        if count is not None and (type(count) is not int or (count < 1 and count != -1)):
            raise ValueError("count must be a whole number of at least 1, or -1 (until reset)")
        if to is not None and (not isinstance(to, str) or not is_e164(to)):
            raise ValueError("to must be an E.164 number such as +46701234567, or null")
        remaining = None if count in (None, -1) else count
        with self._lock:
            self._rules.append(FailureRule(mode, remaining, to))

    def take(self, to: str, *, dryrun: bool) -> FailureMode | None:
        """Consume the first rule that applies to a send to ``to``; return its mode.

        A dry run stores nothing and so gets no delivery report: ``failed`` rules skip it.
        """
        with self._lock:
            for index, rule in enumerate(self._rules):
                if rule.to not in (None, to) or (dryrun and rule.mode == "failed"):
                    continue
                if rule.remaining is not None:
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        del self._rules[index]
                return rule.mode
            return None

    def as_list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.as_dict() for rule in self._rules]

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

"""The faults a test injects into the mailbox: an outage, a stall at the end of DATA, rejected
recipients. Tests and the control API set them from their threads; the SMTP event loop reads
them, so every access goes through one lock.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Any, Final

# Longer than this is a typo in a test, not a scenario.
MAX_DOWN: Final = 24 * 60 * 60.0
MAX_STALL: Final = 600.0


def _seconds(value: float, name: str, maximum: float) -> float:
    # bool is an int: stall(True) is a mistake, not one second.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number of seconds")
    if not math.isfinite(value) or not 0 <= value <= maximum:
        raise ValueError(f"{name} must be between 0 and {maximum:g} seconds")
    return float(value)


def _count(value: int, name: str = "count") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1")
    return value


class Faults:
    """The injected faults and the deliveries being held by a stall."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # A time.monotonic() deadline; math.inf until up(); None while the server is up.
        self._down_until: float | None = None
        self._stall_seconds = 0.0
        self._stall_remaining: int | None = None  # deliveries still to stall; None: all
        self._rejections: deque[list[int]] = deque()  # [code, messages left]
        self._release = 0  # bumped to end every stall in progress
        self._held = 0

    # Outage.

    def down(self, seconds: float | None = None) -> None:
        """Refuse new connections (and MAIL in open ones) with 421 for ``seconds``; None: until
        :meth:`up`. A real relay under maintenance answers so, and clients retry later."""
        if seconds is not None and _seconds(seconds, "seconds", MAX_DOWN) == 0:
            raise ValueError("seconds must be more than 0 (or null: until up)")
        with self._lock:
            self._down_until = math.inf if seconds is None else time.monotonic() + seconds

    def is_down(self) -> bool:
        with self._lock:
            if self._down_until is not None and time.monotonic() >= self._down_until:
                self._down_until = None
            return self._down_until is not None

    def up(self) -> None:
        """End an outage and a stall; deliveries held by the stall go on at once."""
        with self._lock:
            self._down_until = None
            self._end_stall()

    # Stall.

    def stall(self, seconds: float, count: int | None = None) -> None:
        """Hold the reply to the end of DATA for ``seconds``: for the next ``count`` messages,
        or (None) every one until :meth:`up`. ``stall(0)`` ends a stall."""
        seconds = _seconds(seconds, "seconds", MAX_STALL)
        if count is not None:
            count = _count(count)
        with self._lock:
            if seconds == 0:
                self._end_stall()
                return
            self._stall_seconds, self._stall_remaining = seconds, count

    def take_stall(self) -> tuple[float, int] | None:
        """For one delivery: (seconds to hold it, the release number to pass to
        :meth:`released`), or None when nothing is stalled."""
        with self._lock:
            if self._stall_seconds == 0:
                return None
            seconds = self._stall_seconds
            if self._stall_remaining is not None:
                self._stall_remaining -= 1
                if self._stall_remaining == 0:
                    self._stall_seconds, self._stall_remaining = 0.0, None
            return seconds, self._release

    def released(self, release: int) -> bool:
        """Whether the stall a delivery took with ``release`` has been ended early."""
        with self._lock:
            return self._release != release

    def hold(self, change: int) -> None:
        """Count a delivery in (+1) or out (-1) of a stall."""
        with self._lock:
            self._held += change

    def held(self) -> int:
        """How many deliveries a stall is holding now (their clients wait for the reply)."""
        with self._lock:
            return self._held

    def _end_stall(self) -> None:
        self._stall_seconds, self._stall_remaining = 0.0, None
        self._release += 1

    # Rejections.

    def reject(self, count: int = 1, code: int = 550) -> None:
        """Refuse every recipient of the next ``count`` messages with ``code`` at RCPT."""
        count = _count(count)
        if isinstance(code, bool) or not isinstance(code, int) or not 400 <= code <= 599:
            raise ValueError("code must be an SMTP error code (400-599)")
        with self._lock:
            self._rejections.append([code, count])

    def take_rejection(self) -> int | None:
        """The code to refuse one message with, or None to accept it."""
        with self._lock:
            if not self._rejections:
                return None
            entry = self._rejections[0]
            entry[1] -= 1
            if entry[1] == 0:
                self._rejections.popleft()
            return entry[0]

    # All of them.

    def reset(self) -> None:
        """No outage, no stall (held deliveries go on), no pending rejection."""
        with self._lock:
            self._down_until = None
            self._end_stall()
            self._rejections.clear()

    def state(self) -> dict[str, Any]:
        """The faults in force, for the control API."""
        down = self.is_down()
        with self._lock:
            left = None
            if down and self._down_until is not None and self._down_until != math.inf:
                left = round(max(0.0, self._down_until - time.monotonic()), 3)
            return {
                "down": down,
                "downSecondsLeft": left,
                "stallSeconds": self._stall_seconds,
                "stallCount": self._stall_remaining,
                "held": self._held,
                "rejections": [{"code": code, "count": n} for code, n in self._rejections],
            }

"""What every simulator shares: its HTTP plumbing (bounded bodies, responses, one-line
logs that never show headers or bodies), a clock tests move forward, a queue of injected
faults, control-API errors, and the command-line loop until SIGINT or SIGTERM.

Simulators import this and nothing of the product; each names itself in its subclasses."""

from __future__ import annotations

import json
import math
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


class SimulatorHTTPServer(ThreadingHTTPServer):
    """A threading server whose request threads never keep the process alive."""

    daemon_threads = True
    # One log line reads "<log_prefix> <log_label>: ..." ("bankid-simulator api: ...").
    log_prefix = "simulator"
    log_label = ""

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHandler],
        simulator: Any,
        *,
        quiet: bool,
    ) -> None:
        self.simulator = simulator
        self.quiet = quiet
        super().__init__(address, handler)

    def server_bind(self) -> None:
        """Bind like HTTPServer but without its reverse DNS lookup, which can be slow."""
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(self.server_address)
        host, port = self.socket.getsockname()[:2]
        self.server_address = (host, port)
        self.server_name, self.server_port = str(host), int(port)

    def log_line(self, line: str) -> None:
        """Write one line to stderr unless the simulator runs quietly."""
        if not self.quiet:
            label = f"{self.log_prefix} {self.log_label}".strip()
            sys.stderr.write(f"{label}: {line}\n")
            sys.stderr.flush()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a failed connection in one line instead of a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the client went away; nothing worth reporting
        self.log_line(f"connection error: {type(error).__name__}: {error}")


class BaseHandler(BaseHTTPRequestHandler):
    """Request handler with helpers; keep-alive HTTP/1.1 like the real service."""

    server: SimulatorHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "Simulator/1.0"
    # The largest request body read; a larger one closes the connection.
    max_body = 1024 * 1024
    sys_version = ""
    # Idle keep-alive connections are closed after this many seconds, so stalled clients do
    # not pin threads forever.
    timeout = 10
    # Headers and body go out in separate writes; with Nagle's algorithm and delayed ACKs each
    # keep-alive response would wait ~40 ms.
    disable_nagle_algorithm = True

    def read_body(self) -> bytes | None:
        """Read the request body; None when it is too large (the connection is then closed)."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.max_body:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Send a complete response with Content-Length."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(
        self, status: int, payload: Any, headers: Mapping[str, str] | None = None
    ) -> None:
        """Send ``payload`` as JSON."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send(status, body, "application/json", headers)

    def refuse_cross_origin(self) -> bool:
        """Answer 403 to a request a browser sent from another site's page and say so.

        Browsers send Origin on cross-site POSTs and fetches: the control APIs refuse them,
        so that a random web page cannot steer a simulator (or read what it received)
        through a developer's browser."""
        origin = self.headers.get("Origin")
        own = f"http://{self.server.server_name}:{self.server.server_port}"
        if origin is None or origin.rstrip("/") == own:
            return False
        self.send_json(403, {"error": "cross-origin control requests are refused"})
        return True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request: method, path without query string, status. Never a header
        (credentials and tokens travel in them) or a body (personal data)."""
        path = urlsplit(self.path).path
        status = code.value if hasattr(code, "value") else code
        self.server.log_line(f"{self.command} {path} {status}")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's default logging (it would print full request lines)."""
        del format, args


# How often a serve loop checks for shutdown(): short, so that tests start and stop fast.
POLL_INTERVAL = 0.05


def serve_in_thread(server: SimulatorHTTPServer, name: str) -> threading.Thread:
    """Serve ``server`` from a started daemon thread (stop it with ``server.shutdown()``)."""
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": POLL_INTERVAL},
        name=name,
        daemon=True,
    )
    thread.start()
    return thread


def media_type(header: str | None) -> str:
    """The media type of a Content-Type header, lower-cased, without parameters."""
    return (header or "").split(";", 1)[0].strip().lower()


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
        """Move the clock forward by ``seconds`` (never backwards: state assumes monotony)."""
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


@dataclass
class Injected(Generic[T]):
    """A fault to apply ``remaining`` more times, to one endpoint or (None) to any."""

    value: T
    remaining: int
    endpoint: str | None


class FaultQueue(Generic[T]):
    """A FIFO of injected faults of one kind (error codes, statuses, delays), taken in order."""

    def __init__(self, endpoints: Collection[str]) -> None:
        self._lock = threading.Lock()
        self._endpoints = tuple(endpoints)
        self._queue: list[Injected[T]] = []

    def add(self, value: T, count: int = 1, endpoint: str | None = None) -> None:
        """Queue ``value`` for the next ``count`` calls (to ``endpoint`` if given)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        if endpoint is not None and endpoint not in self._endpoints:
            raise ValueError(
                f"endpoint must be one of {', '.join(sorted(self._endpoints))} or null"
            )
        with self._lock:
            self._queue.append(Injected(value, count, endpoint))

    def take(self, endpoint: str) -> T | None:
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
        """Drop every queued fault."""
        with self._lock:
            self._queue.clear()


class ControlError(Exception):
    """A control request the simulator refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Startable(Protocol):
    def start(self) -> object: ...

    def stop(self) -> None: ...


def serve(simulator: Startable, name: str, ready: Callable[[], str]) -> int:
    """Start ``simulator``, print its ``READY ...`` line, serve until SIGINT or SIGTERM."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        del signum, frame
        stop.set()

    # Handlers before starting, so a signal that arrives right after READY is not lost.
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        simulator.start()
    except OSError as error:
        # Typically a port already in use: say so in one line rather than a traceback.
        print(f"{name}: cannot listen: {error}", file=sys.stderr)
        return 1
    try:
        print(ready(), flush=True)
        # A timed wait lets the main thread run the Python-level signal handler promptly.
        while not stop.wait(0.5):
            pass
    finally:
        simulator.stop()
    return 0

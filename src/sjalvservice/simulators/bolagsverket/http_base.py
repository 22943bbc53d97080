"""Plumbing of the listener: bounded bodies, JSON responses and one-line logs."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .server import Simulator

MAX_BODY = 64 * 1024


class SimulatorHTTPServer(ThreadingHTTPServer):
    """A threading server whose request threads never keep the process alive."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHandler],
        simulator: Simulator,
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
            sys.stderr.write(f"bolagsverket-simulator: {line}\n")
            sys.stderr.flush()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Log a failed connection in one line instead of a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return  # the client went away (a client timeout, typically); nothing to report
        self.log_line(f"connection error: {type(error).__name__}: {error}")


class BaseHandler(BaseHTTPRequestHandler):
    """Request handler with helpers; keep-alive HTTP/1.1 like the real service."""

    server: SimulatorHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "BolagsverketSimulator/1.0"
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
        if length < 0 or length > MAX_BODY:
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

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request: method, path without query string, status. Never a header
        (the credentials and tokens travel in them) or a body (the numbers looked up)."""
        path = urlsplit(self.path).path
        status = code.value if hasattr(code, "value") else code
        self.server.log_line(f"{self.command} {path} {status}")

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's default logging (it would print full request lines)."""
        del format, args


def media_type(header: str | None) -> str:
    """The media type of a Content-Type header, lower-cased, without parameters."""
    return (header or "").split(";", 1)[0].strip().lower()

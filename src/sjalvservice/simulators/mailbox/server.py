"""The :class:`Simulator`: the SMTP server and, beside it, the HTTP listener for people and tests.

The HTTP listener on loopback serves:

* ``GET /``: the list of received messages (Swedish HTML);
* ``GET /messages/<n>``: one message;
* ``/_control/...``: the JSON control API that tests use (see ``control.py``).
"""

from __future__ import annotations

import re
import sys
import threading
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlsplit

from .. import base
from ..base import serve_in_thread
from . import pages
from .control import PREFIX as CONTROL_PREFIX
from .control import handle_control
from .faults import Faults
from .smtp import MailboxController, MailboxHandler, bind
from .store import DEFAULT_LIMIT, Mailbox

HOST: Final = "127.0.0.1"
NAME: Final = "mailbox-simulator"
_MESSAGE_PATH: Final = re.compile(r"/messages/([1-9][0-9]{0,9})")


class HTTPServer(base.SimulatorHTTPServer):
    log_prefix = NAME
    log_label = "http"


class Handler(base.BaseHandler):
    """Routes the pages and the control API."""

    server: HTTPServer
    server_version = "MailboxSimulator/1.0"
    max_body = 64 * 1024

    def do_GET(self) -> None:
        """Every method goes through one dispatcher, which answers 405 where it must."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        body = self.read_body()
        path = urlsplit(self.path).path
        if path.startswith(CONTROL_PREFIX):
            self._control(path, body)
            return
        simulator: Simulator = self.server.simulator
        if path == "/":
            page: str | None = pages.list_page(
                simulator.mailbox.all(), simulator.smtp_address, simulator.mailbox.limit
            )
        elif match := _MESSAGE_PATH.fullmatch(path):
            message = simulator.mailbox.get(int(match.group(1)))
            page = None if message is None else pages.message_page(message)
        else:
            page = None
        if page is None:
            self._page(404, pages.not_found_page())
        elif self.command not in ("GET", "HEAD"):
            self._page(405, pages.method_not_allowed_page(), {"Allow": "GET, HEAD"})
        else:
            self._page(200, page)

    def _page(self, status: int, page: str, headers: dict[str, str] | None = None) -> None:
        self.send(
            status,
            page.encode("utf-8"),
            "text/html; charset=utf-8",
            {
                "Content-Security-Policy": pages.CONTENT_SECURITY_POLICY,
                # The page's address names a message; the links in mail need not learn it.
                "Referrer-Policy": "no-referrer",
                **(headers or {}),
            },
        )

    def _control(self, path: str, body: bytes | None) -> None:
        if self.refuse_cross_origin():
            return
        status, payload = handle_control(self.server.simulator, self.command, path, body)
        self.send_json(status, payload)


class Simulator:
    """A mail catcher on 127.0.0.1: an SMTP server that keeps what it receives, and its pages.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Port 0 picks a free port.
    Messages and faults live on the object, so they survive a stop and a new start.
    """

    def __init__(
        self,
        *,
        smtp_port: int = 0,
        http_port: int = 0,
        quiet: bool = True,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.smtp_host = HOST
        self.quiet = quiet
        self.mailbox = Mailbox(limit)
        self.faults = Faults()
        self._smtp_port = smtp_port
        self._http_port = http_port
        self._controller: MailboxController | None = None
        self._http: HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"<Simulator mailbox running={self._http is not None} messages={len(self.mailbox)}>"

    # Addresses.

    @property
    def smtp_port(self) -> int:
        """The SMTP port, e.g. 8025 (the portal's ``EMAIL_PORT``)."""
        if self._controller is None:
            raise RuntimeError("the simulator is not running")
        return int(self._controller.port)

    @property
    def smtp_address(self) -> str:
        return f"{self.smtp_host}:{self.smtp_port}"

    @property
    def url(self) -> str:
        """The HTTP base without a trailing slash, e.g. ``http://127.0.0.1:8447``."""
        if self._http is None:
            raise RuntimeError("the simulator is not running")
        return f"http://{HOST}:{self._http.server_port}"

    @property
    def page_url(self) -> str:
        """The page listing the received messages."""
        return self.url + "/"

    # Lifecycle.

    def start(self) -> Simulator:
        """Bind both listeners, then serve SMTP from aiosmtpd's thread and HTTP from another."""
        if self._http is not None:
            raise RuntimeError("the simulator is already running")
        listening = bind(HOST, self._smtp_port)
        try:
            http = HTTPServer((HOST, self._http_port), Handler, self, quiet=self.quiet)
        except BaseException:
            listening.close()
            raise
        controller = MailboxController(
            MailboxHandler(self.mailbox, self.faults, self._log), listening
        )
        try:
            controller.start()
        except BaseException:
            controller.stop(no_assert=True)
            listening.close()
            http.server_close()
            raise
        self._controller, self._http = controller, http
        self._thread = serve_in_thread(http, NAME)
        return self

    def stop(self) -> None:
        """Stop both listeners. Deliveries in progress are dropped, as at a crash."""
        if self._controller is not None:
            self._controller.stop(no_assert=True)
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._controller, self._http, self._thread = None, None, None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # Messages.

    def messages(self) -> list[dict[str, Any]]:
        """Every stored message, oldest first, as fresh dicts (the control API's JSON)."""
        return [message.as_dict() for message in self.mailbox.all()]

    def wait_for(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        """The messages once at least ``count`` are stored; TimeoutError after ``timeout``.

        Delivery is asynchronous for the portal (a task sends the mail), so tests wait instead
        of sleeping for a guessed time."""
        return [message.as_dict() for message in self.mailbox.wait_for(count, timeout)]

    # Faults.

    def down(self, seconds: float | None = None) -> None:
        """Answer 421 (temporary) to new connections and to MAIL for ``seconds``; None: until
        :meth:`up`."""
        self.faults.down(seconds)

    def up(self) -> None:
        """End an outage and a stall: normal service again."""
        self.faults.up()

    def stall(self, seconds: float, count: int | None = None) -> None:
        """Hold the reply to the end of DATA for ``seconds`` (next ``count`` messages, or every
        one until :meth:`up`), so a client can time out or be killed mid-delivery."""
        self.faults.stall(seconds, count)

    def reject(self, count: int = 1, code: int = 550) -> None:
        """Refuse the next ``count`` messages at RCPT with ``code`` (550: permanently)."""
        self.faults.reject(count, code)

    def held(self) -> int:
        """How many deliveries a stall holds now: their clients sent everything and wait."""
        return self.faults.held()

    def state(self) -> dict[str, Any]:
        """The faults in force and the number of messages, as the control API shows them."""
        return {**self.faults.state(), "messages": len(self.mailbox)}

    def reset(self) -> None:
        """Forget every message and fault; deliveries held by a stall go on."""
        self.faults.reset()
        self.mailbox.clear()

    def _log(self, line: str) -> None:
        # Never an address, a subject or a body: those are personal data in the portal's mail.
        if not self.quiet:
            sys.stderr.write(f"{NAME} smtp: {line}\n")
            sys.stderr.flush()

"""The listener and the :class:`Simulator` that runs it.

One plain-HTTP listener on loopback serves:

* ``POST /a1/sms`` and ``GET /a1/sms/{id}``: 46elks' SMS API, with HTTP Basic auth;
* ``GET /``: a page that lists the received SMS, for people trying the portal out;
* ``/_control/...``: the JSON control API that tests use (see ``control.py``).

After accepting an SMS it settles the message's fate (``delivered``, or ``failed`` when a
test asked for that) after a short delay, in a thread of its own, and posts the delivery
report to ``whendelivered`` when one was given (see ``delivery.py``).
"""

from __future__ import annotations

import base64
import hmac
import secrets
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from .. import base
from ..base import media_type, serve_in_thread
from .control import PREFIX as CONTROL_PREFIX
from .control import handle_control
from .delivery import RETRY_DELAYS, TIMEOUT, post_report
from .encoding import count_parts, encoding_of
from .page import CONTENT_SECURITY_POLICY, messages_page
from .store import COST_PER_PART, DlrAttempt, FailureRules, Message, MessageStore, timestamp
from .validation import Refusal, SendRequest, validate

HOST: Final = "127.0.0.1"
API_PREFIX: Final = "/a1"
SEND_PATH: Final = f"{API_PREFIX}/sms"
FORM: Final = "application/x-www-form-urlencoded"


class SimulatorHTTPServer(base.SimulatorHTTPServer):
    log_prefix = "sms-simulator"


class BaseHandler(base.BaseHandler):
    server_version = "SmsSimulator/1.0"
    max_body = 64 * 1024


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(username, password) of an ``Authorization: Basic`` header, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are both ValueErrors
        return None
    username, separator, password = decoded.partition(":")
    return (username, password) if separator else None


class Handler(BaseHandler):
    """Routes the SMS API, the page and the control API."""

    server: SimulatorHTTPServer

    def do_GET(self) -> None:
        """Every method goes through one dispatcher, which answers 405 where it must."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    @property
    def simulator(self) -> Simulator:
        simulator: Simulator = self.server.simulator
        return simulator

    def _text(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        self.send(status, text.encode("utf-8"), "text/plain; charset=utf-8", headers)

    def _dispatch(self) -> None:
        body = self.read_body()
        path = urlsplit(self.path).path
        if path.startswith(CONTROL_PREFIX):
            self._control(path, body)
        elif path == "/":
            self._page()
        elif path == SEND_PATH or path.startswith(SEND_PATH + "/"):
            self._api(path, body)
        else:
            self._text(404, "Not found")

    def _page(self) -> None:
        if self.command not in ("GET", "HEAD"):
            self._text(405, "Method not allowed", {"Allow": "GET, HEAD"})
            return
        html = messages_page(self.simulator.store.snapshot())
        self.send(
            200,
            html.encode("utf-8"),
            "text/html; charset=utf-8",
            {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Referrer-Policy": "no-referrer"},
        )

    def _api(self, path: str, body: bytes | None) -> None:
        credentials = basic_credentials(self.headers.get("Authorization"))
        if credentials is None or not self.simulator.is_account(*credentials):
            self._text(401, "Unauthorized", {"WWW-Authenticate": 'Basic realm="46elks"'})
            return
        if path == SEND_PATH:
            if self.command != "POST":
                self._text(405, "Method not allowed", {"Allow": "POST"})
                return
            try:
                status, payload = self.simulator.accept(self._form(body))
            except Refusal as refusal:
                self._text(refusal.status, refusal.reason)
                return
            self.send_json(status, payload)
            return
        if self.command not in ("GET", "HEAD"):
            self._text(405, "Method not allowed", {"Allow": "GET, HEAD"})
            return
        message = self.simulator.store.api_view(path.removeprefix(SEND_PATH + "/"))
        if message is None:
            self._text(404, "Not found")
        else:
            self.send_json(200, message)

    def _form(self, body: bytes | None) -> SendRequest:
        if body is None:
            raise Refusal("Request too large", 413)
        if media_type(self.headers.get("Content-Type")) != FORM:
            raise Refusal(f"Send the parameters as {FORM}", 415)
        try:
            form = parse_qs(
                body.decode("utf-8"), keep_blank_values=True, max_num_fields=50, errors="strict"
            )
        except ValueError:  # UnicodeDecodeError is a ValueError, as is too many fields
            raise Refusal("The parameters cannot be read") from None
        return validate(form)

    def _control(self, path: str, body: bytes | None) -> None:
        if self.refuse_cross_origin():
            return
        status, payload = handle_control(self.simulator, self.command, path, body)
        self.send_json(status, payload)


class Simulator:
    """The 46elks SMS simulator on 127.0.0.1: the SMS API, its page and the control API.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Port 0 picks a free
    port; a username or password left out is made up at random. ``dlr_delay`` is how long
    after accepting an SMS it is delivered (or fails); ``dlr_retry_delays`` are the pauses
    between attempts to post its delivery report, ``dlr_timeout`` the wait for each answer.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        username: str | None = None,
        password: str | None = None,
        quiet: bool = True,
        dlr_delay: float = 0.2,
        dlr_retry_delays: Sequence[float] = RETRY_DELAYS,
        dlr_timeout: float = TIMEOUT,
    ) -> None:
        if dlr_delay < 0 or any(delay < 0 for delay in dlr_retry_delays) or dlr_timeout <= 0:
            raise ValueError("delays must not be negative, nor the timeout zero")
        # 46elks' API usernames are "u" and 32 hex digits.
        self.username = username or f"u{secrets.token_hex(16)}"
        self.password = password or secrets.token_hex(16).upper()
        self.quiet = quiet
        self.dlr_delay = dlr_delay
        self.dlr_retry_delays = tuple(dlr_retry_delays)
        self.dlr_timeout = dlr_timeout
        self.store = MessageStore()
        self.failures = FailureRules()
        self._port = port
        self._server: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Set to end every pending delivery; replaced by a fresh one on reset.
        self._cancel = threading.Event()
        self._deliveries: set[threading.Thread] = set()
        self._deliveries_lock = threading.Lock()

    def __repr__(self) -> str:
        # Without the password: a repr ends up in test reports and logs.
        return f"<Simulator username={self.username!r} running={self._server is not None}>"

    @property
    def url(self) -> str:
        """The listener's root without a trailing slash, e.g. ``http://127.0.0.1:8446``."""
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return f"http://{HOST}:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The API base, like ``https://api.46elks.com/a1`` (the portal's ``SMS_URL``)."""
        return self.url + API_PREFIX

    @property
    def send_url(self) -> str:
        """Where SMS are posted, like ``https://api.46elks.com/a1/sms``."""
        return self.url + SEND_PATH

    @property
    def page_url(self) -> str:
        """The page that lists the received SMS."""
        return self.url + "/"

    def is_account(self, username: str, password: str) -> bool:
        """Whether the credentials are this simulator's (compared in constant time)."""
        user_ok = hmac.compare_digest(username.encode(), self.username.encode())
        password_ok = hmac.compare_digest(password.encode(), self.password.encode())
        return user_ok and password_ok

    def accept(self, request: SendRequest) -> tuple[int, dict[str, Any]]:
        """Store the SMS (or, for a dry run, only price it); the status and JSON to answer.

        Raises :class:`Refusal` when an injected failure says so.
        """
        mode = self.failures.take(request.to, dryrun=request.dryrun)
        if mode == "http500":
            raise Refusal("Internal Server Error", 500)
        if mode == "reject":
            raise Refusal("Rejected by the simulator")
        parts = count_parts(request.message)
        if request.dryrun:
            estimate: dict[str, Any] = {
                "status": "created",
                "from": request.sender,
                "to": request.to,
            }
            if not request.dontlog:
                estimate["message"] = request.message
            estimate.update(direction="outgoing", parts=parts, estimated_cost=parts * COST_PER_PART)
            return 200, estimate
        message = Message(
            id=f"s{secrets.token_hex(16)}",
            sender=request.sender,
            to=request.to,
            text=None if request.dontlog else request.message,
            parts=parts,
            encoding=encoding_of(request.message).name,
            created=timestamp(),
            whendelivered=request.whendelivered,
            fails=mode == "failed",
        )
        self.store.add(message)
        self._schedule(message)
        return 200, message.api_view()

    def _schedule(self, message: Message) -> None:
        thread = threading.Thread(
            target=self._deliver,
            args=(message.id, message.whendelivered, message.fails, self._cancel),
            name="sms-simulator-dlr",
            daemon=True,
        )
        with self._deliveries_lock:
            self._deliveries.add(thread)
        thread.start()

    def _deliver(
        self, message_id: str, url: str | None, fails: bool, cancel: threading.Event
    ) -> None:
        """Settle the message after the delay, then post its report until one is taken."""
        try:
            if cancel.wait(self.dlr_delay):
                return
            status = "failed" if fails else "delivered"
            delivered = None if fails else timestamp()
            if not self.store.settle(message_id, status, delivered) or url is None:
                return
            fields = {"id": message_id, "status": status}
            if delivered is not None:
                fields["delivered"] = delivered
            for attempt, pause in enumerate((0.0, *self.dlr_retry_delays), start=1):
                if cancel.wait(pause):
                    return
                http_status, error = post_report(url, fields, self.dlr_timeout)
                self.store.record_attempt(message_id, DlrAttempt(timestamp(), http_status, error))
                self._log(f"delivery report {message_id} attempt {attempt}: {http_status or error}")
                if http_status is not None and 200 <= http_status <= 204:
                    return
        finally:
            self.store.finish(message_id)
            with self._deliveries_lock:
                self._deliveries.discard(threading.current_thread())

    def _log(self, line: str) -> None:
        if self._server is not None:
            self._server.log_line(line)

    # The helpers tests call directly, the same as the control API.

    def messages(self) -> list[dict[str, Any]]:
        """The received SMS, oldest first, as ``GET /_control/messages`` lists them."""
        return self.store.control_views()

    def fail(self, mode: str = "failed", *, count: int | None = -1, to: str | None = None) -> None:
        """Fail the next ``count`` sends (-1 or None: until a reset), or only those to ``to``.

        ``failed``: accept the SMS, report it failed; ``http500``: answer 500; ``reject``:
        answer 403. ValueError for anything else.
        """
        self.failures.add(mode, count, to)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The messages once at least ``count`` are stored; TimeoutError after ``timeout``."""
        return self.store.wait(lambda messages: len(messages) >= count, timeout)

    def wait_settled(self, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The messages once every one is delivered or failed and its report posted (or
        given up on); TimeoutError after ``timeout``."""
        return self.store.wait(
            lambda messages: not any(message.pending for message in messages), timeout
        )

    def reset(self) -> None:
        """Forget every message and injected failure; pending delivery reports are dropped."""
        cancel, self._cancel = self._cancel, threading.Event()
        cancel.set()
        self.failures.clear()
        self.store.clear()

    def start(self) -> Simulator:
        """Bind the listener and serve it from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._cancel = threading.Event()
        self._server = SimulatorHTTPServer((HOST, self._port), Handler, self, quiet=self.quiet)
        self._thread = serve_in_thread(self._server, "sms-simulator")
        return self

    def stop(self) -> None:
        """Stop serving, drop pending delivery reports and close the listening socket."""
        self._cancel.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._deliveries_lock:
            deliveries = list(self._deliveries)
        for thread in deliveries:
            thread.join(timeout=self.dlr_timeout + 1)
        self._server, self._thread = None, None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

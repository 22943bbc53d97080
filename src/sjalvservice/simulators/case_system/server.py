"""The case-management system: a webhook receiver, a page, a control API, and a client of
the portal's integration API.

* ``POST /webhooks``: the portal's events, signed as Standard Webhooks says; the signature
  is checked here with this module's own code. A ``case.submitted`` is taken: the system
  gives the case its own id (``PUT /api/v1/cases/{n}/system-id``), acknowledges it and
  sets "Under behandling", each with an Idempotency-Key made from the webhook's id, so a
  webhook delivered twice changes nothing twice.
* ``GET /``: the cases it holds; a form per case asks for a supplement (with the message
  to the citizen) or closes it.
* ``/_control/cases`` (GET) and ``/_control/reset`` (POST): for tests.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qs

import httpx

from .. import base
from ..base import serve_in_thread
from .page import CONTENT_SECURITY_POLICY, cases_page

HOST: Final = "127.0.0.1"
# How far a webhook's timestamp may be from now, as the specification suggests.
TOLERANCE: Final = 5 * 60


class SimulatorHTTPServer(base.SimulatorHTTPServer):
    log_prefix = "case-system-simulator"


class Refused(Exception):
    """A webhook whose signature or timestamp does not hold."""


def verify(secret: str, headers: dict[str, str], body: bytes, now: float) -> dict[str, Any]:
    """The webhook's JSON if its ``webhook-signature`` is right and it is recent."""
    message_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    if not message_id or not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE:
        raise Refused("missing id or a stale timestamp")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = message_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    given = [part.partition(",")[2] for part in headers.get("webhook-signature", "").split()]
    if not any(hmac.compare_digest(expected, candidate) for candidate in given):
        raise Refused("wrong signature")
    payload: dict[str, Any] = json.loads(body)
    return payload


@dataclass
class Held:
    """A case the system has taken."""

    number: int
    identifier: str
    status: str = ""
    events: list[str] = field(default_factory=list)
    error: str = ""


class Handler(base.BaseHandler):
    server: SimulatorHTTPServer
    server_version = "CaseSystemSimulator/1.0"
    max_body = 256 * 1024

    @property
    def simulator(self) -> Simulator:
        simulator: Simulator = self.server.simulator
        return simulator

    def do_GET(self) -> None:
        if self.path == "/":
            body = cases_page(self.simulator.held()).encode()
            self.send(200, body, "text/html; charset=utf-8",
                      {"Content-Security-Policy": CONTENT_SECURITY_POLICY})  # fmt: skip
        elif self.path == "/_control/cases":
            self.send_json(200, [vars(case) for case in self.simulator.held()])
        else:
            self.send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = self.read_body()
        if body is None:
            return
        if self.path == "/webhooks":
            self._webhook(body)
        elif self.path == "/_control/reset":
            if not self.refuse_cross_origin():
                self.simulator.reset()
                self.send_json(200, {})
        elif self.path.startswith("/arenden/"):
            if not self.refuse_cross_origin():
                self._act(body)
        else:
            self.send_json(404, {"error": "not found"})

    def _webhook(self, body: bytes) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            payload = verify(self.simulator.secret, headers, body, time.time())
        except (Refused, ValueError) as refused:
            self.send_json(401, {"error": str(refused)})
            return
        self.simulator.received(headers["webhook-id"], payload)
        self.send(204, b"", "text/plain")

    def _act(self, body: bytes) -> None:
        """``/arenden/{n}/komplettering`` or ``/arenden/{n}/avsluta`` from the page's forms."""
        parts = self.path.strip("/").split("/")
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        if len(parts) != 3 or not parts[1].isdigit():
            self.send_json(404, {"error": "not found"})
            return
        number, action = int(parts[1]), parts[2]
        if action == "komplettering":
            self.simulator.ask_for_supplement(number, form.get("meddelande", ""))
        elif action == "avsluta":
            self.simulator.close(number)
        else:
            self.send_json(404, {"error": "not found"})
            return
        self.send(303, b"", "text/plain", {"Location": "/"})


class Simulator:
    """The case-management system; ``portal`` is the portal's address."""

    def __init__(
        self,
        *,
        portal: str,
        token: str,
        secret: str,
        port: int = 0,
        system: str = "Ärendesystemet",
        quiet: bool = False,
    ) -> None:
        self.portal = portal.rstrip("/")
        self.token = token
        self.secret = secret
        self.system = system
        self.quiet = quiet
        self._port = port
        self._lock = threading.Lock()
        self._cases: dict[int, Held] = {}
        self._seen: set[str] = set()
        self._counter = 0
        self._server: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://{HOST}:{self._server.server_port}"

    def held(self) -> list[Held]:
        with self._lock:
            return sorted(self._cases.values(), key=lambda case: -case.number)

    def reset(self) -> None:
        with self._lock:
            self._cases.clear()
            self._seen.clear()

    def _call(self, method: str, path: str, key: str, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        response = httpx.request(method, self.portal + path, headers=headers, timeout=10, **kwargs)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    def received(self, message_id: str, payload: dict[str, Any]) -> None:
        """A verified webhook: remember it, and take a new case in the background (the
        webhook is answered at once)."""
        with self._lock:
            if message_id in self._seen:
                return  # delivered again: already handled
            self._seen.add(message_id)
        data = payload.get("data", {})
        number = data.get("case_number")
        if not isinstance(number, int):
            return
        with self._lock:
            case = self._cases.get(number)
            if case is not None:
                case.events.append(payload.get("type", ""))
                case.status = data.get("status", {}).get("name", case.status)
        if payload.get("type") == "case.submitted":
            threading.Thread(target=self.take, args=(number, message_id), daemon=True).start()

    def take(self, number: int, message_id: str) -> None:
        """Give the case our id, acknowledge it and start handling it."""
        with self._lock:
            self._counter += 1
            identifier = f"AS-{dt.date.today().year}-{self._counter:05d}"
            case = self._cases.setdefault(number, Held(number, identifier))
        try:
            base_path = f"/api/v1/cases/{number}"
            self._call("PUT", f"{base_path}/system-id", f"{message_id}-id",
                       json={"system": self.system, "id": case.identifier})  # fmt: skip
            self._call("POST", f"{base_path}/acknowledge", f"{message_id}-ack",
                       json={"system": self.system})  # fmt: skip
            answer = self._call("POST", f"{base_path}/status", f"{message_id}-status",
                                json={"status": "IN_PROGRESS"})  # fmt: skip
            case.status = answer["status"]["name"]
        except httpx.HTTPError as error:
            case.error = f"{type(error).__name__}"
        self._log(f"took case {number} as {case.identifier}")

    def ask_for_supplement(self, number: int, message: str) -> None:
        self._set_status(number, {"status": "AWAITING_SUPPLEMENT", "message": message})

    def close(self, number: int) -> None:
        self._set_status(number, {"status": "CLOSED"})

    def _set_status(self, number: int, body: dict[str, Any]) -> None:
        with self._lock:
            case = self._cases.get(number)
        if case is None:
            return
        try:
            answer = self._call("POST", f"/api/v1/cases/{number}/status",
                                f"page-{time.time_ns()}", json=body)  # fmt: skip
            case.status, case.error = answer["status"]["name"], ""
        except httpx.HTTPStatusError as error:
            case.error = f"HTTP {error.response.status_code}"
        except httpx.HTTPError as error:
            case.error = type(error).__name__

    def _log(self, line: str) -> None:
        if self._server is not None:
            self._server.log_line(line)

    def start(self) -> Simulator:
        self._server = SimulatorHTTPServer((HOST, self._port), Handler, self, quiet=self.quiet)
        self._thread = serve_in_thread(self._server, "case-system-simulator")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""A client that speaks the SMS API by hand, and a receiver of delivery reports."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx

from ..server import SEND_PATH, Simulator

TO = "+46701234567"
OTHER = "+46731234567"
SENDER = "Lycksele"


class Peer:
    """Raw HTTP calls to the SMS API and the control API."""

    def __init__(self, simulator: Simulator, client: httpx.Client) -> None:
        self.simulator = simulator
        self.client = client

    @property
    def auth(self) -> tuple[str, str]:
        return (self.simulator.username, self.simulator.password)

    def send(self, auth: tuple[str, str] | None = None, **fields: str | None) -> httpx.Response:
        """POST an SMS; ``to``, ``from_`` and ``message`` have defaults, None leaves one out."""
        form: dict[str, Any] = {"from": SENDER, "to": TO, "message": "Hej!"}
        if "from_" in fields:
            form["from"] = fields.pop("from_")
        form.update(fields)
        data = {key: value for key, value in form.items() if value is not None}
        return self.client.post(SEND_PATH, data=data, auth=auth or self.auth)

    def sent(self, **fields: str | None) -> dict[str, Any]:
        response = self.send(**fields)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def lookup(self, message_id: str) -> httpx.Response:
        return self.client.get(f"{SEND_PATH}/{message_id}", auth=self.auth)

    def control(self, method: str, path: str, json: Any = None) -> httpx.Response:
        return self.client.request(method, f"/_control/{path}", json=json)

    def ok(self, method: str, path: str, json: Any = None) -> Any:
        response = self.control(method, path, json)
        assert response.status_code == 200, response.text
        return response.json()


@dataclass
class Report:
    """One request the receiver got."""

    path: str
    authorization: str | None
    content_type: str | None
    form: dict[str, str]


class Receiver:
    """A stand-in for the portal's delivery report endpoint: records every POST and answers
    the statuses queued in ``answers``, then 200."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.reports: list[Report] = []
        self.answers: list[int] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait(self, count: int, timeout: float = 5.0) -> list[Report]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.reports) >= count, timeout):
                raise AssertionError(f"{len(self.reports)} reports, expected {count}")
            return list(self.reports)


def _handler(receiver_box: list[Receiver]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            receiver = receiver_box[0]
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("ascii")
            form = {key: values[0] for key, values in parse_qs(body).items()}
            with receiver.arrived:
                receiver.reports.append(
                    Report(
                        self.path,
                        self.headers.get("Authorization"),
                        self.headers.get("Content-Type"),
                        form,
                    )
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                receiver.arrived.notify_all()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    return Handler


@contextmanager
def receiving() -> Iterator[Receiver]:
    """A receiver on a free loopback port, for the length of the block."""
    box: list[Receiver] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    server.daemon_threads = True
    box.append(Receiver(server))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

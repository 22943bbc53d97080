"""Helpers shared by the simulator's tests: TLS contexts, base64 and a Test-BankID driver."""

from __future__ import annotations

import base64
import ssl
from html.parser import HTMLParser
from typing import Any

import httpx

from ..certificates import CertificatePaths


def mtls_context(
    paths: CertificatePaths, *, client: CertificatePaths | None = None
) -> ssl.SSLContext:
    """A client context pinned to the simulator CA, presenting ``client``'s RP certificate.

    httpx 0.28 deprecates ``cert=``; loading the chain into the context is the same thing.
    """
    context = ssl.create_default_context(cafile=str(paths.ca))
    own = client or paths
    context.load_cert_chain(own.client_cert, own.client_key)
    return context


def b64(text: str) -> str:
    """Base64 of UTF-8 text, as userVisibleData wants it."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.ids: list[str] = []
        self.h1 = 0
        self.alerts = 0
        self.described: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "input" and values.get("type") == "hidden":
            self.hidden[values["name"]] = values["value"]
        if "id" in values:
            self.ids.append(values["id"])
        if "aria-describedby" in values:
            self.described[values.get("id", tag)] = values["aria-describedby"]
        if tag == "h1":
            self.h1 += 1
        if values.get("role") == "alert":
            self.alerts += 1


def parse_page(html: str) -> _FormParser:
    """Hidden fields, ids, h1 count, alerts and aria-describedby links of a page."""
    parser = _FormParser()
    parser.feed(html)
    return parser


class TestApp:
    """Drives the Test-BankID pages and the control API over plain HTTP."""

    __test__ = False  # not a test class, despite the name

    def __init__(self, client: httpx.Client, api: httpx.Client) -> None:
        self.client = client
        self.api = api

    def control(self, method: str, path: str, json: Any = None) -> httpx.Response:
        return self.client.request(method, f"_control/{path}", json=json)

    def qr(self, order_ref: str) -> str:
        response = self.control("GET", f"qr/{order_ref}")
        assert response.status_code == 200, response.text
        return str(response.json()["qrContent"])

    def advance(self, seconds: float) -> None:
        assert self.control("POST", "clock", {"advance": seconds}).status_code == 200

    def order(self, order_ref: str) -> dict[str, Any]:
        response = self.control("GET", f"orders/{order_ref}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def scan(self, content: str) -> httpx.Response:
        return self.client.post("scan", data={"qr": content})

    def open(self, response: httpx.Response) -> tuple[str, dict[str, str]]:
        """Follow a 303 to the order page; return its HTML and hidden form fields."""
        assert response.status_code == 303, response.text
        page = self.client.get(response.headers["location"])
        assert page.status_code == 200, page.text
        return page.text, parse_page(page.text).hidden

    def scan_and_open(self, order_ref: str) -> tuple[str, dict[str, str]]:
        return self.open(self.scan(self.qr(order_ref)))

    def identify(self, hidden: dict[str, str], **fields: str) -> httpx.Response:
        return self.client.post("identify", data={**hidden, **fields})

    def collect(self, order_ref: str) -> httpx.Response:
        return self.api.post("collect", json={"orderRef": order_ref})

    def start(self, endpoint: str = "auth", **body: Any) -> str:
        body.setdefault("endUserIp", "192.0.2.10")
        response = self.api.post(endpoint, json=body)
        assert response.status_code == 200, response.text
        return str(response.json()["orderRef"])

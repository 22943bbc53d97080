"""Clients of the mailbox: smtplib, Django's SMTP backend, a raw socket, and an HTML reader."""

from __future__ import annotations

import smtplib
import socket
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from html.parser import HTMLParser

from django.core.mail.backends.smtp import EmailBackend

from ..server import Simulator

SENDER = "noreply@kommun.example"
RECIPIENT = "anna@example.test"
SUBJECT = "Ditt ärende har fått ny status"


def message(
    *,
    subject: str = SUBJECT,
    text: str | None = "Hej Anna!\n\nDitt ärende har fått ny status.\n",
    html: str | None = None,
    to: Sequence[str] = (RECIPIENT,),
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """A message as a mail client builds it with the standard library."""
    built = EmailMessage()
    built["From"] = f"Självservice <{SENDER}>"
    built["To"] = ", ".join(to)
    built["Subject"] = subject
    if text is not None:
        built.set_content(text)
        if html is not None:
            built.add_alternative(html, subtype="html")
    elif html is not None:
        built.set_content(html, subtype="html")
    # After the content: set_content() drops every Content-* header, Content-Language too.
    for name, value in (headers or {}).items():
        built[name] = value
    return built


def send(simulator: Simulator, built: EmailMessage | None = None, timeout: float = 5) -> None:
    """Deliver ``built`` (default: a plain message) with smtplib, one connection."""
    with smtplib.SMTP(simulator.smtp_host, simulator.smtp_port, timeout=timeout) as client:
        client.send_message(built if built is not None else message())


def backend(simulator: Simulator, timeout: float = 5) -> EmailBackend:
    """Django's SMTP backend pointed at the mailbox, as the portal's settings would."""
    return EmailBackend(
        host=simulator.smtp_host,
        port=simulator.smtp_port,
        username="",
        password="",
        use_tls=False,
        use_ssl=False,
        timeout=timeout,
        fail_silently=False,
    )


def eventually(condition: Callable[[], bool], timeout: float = 5) -> None:
    """Wait until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition did not come true in time")
        time.sleep(0.02)


class Wire:
    """SMTP spoken by hand over a socket, to stop in the middle of a delivery."""

    def __init__(self, simulator: Simulator, timeout: float = 5) -> None:
        self.socket = socket.create_connection(
            (simulator.smtp_host, simulator.smtp_port), timeout=timeout
        )
        self.file = self.socket.makefile("rb")

    def reply(self) -> str:
        """One complete (possibly multi-line) reply."""
        lines = []
        while True:
            line = self.file.readline().decode("ascii")
            if not line:
                raise ConnectionError("the server closed the connection")
            lines.append(line.rstrip("\r\n"))
            if line[3:4] != "-":
                return "\n".join(lines)

    def command(self, line: str) -> str:
        self.socket.sendall(line.encode("ascii") + b"\r\n")
        return self.reply()

    def send_whole_message(self) -> None:
        """Greeting to the end of DATA, without reading the reply to the final dot."""
        assert self.reply().startswith("220")
        assert self.command("EHLO client.example").startswith("250")
        assert self.command(f"MAIL FROM:<{SENDER}>").startswith("250")
        assert self.command(f"RCPT TO:<{RECIPIENT}>").startswith("250")
        assert self.command("DATA").startswith("354")
        self.socket.sendall(message().as_bytes().replace(b"\n", b"\r\n") + b".\r\n")

    def close(self) -> None:
        self.file.close()
        self.socket.close()


class Tags(HTMLParser):
    """Every start tag of a page with its attributes (entities decoded), and its text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "img", "input", "base", "link"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        for tag in self._open:
            self.text.setdefault(tag, []).append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]

    def text_of(self, tag: str) -> str:
        return "".join(self.text.get(tag, []))

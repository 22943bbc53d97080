"""What the mailbox keeps of a message, and the bounded, thread-safe store that keeps it.

A message is parsed once, when it arrives, into what tests and the page look at: the envelope,
the headers the portal sets (decoded from RFC 2047), the text and HTML parts (decoded from
their transfer encoding and charset) and a summary of any other part. The raw bytes are not
kept, only their size, so a thousand messages with PDF attachments stay small.
"""

from __future__ import annotations

import email
import email.policy
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from typing import Any, Final

# The headers kept, under these names; one that is absent is None.
HEADERS: Final = (
    "Message-ID",
    "Subject",
    "From",
    "To",
    "Cc",
    "Reply-To",
    "List-Unsubscribe",
    "Date",
    "Content-Language",
)
DEFAULT_LIMIT: Final = 1000


@dataclass(frozen=True)
class Attachment:
    """A part that is neither the text nor the HTML body: its name, type and decoded size."""

    filename: str | None
    content_type: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "contentType": self.content_type, "size": self.size}


@dataclass(frozen=True)
class Received:
    """One stored message. ``number`` counts from 1 since the last reset and names its page."""

    number: int
    received_at: datetime
    envelope_from: str
    envelope_recipients: tuple[str, ...]
    headers: dict[str, str | None]
    text: str | None
    html: str | None
    size: int
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def subject(self) -> str | None:
        return self.headers.get("Subject")

    def as_dict(self) -> dict[str, Any]:
        """A fresh JSON-ready dict (camelCase, like the control API), safe for callers to edit."""
        return {
            "number": self.number,
            "receivedAt": self.received_at.isoformat(timespec="milliseconds"),
            "envelopeFrom": self.envelope_from,
            "envelopeRecipients": list(self.envelope_recipients),
            "headers": dict(self.headers),
            "text": self.text,
            "html": self.html,
            "size": self.size,
            "attachments": [attachment.as_dict() for attachment in self.attachments],
        }


def parse(
    raw: bytes,
    *,
    number: int,
    envelope_from: str,
    envelope_recipients: Iterable[str],
    received_at: datetime | None = None,
) -> Received:
    """Parse ``raw`` (the DATA section) into a :class:`Received`.

    Never raises on a malformed message: a mail catcher that refuses odd mail would hide
    exactly the bugs it is there to show, so each field falls back to what can be read.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text_part = _body(message, "plain")
    html_part = _body(message, "html")
    attachments = tuple(
        Attachment(part.get_filename(), part.get_content_type(), len(_payload(part)))
        for part in message.walk()
        if not part.is_multipart() and part is not text_part and part is not html_part
    )
    return Received(
        number=number,
        received_at=received_at or datetime.now(UTC),
        envelope_from=envelope_from,
        envelope_recipients=tuple(envelope_recipients),
        headers={name: _header(message, name) for name in HEADERS},
        text=_text(text_part),
        html=_text(html_part),
        size=len(raw),
        attachments=attachments,
    )


def _header(message: Message, name: str) -> str | None:
    """The first header ``name``, decoded and unfolded; the raw text if it cannot be parsed."""
    try:
        value = message.get(name)
    except Exception:  # the header parser has raised on odd input before
        wanted = name.lower()
        value = next((raw for key, raw in message.raw_items() if key.lower() == wanted), None)
    if value is None:
        return None
    return " ".join(str(value).split()) if name != "Subject" else _unfold(str(value))


def _unfold(value: str) -> str:
    # A subject may hold deliberate double spaces: only the line breaks of folding go, and the
    # space at either end (folding right after "Subject:" leaves one, mail clients drop it).
    return value.replace("\r\n", "").replace("\n", "").strip()


def _body(message: EmailMessage, subtype: str) -> Message | None:
    """The part a mail client would show as the ``text/<subtype>`` body, if there is one."""
    try:
        part = message.get_body(preferencelist=(subtype,))
    except Exception:
        return None
    if part is None or part.get_content_subtype() != subtype:
        return None
    return part


def _payload(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _text(part: Message | None) -> str | None:
    """The decoded text of ``part`` with plain newlines; UTF-8 if its charset is unknown."""
    if part is None:
        return None
    try:
        content = part.get_content() if isinstance(part, EmailMessage) else None
    except (LookupError, ValueError):  # an unknown charset, a broken transfer encoding
        content = None
    if not isinstance(content, str):
        content = _payload(part).decode("utf-8", errors="replace")
    return content.replace("\r\n", "\n")


class Mailbox:
    """The last ``limit`` messages in arrival order, shared by the SMTP and the HTTP threads."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 1:
            raise ValueError("the mailbox must hold at least one message")
        self.limit = limit
        self._changed = threading.Condition()
        self._messages: deque[Received] = deque(maxlen=limit)
        self._next_number = 1

    def add(self, raw: bytes, envelope_from: str, envelope_recipients: Iterable[str]) -> Received:
        """Parse and store one message; wake every :meth:`wait_for`."""
        with self._changed:
            received = parse(
                raw,
                number=self._next_number,
                envelope_from=envelope_from,
                envelope_recipients=envelope_recipients,
            )
            self._next_number += 1
            self._messages.append(received)
            self._changed.notify_all()
            return received

    def all(self) -> list[Received]:
        """Every stored message, oldest first."""
        with self._changed:
            return list(self._messages)

    def get(self, number: int) -> Received | None:
        """The message with ``number``, unless it was never stored or has been pushed out."""
        with self._changed:
            return next((m for m in self._messages if m.number == number), None)

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        """Block until at least ``count`` messages are stored; TimeoutError after ``timeout``."""
        if not 1 <= count <= self.limit:
            raise ValueError(f"count must be between 1 and the mailbox's limit of {self.limit}")
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(
                    f"{len(self._messages)} of {count} messages arrived within {timeout:g} s"
                )
            return list(self._messages)

    def clear(self) -> None:
        """Forget every message; numbering starts again at 1."""
        with self._changed:
            self._messages.clear()
            self._next_number = 1
            self._changed.notify_all()

    def __len__(self) -> int:
        with self._changed:
            return len(self._messages)

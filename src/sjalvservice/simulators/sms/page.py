"""The page a demo user opens to read the SMS the portal sent: ``GET /``, in Swedish.

It aims at WCAG 2.1 AA like the other simulators' pages: ``lang="sv"``, one ``<h1>``, a table
with a caption and column headers, no fixed widths. At 320 px the table scrolls inside a
focusable region of its own (tables are the exception WCAG 1.4.10 allows) while long texts
wrap, so the page itself never scrolls sideways. There is no JavaScript, no external asset
and no automatic refresh (that would move the reader's focus); the CSS is inline, allowed by
its hash in the CSP header. Every value from a request goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from html import escape
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .store import Message

CSS: Final = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff}
body{margin:0}
header{background:#193e4f;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
a{color:#00405f}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid #8a8a8a}
th{background:#f3f6f8}
.text{white-space:pre-wrap;overflow-wrap:anywhere;min-width:12rem}
.nowrap{white-space:nowrap}
.muted{color:#4a4a4a;font-style:italic}
"""

_CSS_HASH: Final = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY: Final = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

STATUS_TEXT: Final = {
    "created": "Mottaget",
    "sent": "Skickat",
    "delivered": "Levererat",
    "failed": "Misslyckades",
}


def _local_zone() -> tuple[tzinfo, str]:
    """Swedish time for a Swedish reader; UTC, said so, on a system without zone data."""
    try:
        return ZoneInfo("Europe/Stockholm"), "svensk tid"
    except ZoneInfoNotFoundError:
        return UTC, "UTC"


LOCAL_TIME, TIME_LABEL = _local_zone()


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _time(created: str) -> str:
    """``created`` (46elks' UTC without an offset) as local time in a ``<time>`` element."""
    try:
        moment = datetime.fromisoformat(created).replace(tzinfo=UTC)
    except ValueError:
        return _e(created)
    local = moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M:%S")
    return f'<time datetime="{_e(moment.isoformat())}">{_e(local)}</time>'


def _row(message: Message) -> str:
    if message.text is None:
        text = '<span class="muted">(texten sparades inte)</span>'
    else:
        text = _e(message.text)
    status = STATUS_TEXT.get(message.status, message.status)
    return (
        "<tr>"
        f'<td class="nowrap">{_time(message.created)}</td>'
        f'<td class="nowrap">{_e(message.to)}</td>'
        f'<td class="nowrap">{_e(message.sender)}</td>'
        f'<td class="text">{text}</td>'
        f"<td>{message.parts}</td>"
        f"<td>{_e(status)}</td>"
        "</tr>"
    )


def messages_page(messages: Sequence[Message]) -> str:
    """The whole page for ``messages`` (in the order received; shown newest first)."""
    title = "SMS-simulatorn – mottagna SMS"
    if messages:
        rows = "".join(_row(message) for message in reversed(messages))
        count = "1 SMS" if len(messages) == 1 else f"{len(messages)} SMS"
        content = (
            '<div class="table-wrap" role="region" aria-labelledby="messages-caption" '
            'tabindex="0">'
            f'<table><caption id="messages-caption">Mottagna SMS, senaste först ({count})'
            "</caption>"
            '<thead><tr><th scope="col">Tid</th><th scope="col">Till</th>'
            '<th scope="col">Från</th><th scope="col">Text</th>'
            '<th scope="col">Delar</th><th scope="col">Status</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
    else:
        content = "<p>Inga SMS har tagits emot ännu.</p>"
    body = (
        f"<h1>{_e(title)}</h1>"
        "<p>Här visas de SMS som portalen har skickat till simulatorn. Inga riktiga SMS "
        f"skickas. Tiderna är i {_e(TIME_LABEL)}.</p>"
        '<p><a href="/">Uppdatera listan</a></p>' + content
    )
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<header><p class="brand">SMS-simulator – inga riktiga SMS skickas</p></header>\n'
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )

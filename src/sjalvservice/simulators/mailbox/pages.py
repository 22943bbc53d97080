"""The mailbox's HTML pages, in Swedish: the list of received messages and one message.

Everything a message brings (headers, text, HTML) is untrusted: every interpolated value goes
through :func:`html.escape`, and the HTML part is never put into the page itself. It is shown
in an ``<iframe sandbox srcdoc="...">``, escaped into the attribute, so it runs in an opaque
origin without scripts, forms or access to the page; links open in a new tab, outside the
sandbox, because following the portal's links is what a demo does with its mail.

A ``srcdoc`` frame inherits the page's Content-Security-Policy. That is why the policy allows
inline styles (mail is styled inline; a hash for the page's own CSS would strip them) and
nothing else: no script, no remote image (no tracking pixel, no request leaving loopback).
The pages aim at WCAG 2.1 AA: one ``<h1>``, a table with column headers, and a layout without
fixed widths that works at 320 px.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Final

from .store import Received

TITLE: Final = "Demons brevlåda – mottagna e-postmeddelanden"
SITE: Final = "Demons brevlåda"

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
# No allow-scripts, no allow-same-origin, no allow-forms: the frame can show and link, no more.
SANDBOX: Final = "allow-popups allow-popups-to-escape-sandbox"

CSS: Final = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff}
body{margin:0}
header{background:#193e4f;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
.brand span{font-weight:400}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
a{color:#00405f}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
code{overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid #767676;
overflow-wrap:anywhere}
thead th{border-bottom-width:2px}
dl{margin:0}
dt{font-weight:600;margin-top:.5rem}
dd{margin:0;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,Menlo,Consolas,
monospace;font-size:.95rem;background:#f3f6f8;border-left:4px solid #00405f;
padding:.5rem 1rem;margin:0}
iframe{display:block;width:100%;height:70vh;min-height:20rem;border:2px solid #1a1a1a;
background:#fff}
details{margin-top:1rem}
summary{cursor:pointer;color:#00405f;font-weight:600}
.hint{color:#4a4a4a}
"""

# http(s) links in the text part become links; trailing punctuation is the sentence's.
_URL: Final = re.compile(r"https?://[^\s<>\"']+")
_TRAILING: Final = ".,;:!?)]}"
# A language tag worth putting in a lang attribute (BCP 47 shape, not validated further).
_LANGUAGE: Final = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def layout(title: str, body: str) -> str:
    """Wrap ``body`` (already escaped HTML) in the common page."""
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header><p class="brand">{SITE} <span>– simulator, inget skickas vidare</span></p>'
        f'</header>\n<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _time(moment: datetime) -> str:
    local = moment.astimezone()
    return (
        f'<time datetime="{_e(moment.isoformat(timespec="seconds"))}">'
        f"{_e(local.strftime('%Y-%m-%d %H:%M:%S'))}</time>"
    )


def _recipients(message: Received) -> str:
    return message.headers.get("To") or ", ".join(message.envelope_recipients)


def _subject(message: Received) -> str:
    return message.subject or "(inget ämne)"


def _language(message: Received) -> str:
    """A ``lang`` attribute for what the message wrote, from its Content-Language."""
    header = (message.headers.get("Content-Language") or "").split(",")[0].strip()
    return f' lang="{_e(header)}"' if _LANGUAGE.fullmatch(header) else ""


def message_path(message: Received) -> str:
    return f"/messages/{message.number}"


def list_page(messages: Sequence[Received], smtp_address: str, limit: int) -> str:
    """``GET /``: every stored message, newest first."""
    intro = (
        f"<h1>{_e(TITLE)}</h1>\n"
        "<p>Här visas e-post som har skickats till demons SMTP-server på "
        f"<code>{_e(smtp_address)}</code>. Ingenting skickas vidare. Brevlådan sparar de "
        f"senaste {limit} meddelandena i minnet tills den startas om.</p>\n"
        '<p><a href="/">Uppdatera listan</a></p>\n'
    )
    if not messages:
        return layout(TITLE, intro + "<p>Inga meddelanden har tagits emot ännu.</p>")
    rows = "\n".join(
        "<tr>"
        f"<td>{_time(message.received_at)}</td>"
        f"<td>{_e(_recipients(message))}</td>"
        f'<td><a href="{_e(message_path(message))}"{_language(message)}>'
        f"{_e(_subject(message))}</a></td>"
        "</tr>"
        for message in reversed(messages)
    )
    count = "1 meddelande" if len(messages) == 1 else f"{len(messages)} meddelanden"
    table = (
        f"<table>\n<caption>{count}, det senaste först</caption>\n"
        '<thead><tr><th scope="col">Mottaget</th><th scope="col">Till</th>'
        '<th scope="col">Ämne</th></tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>"
    )
    return layout(TITLE, intro + table)


def _linkify(text: str) -> str:
    """Escape ``text``, turning its http(s) URLs into links (a demo follows them)."""
    parts: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(_e(text[position : match.start()]))
        parts.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        position = end
    parts.append(_e(text[position:]))
    return "".join(parts)


def _size(size: int) -> str:
    return f"{size:,}".replace(",", "\u00a0") + "\u00a0byte"


def message_page(message: Received) -> str:
    """``GET /messages/<n>``: headers, envelope, the text part, the HTML part sandboxed."""
    headers = message.headers
    fields: list[tuple[str, str | None]] = [
        ("Från (From)", headers.get("From")),
        ("Till (To)", headers.get("To")),
        ("Kopia (Cc)", headers.get("Cc")),
        ("Svara till (Reply-To)", headers.get("Reply-To")),
        ("Ämne (Subject)", headers.get("Subject")),
        ("Datum (Date)", headers.get("Date")),
        ("Meddelande-id (Message-ID)", headers.get("Message-ID")),
        ("Avregistrering (List-Unsubscribe)", headers.get("List-Unsubscribe")),
        ("Språk (Content-Language)", headers.get("Content-Language")),
        ("Kuvertets avsändare (MAIL FROM)", message.envelope_from),
        ("Kuvertets mottagare (RCPT TO)", ", ".join(message.envelope_recipients)),
        ("Storlek", _size(message.size)),
    ]
    listed = "\n".join(
        f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in fields if value
    )
    language = _language(message)
    parts = [
        '<p><a href="/">← Alla meddelanden</a></p>',
        f"<h1{language}>{_e(_subject(message))}</h1>",
        f"<dl>\n<dt>Mottaget</dt><dd>{_time(message.received_at)}</dd>\n{listed}\n</dl>",
        "<h2>Textversion</h2>",
    ]
    if message.text is None:
        parts.append("<p>Meddelandet har ingen textversion.</p>")
    else:
        parts.append(f"<pre{language}>{_linkify(message.text)}</pre>")
    parts.append("<h2>HTML-version</h2>")
    if message.html is None:
        parts.append("<p>Meddelandet har ingen HTML-version.</p>")
    else:
        document = '<base target="_blank">' + message.html
        parts.extend(
            [
                '<p class="hint">Visas i en skyddad ram: skript körs inte och bilder från '
                "internet hämtas inte. Länkar öppnas i en ny flik.</p>",
                f'<iframe sandbox="{SANDBOX}" title="HTML-versionen av meddelandet" '
                f'srcdoc="{_e(document)}"></iframe>',
                f"<details><summary>HTML-källkod</summary><pre>{_e(message.html)}</pre></details>",
            ]
        )
    if message.attachments:
        items = "\n".join(
            f"<li>{_e(part.filename or '(utan namn)')} ({_e(part.content_type)}, "
            f"{_size(part.size)})</li>"
            for part in message.attachments
        )
        parts.append(f"<h2>Bilagor och andra delar</h2>\n<ul>\n{items}\n</ul>")
    return layout(f"{_subject(message)} – {SITE}", "\n".join(parts))


def not_found_page() -> str:
    body = (
        "<h1>Meddelandet finns inte</h1>\n"
        "<p>Det har aldrig tagits emot, eller så har brevlådan tömts eller startats om "
        "sedan dess.</p>\n"
        '<p><a href="/">Alla meddelanden</a></p>'
    )
    return layout(f"Meddelandet finns inte – {SITE}", body)


def method_not_allowed_page() -> str:
    body = "<h1>Metoden stöds inte</h1>\n<p>Sidorna kan bara läsas (GET).</p>"
    return layout(f"Metoden stöds inte – {SITE}", body)

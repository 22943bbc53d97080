"""The case-management system's page, ``GET /``, in Swedish: the cases it holds, with a
form per case to ask for a supplement or to close it.

Like the other simulators' pages it aims at WCAG 2.1 AA: ``lang="sv"``, one ``<h1>``,
labelled fields, no script, the CSS inline and allowed by its hash. Every value goes
through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .server import Held

CSS: Final = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff}
body{margin:0}
header{background:#3d2f4f;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem;overflow-wrap:anywhere}
section{border-top:1px solid #8a8a8a;padding-bottom:1rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
textarea{width:100%;font:inherit;padding:.25rem;border:2px solid #1a1a1a}
button{font:inherit;margin:.5rem .5rem 0 0;padding:.4rem .9rem;border:2px solid #3d2f4f;
background:#3d2f4f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#3d2f4f}
a{color:#00405f}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
.error{color:#b00020;font-weight:600}
"""

_CSS_HASH: Final = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY: Final = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _case(case: Held) -> str:
    number = int(case.number)
    error = (
        f'<p class="error">Senaste anropet misslyckades: {_e(case.error)}</p>' if case.error else ""
    )
    return (
        f'<section aria-labelledby="arende-{number}">'
        f'<h2 id="arende-{number}">Ärende {number}: {_e(case.identifier)}</h2>'
        f"<p>Status i portalen: {_e(case.status or 'okänd')}</p>{error}"
        f'<form method="post" action="/arenden/{number}/komplettering">'
        f'<label for="meddelande-{number}">Vad ska invånaren komplettera?</label>'
        f'<textarea id="meddelande-{number}" name="meddelande" rows="3" required></textarea>'
        "<button>Begär komplettering</button></form>"
        f'<form method="post" action="/arenden/{number}/avsluta">'
        '<button class="secondary">Avsluta ärendet</button></form>'
        "</section>"
    )


def cases_page(cases: Sequence[Held]) -> str:
    title = "Ärendesystemet – simulerat verksamhetssystem"
    content = "".join(_case(case) for case in cases) or (
        "<p>Inga ärenden ännu. Skicka in ett ärende i portalen, så tas det emot här.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<header><p class="brand">Simulerat verksamhetssystem</p></header>\n'
        f'<main id="main">\n<h1>{_e(title)}</h1>\n'
        "<p>Det här systemet tar emot portalens nya ärenden genom integrations-API:et, ger "
        'dem ett eget id och sätter dem som Under behandling. <a href="/">Uppdatera</a></p>\n'
        f"{content}\n</main>\n</body>\n</html>\n"
    )

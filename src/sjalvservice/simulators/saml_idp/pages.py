"""The IdP's pages, in Swedish: the login page, the BankID wait pages, the page that posts the
Response to the SP, and error pages.

They aim at WCAG 2.1 AA like the other simulators' pages (checked with axe-core): ``lang="sv"``,
one ``<h1>``, named controls that work by keyboard, visible focus, no fixed widths (they reflow
at 320 px). The CSS is inline and allowed by its hash; the one script is served from
``/static/idp.js`` (``script-src 'self'``) and only improves pages that work without it: it
refreshes the QR code and follows the login's progress, and submits the Response form, which
has a visible "Fortsätt" button too. Every interpolated value goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Final
from urllib.parse import quote

from .saml import Delivery

CSS: Final = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff}
body{margin:0}
header{background:#193e4f;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
.brand span{font-weight:400}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
fieldset{border:0;padding:0;margin:0 0 1rem;min-width:0}
legend{font-weight:600;margin-bottom:.5rem}
.buttons{display:flex;flex-wrap:wrap;align-items:flex-start;gap:.5rem;margin:0 0 1rem}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.6rem 1.2rem;
border:2px solid #00405f;border-radius:4px;background:#00405f;color:#fff;cursor:pointer;
text-decoration:none;margin:0}
button.secondary{background:#fff;color:#00405f}
form{margin:0 0 1rem}
a{color:#00405f}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
.alert{border:3px solid #b00020;padding:.75rem 1rem;margin:0 0 1.5rem}
.notice{border-left:4px solid #00405f;background:#f3f6f8;padding:.5rem 1rem;margin:0 0 1rem}
.qr{max-width:16rem;margin:0 0 1rem}
.qr svg{display:block;width:100%;height:auto;background:#fff}
.muted{color:#4a4a4a}
code{overflow-wrap:anywhere}
"""

_CSS_HASH: Final = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")
_BASE_POLICY: Final = (
    f"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'sha256-{_CSS_HASH}'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# The IdP's own pages post only to the IdP.
CONTENT_SECURITY_POLICY: Final = f"{_BASE_POLICY}; form-action 'self'"
# The page that posts the Response has no form-action directive on purpose: Chrome applies it
# to the redirects that follow the post too, and the SP's ACS redirects onward.
RESPONSE_PAGE_POLICY: Final = _BASE_POLICY

SCRIPT: Final = """(function () {
  "use strict";
  var form = document.getElementById("saml-response");
  if (form) {
    form.submit();
    return;
  }
  var wait = document.getElementById("wait");
  if (!wait || !window.fetch) {
    return;
  }
  var statusUrl = wait.getAttribute("data-status");
  var qr = document.getElementById("qr");
  var message = document.getElementById("message");
  var testApp = document.getElementById("test-app");
  function poll() {
    fetch(statusUrl, {cache: "no-store", credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.done) {
          window.location.assign(status.next);
          return;
        }
        if (qr && status.qrSvg) {
          qr.innerHTML = status.qrSvg;
        }
        if (testApp && status.testAppUrl) {
          testApp.href = status.testAppUrl;
        }
        if (message && status.message && message.textContent !== status.message) {
          message.textContent = status.message;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 1000);
})();
"""

INTRO: Final = (
    "Du kommer att legitimera dig hos {region}. Detta beror på att kommunerna i regionen "
    "samarbetar med varandra om e-tjänster."
)
NOT_CONNECTED: Final = (
    "BankID är inte anslutet till den här simulerade inloggningen, så det går inte att "
    "legitimera sig just nu. Starta simulatorn med BankID-inställningarna (--bankid-api med "
    "flera) eller välj Avbryt för att gå tillbaka till tjänsten."
)
START_OVER: Final = "Gå tillbaka till tjänsten och logga in igen."


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def layout(title: str, body: str, region: str, *, script: bool = False) -> str:
    """Wrap ``body`` (already escaped HTML) in the common page."""
    script_tag = '<script src="/static/idp.js" defer></script>\n' if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)} – {_e(region)}</title>\n<style>{CSS}</style>\n{script_tag}</head>\n"
        f'<body>\n<header><p class="brand">{_e(region)} <span>– e-legitimering, simulator'
        "</span></p></header>\n"
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{_e(name)}" value="{_e(value)}">'


def login_page(key: str, region: str, *, bankid_connected: bool, error: str | None = None) -> str:
    """The choice of how to identify: Mobilt BankID, BankID on this device, or cancel."""
    parts = [f"<h1>Logga in hos {_e(region)}</h1>", f"<p>{_e(INTRO.format(region=region))}</p>"]
    if error:
        parts.append(f'<div class="alert" role="alert"><p>{_e(error)}</p></div>')
    elif not bankid_connected:
        parts.append(f'<p class="notice">{_e(NOT_CONNECTED)}</p>')
    parts.append(
        '<form method="post" action="/login">'
        + _hidden("key", key)
        + '<fieldset aria-describedby="choice-hint"><legend>Välj hur du vill legitimera dig'
        "</legend>"
        '<p id="choice-hint" class="muted">Mobilt BankID: med BankID-appen i en annan mobil '
        "eller surfplatta. BankID: med BankID på den här enheten.</p>"
        '<div class="buttons">'
        '<button type="submit" name="val" value="mobilt-bankid">Mobilt BankID</button>'
        '<button type="submit" name="val" value="bankid">BankID</button>'
        '<button type="submit" name="val" value="avbryt" class="secondary">Avbryt</button>'
        "</div></fieldset></form>"
    )
    return layout(f"Logga in hos {region}", "\n".join(parts), region)


def _progress_controls(key: str) -> str:
    return (
        f'<form method="get" action="/wait/{quote(key, safe="")}">'
        '<button type="submit">Jag har legitimerat mig</button></form>'
        '<form method="post" action="/cancel">'
        + _hidden("key", key)
        + '<button type="submit" class="secondary">Avbryt</button></form>'
    )


def qr_page(key: str, region: str, *, message: str, svg: str, test_app_url: str) -> str:
    """Mobilt BankID: the animated QR code, refreshed every second by the script."""
    status = f"/status/{quote(key, safe='')}"
    body = (
        "<h1>Legitimera dig med Mobilt BankID</h1>"
        f'<div id="wait" data-status="{_e(status)}">'
        f'<p id="message" role="status">{_e(message)}</p>'
        "<ol><li>Öppna BankID-appen i mobilen.</li>"
        "<li>Tryck på QR-ikonen i appen.</li>"
        "<li>Rikta kameran mot QR-koden här nedanför.</li></ol>"
        f'<div id="qr" class="qr" role="img" aria-label="QR-kod att läsa av med BankID-appen">'
        f"{svg}</div>"
        f'<p><a id="test-app" href="{_e(test_app_url)}">Läs av QR-koden med Test-BankID</a> '
        '<span class="muted">(simulatorns BankID-app; länken följer QR-koden)</span></p>'
        + _progress_controls(key)
        + "</div>"
    )
    return layout("Legitimera dig med Mobilt BankID", body, region, script=True)


def autostart_page(key: str, region: str, *, message: str, autostart_url: str) -> str:
    """BankID on this device: the link that starts the app, which returns here afterwards."""
    status = f"/status/{quote(key, safe='')}"
    body = (
        "<h1>Legitimera dig med BankID</h1>"
        f'<div id="wait" data-status="{_e(status)}">'
        f'<p id="message" role="status">{_e(message)}</p>'
        f'<p><a class="button" id="autostart" href="{_e(autostart_url)}">Öppna BankID</a></p>'
        "<p>BankID-appen öppnas och du kommer tillbaka hit när du har legitimerat dig.</p>"
        + _progress_controls(key)
        + "</div>"
    )
    return layout("Legitimera dig med BankID", body, region, script=True)


def response_page(delivery: Delivery, region: str) -> str:
    """The form that posts the Response to the SP's ACS; it submits itself when it can."""
    relay = _hidden("RelayState", delivery.relay_state) if delivery.relay_state is not None else ""
    body = (
        "<h1>Du skickas tillbaka till tjänsten</h1>"
        "<p>Om ingenting händer, välj Fortsätt.</p>"
        f'<form id="saml-response" method="post" action="{_e(delivery.acs)}">'
        + _hidden("SAMLResponse", delivery.saml_response)
        + relay
        + '<button type="submit">Fortsätt</button></form>'
    )
    return layout("Du skickas tillbaka till tjänsten", body, region, script=True)


def message_page(title: str, message: str, region: str, *, hint: str | None = None) -> str:
    """A page that says why something could not be done."""
    extra = f"<p>{_e(hint)}</p>" if hint else ""
    body = f'<h1>{_e(title)}</h1><div class="alert" role="alert"><p>{_e(message)}</p></div>{extra}'
    return layout(title, body, region)


def home_page(region: str, *, entity_id: str, metadata_url: str) -> str:
    """``GET /``: what this is, for people trying the portal out."""
    body = (
        f"<h1>Simulerad e-legitimering för {_e(region)}</h1>"
        "<p>Här loggar invånarna in när de provar portalen. Ingen riktig legitimering görs: "
        "inloggningen går via BankID-simulatorn.</p>"
        f"<p>Entity ID: <code>{_e(entity_id)}</code></p>"
        f'<p><a href="{_e(metadata_url)}">Identitetsutgivarens metadata</a></p>'
    )
    return layout(f"Simulerad e-legitimering för {region}", body, region)

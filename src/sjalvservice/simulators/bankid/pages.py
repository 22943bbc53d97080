"""HTML of the simulated BankID app ("Test-BankID"), in Swedish.

The pages aim at WCAG 2.1 AA and are checked with axe-core: one ``<h1>`` per page, a label for
every field, errors both in a ``role="alert"`` summary and next to their field (linked with
``aria-describedby``), visible focus, and a layout that works at 320 px. There is no JavaScript
and no external asset; the only CSS is inline and allowed by its hash in the CSP header.
Every interpolated value goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from .orders import Order
from .persons import TEST_PERSONS

CSS = """
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff}
body{margin:0}
header{background:#193e4f;color:#fff;padding:.75rem 1rem}
.brand{margin:0;font-weight:700}
.brand span{font-weight:400}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
label,legend{display:block;font-weight:600}
.hint{color:#4a4a4a;margin:.25rem 0}
input[type=text],textarea{display:block;width:100%;font:inherit;padding:.5rem;
border:2px solid #1a1a1a;border-radius:4px;margin:.25rem 0 1rem}
textarea{overflow-wrap:anywhere}
fieldset{border:0;padding:0;margin:0 0 1rem;min-width:0}
.choice{display:flex;gap:.5rem;align-items:center;margin:.5rem 0}
.choice input{width:1.5rem;height:1.5rem;margin:0;flex:none}
.choice label{font-weight:400}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:2px solid #00405f;
border-radius:4px;background:#00405f;color:#fff;cursor:pointer;margin:0 .5rem .5rem 0}
button.secondary{background:#fff;color:#00405f}
a{color:#00405f}
:focus-visible{outline:3px solid #c2410c;outline-offset:2px}
.error-summary{border:3px solid #b00020;padding:1rem;margin:0 0 1.5rem}
.error-summary h2{margin-top:0}
.error-summary a{color:#b00020;font-weight:600}
.error{color:#b00020;font-weight:600;margin:.25rem 0}
.invalid input[type=text],.invalid textarea{border-color:#b00020}
.visible-data{white-space:pre-wrap;overflow-wrap:anywhere;border-left:4px solid #00405f;
padding:.5rem 1rem;background:#f3f6f8}
.nowrap{white-space:nowrap}
.buttons{display:flex;flex-wrap:wrap;align-items:flex-start}
"""

_CSS_HASH = base64.b64encode(hashlib.sha256(CSS.encode("utf-8")).digest()).decode("ascii")

# No form-action directive on purpose: Chrome applies it to the redirect after a form post,
# which would block the 303 to the RP's returnUrl.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; base-uri 'none'; frame-ancestors 'none'"
)

OTHER_PERSON = "annan"
NUMBER_HINT = "12 siffror, ÅÅÅÅMMDDNNNN."
DONE_TEXT = "Klart. Gå tillbaka till webbläsaren där du loggar in."


@dataclass
class Form:
    """Submitted values and per-field error messages, in the order the fields appear."""

    values: Mapping[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def layout(title: str, body: str, *, has_errors: bool = False) -> str:
    """Wrap ``body`` (already escaped HTML) in the common page."""
    prefix = "Fel: " if has_errors else ""
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(prefix + title)} – Test-BankID</title>\n<style>{CSS}</style>\n</head>\n"
        '<body>\n<header><p class="brand">Test-BankID <span>– simulator, inte riktigt BankID'
        "</span></p></header>\n"
        f'<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _error_summary(form: Form, anchors: Mapping[str, str]) -> str:
    if not form.errors:
        return ""
    items = "".join(
        f'<li><a href="#{_e(anchors.get(name, name))}">{_e(message)}</a></li>'
        for name, message in form.errors.items()
    )
    return (
        '<div class="error-summary" role="alert" aria-labelledby="error-summary-title">'
        '<h2 id="error-summary-title">Det finns ett problem</h2>'
        f"<ul>{items}</ul></div>"
    )


def _field(
    form: Form,
    name: str,
    label: str,
    *,
    hint: str | None = None,
    textarea: bool = False,
    numeric: bool = False,
) -> str:
    """A labelled text field with its hint and error wired up through aria-describedby."""
    described = []
    parts = [f'<label for="{name}">{_e(label)}</label>']
    if hint:
        parts.append(f'<p class="hint" id="{name}-hint">{_e(hint)}</p>')
        described.append(f"{name}-hint")
    error = form.errors.get(name)
    if error:
        parts.append(f'<p class="error" id="{name}-error">Fel: {_e(error)}</p>')
        described.append(f"{name}-error")
    attributes = f'id="{name}" name="{name}"'
    if described:
        attributes += f' aria-describedby="{" ".join(described)}"'
    if error:
        attributes += ' aria-invalid="true"'
    value = form.values.get(name, "")
    if textarea:
        parts.append(f'<textarea {attributes} rows="4" spellcheck="false">{_e(value)}</textarea>')
    else:
        extra = ' inputmode="numeric"' if numeric else ""
        parts.append(
            f'<input type="text" {attributes} value="{_e(value)}" autocomplete="off"{extra}>'
        )
    css_class = "field invalid" if error else "field"
    return f'<div class="{css_class}">{"".join(parts)}</div>'


def _hidden(order: Order) -> str:
    return (
        f'<input type="hidden" name="order" value="{_e(order.app_id)}">'
        f'<input type="hidden" name="token" value="{_e(order.form_token)}">'
    )


def _cancel_form(order: Order) -> str:
    return (
        f'<form method="post" action="/cancel-order">{_hidden(order)}'
        '<button type="submit" class="secondary">Avbryt</button></form>'
    )


def _number(personal_number: str) -> str:
    """ÅÅÅÅMMDD-NNNN, escaped."""
    return _e(f"{personal_number[:8]}-{personal_number[8:]}")


def home_page(form: Form | None = None) -> str:
    """The start page: paste the QR code's text, or fetch a phone order."""
    form = form or Form()
    body = (
        "<h1>Test-BankID</h1>"
        "<p>Det här är en simulator av BankID-appen för utveckling och test. Ingen riktig "
        "legitimering sker och bara testpersonnummer används.</p>"
        + _error_summary(form, {})
        + '<h2 id="qr-heading">Läs av QR-kod</h2>'
        '<form method="post" action="/scan" novalidate aria-labelledby="qr-heading">'
        + _field(
            form,
            "qr",
            "QR-kodens innehåll",
            hint="Klistra in texten som QR-koden innehåller. Den börjar med bankid.",
            textarea=True,
        )
        + '<button type="submit">Läs av QR-kod</button></form>'
        '<h2 id="phone-heading">Telefonärende</h2>'
        "<p>Om tjänsten har startat en identifiering under ett telefonsamtal kan du hämta den "
        "med personnumret.</p>"
        '<form method="post" action="/phone" novalidate aria-labelledby="phone-heading">'
        + _field(
            form, "personnummer", "Personnummer", hint="12 siffror, ÅÅÅÅMMDDNNNN.", numeric=True
        )
        + '<button type="submit">Hämta telefonärende</button></form>'
        "<p>Med BankID på den här enheten öppnar tjänsten simulatorn själv via en startlänk.</p>"
    )
    return layout("Test-BankID", body, has_errors=bool(form.errors))


def _visible_data(order: Order) -> str:
    text = order.visible_text
    if not text:
        return ""
    return f'<h2>Meddelande från tjänsten</h2><div class="visible-data">{_e(text)}</div>'


def identify_page(order: Order, form: Form | None = None) -> str:
    """Choose who identifies (or signs), then "Legitimera" or "Avbryt"."""
    form = form or Form()
    title = "Skriv under" if order.is_sign else "Legitimera dig"
    required = order.required_personal_number
    chosen = form.values.get("person", "")
    if not chosen and required is not None:
        # Pre-select the requested person when it is one of the test persons: saves a click.
        chosen = required
    anchors = {"person": "person-1"}
    intro = (
        "<p>Tjänsten vill att du skriver under. Välj vem du är och tryck på Legitimera.</p>"
        if order.is_sign
        else "<p>Tjänsten vill att du legitimerar dig. Välj vem du är och tryck på Legitimera.</p>"
    )
    if required is not None:
        intro += (
            "<p>Tjänsten har begärt att personen med personnummer "
            f'<span class="nowrap">{_number(required)}</span> legitimerar sig.</p>'
        )
    person_error = form.errors.get("person")
    fieldset_attributes = ""
    error_html = ""
    if person_error:
        fieldset_attributes = ' aria-describedby="person-error"'
        error_html = f'<p class="error" id="person-error">Fel: {_e(person_error)}</p>'
    choices = []
    # Labels are built from escaped parts; the number must not break across lines at 320 px.
    options = [
        (
            p.personal_number,
            f'{_e(p.name)}, <span class="nowrap">{_number(p.personal_number)}</span>',
        )
        for p in TEST_PERSONS
    ]
    options.append((OTHER_PERSON, "Annan person"))
    for index, (value, label_html) in enumerate(options, start=1):
        checked = " checked" if value == chosen else ""
        choices.append(
            f'<div class="choice"><input type="radio" id="person-{index}" name="person" '
            f'value="{_e(value)}"{checked}><label for="person-{index}">{label_html}</label></div>'
        )
    body = (
        f"<h1>{_e(title)}</h1>"
        + _error_summary(form, anchors)
        + f"{intro}{_visible_data(order)}"
        + f'<form method="post" action="/identify" novalidate>{_hidden(order)}'
        f"<fieldset{fieldset_attributes}><legend>Vem är du?</legend>{error_html}"
        + "".join(choices)
        + "</fieldset><fieldset><legend>Uppgifter om annan person</legend>"
        '<p class="hint">Fyll bara i om du har valt Annan person.</p>'
        + _field(
            form, "personnummer", "Personnummer", hint="12 siffror, ÅÅÅÅMMDDNNNN.", numeric=True
        )
        + _field(form, "fornamn", "Förnamn")
        + _field(form, "efternamn", "Efternamn")
        + '</fieldset><div class="buttons"><button type="submit">Legitimera</button></div></form>'
        + _cancel_form(order)
    )
    return layout(title, body, has_errors=bool(form.errors))


def call_page(order: Order) -> str:
    """Phone orders: the user confirms that they are talking to the service right now."""
    who = (
        "Du ringde upp tjänsten." if order.call_initiator == "user" else "Tjänsten ringde upp dig."
    )
    action = "skriva under" if order.is_sign else "legitimera dig"
    body = (
        "<h1>Bekräfta samtal</h1>"
        f"<p>Tjänsten vill att du ska {action} under ett pågående telefonsamtal. {_e(who)}</p>"
        + _visible_data(order)
        + "<p>Pratar du med tjänsten i telefon just nu?</p>"
        f'<form method="post" action="/call" class="buttons">{_hidden(order)}'
        '<button type="submit" name="svar" value="ja">Ja, jag pratar med tjänsten</button>'
        '<button type="submit" name="svar" value="nej" class="secondary">Nej</button></form>'
    )
    return layout("Bekräfta samtal", body)


def mrtd_page(order: Order) -> str:
    """Step-up with requirement.mrtd: the user "scans" a passport or national ID card."""
    body = (
        "<h1>Läs av ID-handling</h1>"
        "<p>Fotografera och läs av din ID-handling med BankID-appen.</p>"
        "<p>I simulatorn räcker det att trycka på knappen.</p>"
        f'<form method="post" action="/mrtd">{_hidden(order)}'
        '<button type="submit">Läs av ID-handling</button></form>' + _cancel_form(order)
    )
    return layout("Läs av ID-handling", body)


def message_page(title: str, message: str, *, link_home: bool = True) -> str:
    """A page with a heading, one message and optionally a link back to the start page."""
    link = '<p><a href="/">Till startsidan för Test-BankID</a></p>' if link_home else ""
    return layout(title, f"<h1>{_e(title)}</h1><p>{_e(message)}</p>{link}")


def done_page() -> str:
    """Shown after "Legitimera" when there is nowhere to redirect to."""
    return message_page("Klart", DONE_TEXT, link_home=False)


def cancelled_page() -> str:
    """Shown after "Avbryt" (or "Nej" to the phone call)."""
    return message_page("Avbrutet", "Åtgärden avbröts. Gå tillbaka till tjänsten.", link_home=False)

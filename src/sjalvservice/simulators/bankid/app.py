"""The plain-HTTP listener: the "Test-BankID" app pages and the control API.

The app flow mirrors the real app: pick up an order (scan the QR code, follow the autostart
link, or fetch a phone order), confirm the call or scan the ID document when required, choose
who you are and press "Legitimera". Every state change is a POST answered with 303 See Other,
so reloading a page never repeats an action.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, quote, urlsplit

from . import pages
from .control import PREFIX as CONTROL_PREFIX
from .control import handle_control
from .http_base import BaseHandler, media_type
from .orders import AppError, Order, Step
from .pages import OTHER_PERSON, Form
from .persons import TEST_PERSONS, Person, is_twelve_digits, luhn_ok

MAX_NAME = 100
HTML_HEADERS = {
    "Content-Security-Policy": pages.CONTENT_SECURITY_POLICY,
    # The order page URL holds the order's app id; do not hand it to the RP's returnUrl.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Characters kept as they are when a redirect target is put in a Location header; everything
# else (including CR and LF, which would split the header) is percent-encoded.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def normalise_personal_number(value: str) -> str:
    """Accept ``ÅÅÅÅMMDD-NNNN`` and stray spaces as well as the bare 12 digits."""
    return value.replace("-", "").replace(" ", "").strip()


def _http_url(value: str | None) -> str | None:
    if not value or value == "null":
        return None
    # Only web addresses: a javascript: or data: returnUrl must not be followed.
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        return None
    return quote(value, safe=URL_SAFE)


class AppHandler(BaseHandler):
    """Routes the app pages and ``/_control/``."""

    def do_GET(self) -> None:
        """Pages, the autostart link and control reads."""
        self._dispatch()

    def do_POST(self) -> None:
        """Forms and control actions."""
        self._dispatch()

    def _dispatch(self) -> None:
        body = self.read_body()
        url = urlsplit(self.path)
        if url.path.startswith(CONTROL_PREFIX):
            self._control(url.path, body)
            return
        if body is None:
            self._page(413, pages.message_page("Det gick inte", "Formuläret är för stort."))
            return
        try:
            if self.command == "GET":
                self._get(url.path, parse_qs(url.query))
            elif url.path in FORM_ROUTES:
                if media_type(self.headers.get("Content-Type")) != (
                    "application/x-www-form-urlencoded"
                ):
                    raise AppError("Formuläret skickades i ett okänt format.", status=415)
                fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
                FORM_ROUTES[url.path](self, {k: v[0] for k, v in fields.items()})
            else:
                raise AppError("Sidan finns inte.", status=404)
        except AppError as error:
            self._page(error.status, pages.message_page("Det gick inte", error.message))
        except (UnicodeDecodeError, ValueError):
            self._page(400, pages.message_page("Det gick inte", "Formuläret kunde inte läsas."))

    def _control(self, path: str, body: bytes | None) -> None:
        if self.refuse_cross_origin():
            return
        status, payload = handle_control(self.server.simulator, self.command, path, body)
        self.send_json(status, payload)

    def _page(self, status: int, html: str) -> None:
        self.send(status, html.encode("utf-8"), "text/html; charset=utf-8", HTML_HEADERS)

    def _see_other(self, location: str) -> None:
        self.send(303, b"", "text/plain; charset=utf-8", {"Location": location})

    def _order_page(self, order: Order) -> None:
        self._see_other(f"/order/{quote(order.app_id, safe='')}")

    # -- GET ------------------------------------------------------------------------------

    def _get(self, path: str, query: Mapping[str, list[str]]) -> None:
        if path == "/":
            qr = query.get("qr", [""])[0]
            if qr:
                # A QR code handed over as a link: the demo's stand-in for the camera.
                self._scan({"qr": qr})
                return
            token = query.get("autostarttoken", [""])[0]
            if not token:
                self._page(200, pages.home_page())
                return
            redirect = query.get("redirect", [""])[0] or None
            order = self.server.simulator.orders.pick_up_by_autostart_token(token, redirect)
            self._order_page(order)
            return
        if path.startswith("/order/"):
            order, step = self.server.simulator.orders.open_form(path.removeprefix("/order/"))
            self._step_page(order, step)
            return
        raise AppError("Sidan finns inte.", status=404)

    def _step_page(self, order: Order, step: Step, form: Form | None = None) -> None:
        if step == "call":
            self._page(200, pages.call_page(order))
        elif step == "mrtd":
            self._page(200, pages.mrtd_page(order))
        else:
            self._page(400 if form and form.errors else 200, pages.identify_page(order, form))

    # -- POST -----------------------------------------------------------------------------

    def _scan(self, fields: dict[str, str]) -> None:
        try:
            order = self.server.simulator.orders.scan(fields.get("qr", ""))
        except AppError as error:
            form = Form(values=fields, errors={error.field or "qr": error.message})
            self._page(error.status, pages.home_page(form))
            return
        self._order_page(order)

    def _phone(self, fields: dict[str, str]) -> None:
        number = normalise_personal_number(fields.get("personnummer", ""))
        try:
            if not is_twelve_digits(number):
                raise AppError("Skriv personnumret med 12 siffror.", field="personnummer")
            order = self.server.simulator.orders.pick_up_phone(number)
        except AppError as error:
            form = Form(values=fields, errors={error.field or "personnummer": error.message})
            self._page(error.status, pages.home_page(form))
            return
        self._order_page(order)

    def _call(self, fields: dict[str, str]) -> None:
        in_call = fields.get("svar") == "ja"
        order = self.server.simulator.orders.answer_call(
            fields.get("order", ""), fields.get("token", ""), in_call=in_call
        )
        if in_call:
            self._order_page(order)
        else:
            self._page(200, pages.cancelled_page())

    def _mrtd(self, fields: dict[str, str]) -> None:
        orders = self.server.simulator.orders
        self._order_page(orders.confirm_mrtd(fields.get("order", ""), fields.get("token", "")))

    def _cancel(self, fields: dict[str, str]) -> None:
        orders = self.server.simulator.orders
        orders.user_cancel(fields.get("order", ""), fields.get("token", ""))
        self._page(200, pages.cancelled_page())

    def _identify(self, fields: dict[str, str]) -> None:
        orders = self.server.simulator.orders
        app_id, token = fields.get("order", ""), fields.get("token", "")
        order, step = orders.form_snapshot(app_id, token)
        person, form = _chosen_person(fields)
        if person is None:
            self._step_page(order, step, form)
            return
        try:
            order = orders.identify(app_id, token, person, self.client_address[0])
        except AppError as error:
            if error.field is None:
                raise
            # The requested person differs: say so next to the field the user filled in.
            name = "personnummer" if fields.get("person") == OTHER_PERSON else error.field
            self._step_page(order, step, Form(values=fields, errors={name: error.message}))
            return
        target = None
        if order.picked_up_via == "autostart":
            # returnUrl from the /auth call wins over the launch link's redirect parameter.
            target = _http_url(order.return_url) or _http_url(order.autostart_redirect)
        if target:
            self._see_other(target)
        else:
            self._page(200, pages.done_page())


def _chosen_person(fields: dict[str, str]) -> tuple[Person | None, Form]:
    """The person chosen on the identify form, or None and the form with its errors."""
    form = Form(values=fields)
    choice = fields.get("person", "")
    known = next((p for p in TEST_PERSONS if p.personal_number == choice), None)
    if known is not None:
        return known, form
    if choice != OTHER_PERSON:
        form.errors["person"] = "Välj vem du är."
        return None, form
    number = normalise_personal_number(fields.get("personnummer", ""))
    given = fields.get("fornamn", "").strip()
    surname = fields.get("efternamn", "").strip()
    if not is_twelve_digits(number):
        form.errors["personnummer"] = "Skriv personnumret med 12 siffror."
    elif not luhn_ok(number):
        form.errors["personnummer"] = "Personnumret har fel kontrollsiffra."
    if not 0 < len(given) <= MAX_NAME:
        form.errors["fornamn"] = "Skriv förnamnet."
    if not 0 < len(surname) <= MAX_NAME:
        form.errors["efternamn"] = "Skriv efternamnet."
    if form.errors:
        return None, form
    return Person(number, given, surname), form


FORM_ROUTES = {
    "/scan": AppHandler._scan,
    "/phone": AppHandler._phone,
    "/call": AppHandler._call,
    "/mrtd": AppHandler._mrtd,
    "/identify": AppHandler._identify,
    "/cancel-order": AppHandler._cancel,
}

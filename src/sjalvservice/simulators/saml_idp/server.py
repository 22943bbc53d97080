"""The listener and the :class:`Simulator` that runs it.

One plain-HTTP listener on loopback serves:

* ``GET /metadata``: the IdP's metadata, signed by the federation operator's key;
* ``GET|POST /sso``: AuthnRequests (HTTP-Redirect and HTTP-POST bindings), answered with the
  login page; ``POST /login``, ``GET /wait/<key>``, ``GET /status/<key>`` and ``POST /cancel``
  carry the login through BankID to the page that posts the Response to the SP;
* ``GET /slo``: LogoutRequests (HTTP-Redirect), answered with a signed LogoutResponse;
* ``/_control/...``: the JSON control API that tests use (see ``control.py``).

Logins are identified by a random key in hidden fields and in the wait page's path; personal
data is never in a URL or a log line.
"""

from __future__ import annotations

import math
import re
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from .. import base
from ..base import Clock, media_type, serve_in_thread
from . import pages
from .bankid import (
    BankIdClient,
    BankIdConnection,
    BankIdError,
    autostart_link,
    error_message,
    failure_message,
    pending_message,
    qr_content,
    qr_svg,
)
from .control import PREFIX as CONTROL_PREFIX
from .control import FaultQueue, handle_control
from .keys import ensure_keys
from .logins import Login, LoginStore, Method
from .saml import (
    BINDING_HTTP_POST,
    BINDING_HTTP_REDIRECT,
    STATUS_AUTHN_FAILED,
    STATUS_NO_AUTHN_CONTEXT,
    STATUS_NO_PASSIVE,
    Delivery,
    IdentityProvider,
    Person,
    Refusal,
    message_issuer,
)

HOST: Final = "127.0.0.1"
FORM: Final = "application/x-www-form-urlencoded"
# BankID asks RPs never to collect more than once a second.
COLLECT_INTERVAL: Final = 1.0
# The SP's metadata is read again when it is older than this (or the issuer is unknown).
SP_METADATA_REFRESH: Final = 30.0
SP_METADATA_TIMEOUT: Final = 5.0
# BankID errors after which collecting again later may well work.
TRANSIENT: Final = frozenset({"transport", "maintenance", "tooManyRequests", "requestTimeout"})
CANCELLED_BY_USER: Final = "Användaren avbröt inloggningen."
# Paths whose last segment is a login key: logged without it.
KEYED_PATH: Final = re.compile(r"^/(wait|status)/[^/]+$")
HTML_HEADERS: Final = {
    "Content-Security-Policy": pages.CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
CHOICES: Final[dict[str, Method]] = {"mobilt-bankid": "qr", "bankid": "autostart"}


class SimulatorHTTPServer(base.SimulatorHTTPServer):
    log_prefix = "saml-idp-simulator"


class BaseHandler(base.BaseHandler):
    server_version = "SamlIdpSimulator/1.0"


def read_metadata(source: str) -> str:
    """The SP's metadata from an http(s) URL or a file."""
    if urlsplit(source).scheme in ("http", "https"):
        response = httpx.get(
            source, timeout=SP_METADATA_TIMEOUT, follow_redirects=True, trust_env=False
        )
        response.raise_for_status()
        return response.text
    return Path(source).read_text(encoding="utf-8")


class Handler(BaseHandler):
    """Routes the IdP's pages, its SAML endpoints and the control API."""

    server: SimulatorHTTPServer

    def do_GET(self) -> None:
        """Every method goes through one dispatcher, which answers 405 where it must."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    @property
    def simulator(self) -> Simulator:
        simulator: Simulator = self.server.simulator
        return simulator

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Like the base, with the login key left out of the path."""
        path = urlsplit(self.path).path
        if KEYED_PATH.match(path):
            path = path.rsplit("/", 1)[0] + "/…"
        status = code.value if hasattr(code, "value") else code
        self.server.log_line(f"{self.command} {path} {status}")

    # -- responses --------------------------------------------------------------------------

    def _html(self, status: int, html: str, policy: str = pages.CONTENT_SECURITY_POLICY) -> None:
        headers = {**HTML_HEADERS, "Content-Security-Policy": policy}
        self.send(status, html.encode("utf-8"), "text/html; charset=utf-8", headers)

    def _message(self, status: int, title: str, message: str, hint: str | None = None) -> None:
        self._html(status, pages.message_page(title, message, self.simulator.region, hint=hint))

    def _not_allowed(self, allow: str) -> None:
        self.send(405, b"Method not allowed", "text/plain; charset=utf-8", {"Allow": allow})

    def _see_other(self, location: str) -> None:
        self.send(303, b"", "text/plain; charset=utf-8", {"Location": location})

    def _deliver(self, delivery: Delivery) -> None:
        self._html(
            200,
            pages.response_page(delivery, self.simulator.region),
            pages.RESPONSE_PAGE_POLICY,
        )

    # -- routing ----------------------------------------------------------------------------

    def _dispatch(self) -> None:
        body = self.read_body()
        url = urlsplit(self.path)
        path = url.path
        if path.startswith(CONTROL_PREFIX):
            self._control(path, body)
            return
        if body is None:
            self._message(413, "Begäran är för stor", "Det som skickades är för stort.")
            return
        reading = self.command in ("GET", "HEAD")
        try:
            if path == "/" and reading:
                self._home()
            elif path == "/metadata" and reading:
                self._metadata()
            elif path == "/static/idp.js" and reading:
                self.send(200, pages.SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
            elif path == "/sso" and self.command in ("GET", "POST"):
                self._sso(url.query, body)
            elif path == "/login" and self.command == "POST":
                self._login(self._form(body))
            # GET only: a HEAD (a link checker, a prefetch) must not hand out the Response.
            elif path.startswith("/wait/") and self.command == "GET":
                self._wait(path.removeprefix("/wait/"))
            elif path.startswith("/status/") and self.command == "GET":
                self._status(path.removeprefix("/status/"))
            elif path == "/cancel" and self.command == "POST":
                self._cancel(self._form(body))
            elif path == "/slo" and reading:
                self._slo(url.query)
            elif path in ("/", "/metadata", "/static/idp.js", "/slo"):
                self._not_allowed("GET, HEAD")
            elif path == "/sso":
                self._not_allowed("GET, POST")
            elif path in ("/login", "/cancel"):
                self._not_allowed("POST")
            elif path.startswith(("/wait/", "/status/")):
                self._not_allowed("GET")
            else:
                self._message(404, "Sidan finns inte", "Det finns ingen sida med den adressen.")
        except Refusal as refusal:
            self._message(
                400,
                "Begäran kunde inte tas emot",
                refusal.message,
                "Inget svar har skickats till tjänsten.",
            )

    def _control(self, path: str, body: bytes | None) -> None:
        if self.refuse_cross_origin():
            return
        status, payload = handle_control(self.simulator, self.command, path, body)
        self.send_json(status, payload)

    def _form(self, body: bytes) -> dict[str, str]:
        if media_type(self.headers.get("Content-Type")) != FORM:
            raise Refusal("Formuläret skickades i ett okänt format.")
        try:
            fields = parse_qs(
                body.decode("utf-8"), keep_blank_values=True, max_num_fields=20, errors="strict"
            )
        except ValueError:  # UnicodeDecodeError is a ValueError, as is too many fields
            raise Refusal("Formuläret kunde inte läsas.") from None
        return {name: values[0] for name, values in fields.items()}

    # -- pages ------------------------------------------------------------------------------

    def _home(self) -> None:
        simulator = self.simulator
        html = pages.home_page(
            simulator.region, entity_id=simulator.entity_id, metadata_url=simulator.metadata_url
        )
        self._html(200, html)

    def _metadata(self) -> None:
        xml = self.simulator.idp.metadata_xml()
        self.send(200, xml.encode("utf-8"), "application/samlmetadata+xml")

    def _sso(self, query: str, body: bytes) -> None:
        if self.command == "GET":
            binding, raw_query = BINDING_HTTP_REDIRECT, query
            try:
                parsed = parse_qs(query, keep_blank_values=True, max_num_fields=20, errors="strict")
            except ValueError:
                raise Refusal("Adressens parametrar kunde inte läsas.") from None
            fields = {name: values[0] for name, values in parsed.items()}
        else:
            binding, raw_query = BINDING_HTTP_POST, ""
            fields = self._form(body)
        saml_request = fields.get("SAMLRequest")
        if not saml_request:
            raise Refusal("Begäran saknar SAMLRequest.")
        result = self.simulator.receive_authn_request(
            binding, saml_request, fields.get("RelayState"), raw_query
        )
        if isinstance(result, Delivery):
            self._deliver(result)
        else:
            self._html(200, self._login_page(result))

    def _login_page(self, login: Login, error: str | None = None) -> str:
        simulator = self.simulator
        return pages.login_page(
            login.key, simulator.region, bankid_connected=simulator.bankid is not None, error=error
        )

    def _gone(self) -> None:
        self._message(
            400, "Inloggningen finns inte längre", "Inloggningen har gått ut.", pages.START_OVER
        )

    def _login(self, fields: dict[str, str]) -> None:
        simulator = self.simulator
        login = simulator.logins.get(fields.get("key", ""))
        if login is None:
            self._gone()
            return
        choice = fields.get("val", "")
        if choice == "avbryt":
            self._deliver(simulator.cancel_login(login))
            return
        method = CHOICES.get(choice)
        if method is None:
            self._html(400, self._login_page(login, "Välj ett av alternativen."))
            return
        if simulator.bankid is None:
            self._html(503, self._login_page(login, pages.NOT_CONNECTED))
            return
        try:
            simulator.start_bankid(login, method, self.client_address[0])
        except BankIdError as error:
            self._html(502, self._login_page(login, error_message(error)))
            return
        self._see_other(f"/wait/{quote(login.key, safe='')}")

    def _wait(self, key: str) -> None:
        simulator = self.simulator
        login = simulator.logins.get(key)
        if login is None:
            self._gone()
            return
        if login.order is None and login.delivery is None:
            self._html(200, self._login_page(login))
            return
        simulator.collect(login, throttle=False)
        if login.delivery is not None:
            simulator.logins.remove(login.key)
            self._deliver(login.delivery)
            return
        status = simulator.progress(login)
        region = simulator.region
        if login.method == "autostart":
            html = pages.autostart_page(
                key, region, message=status["message"], autostart_url=status["autostartUrl"]
            )
        else:
            html = pages.qr_page(
                key,
                region,
                message=status["message"],
                svg=status["qrSvg"],
                test_app_url=status["testAppUrl"],
            )
        self._html(200, html)

    def _status(self, key: str) -> None:
        simulator = self.simulator
        login = simulator.logins.get(key)
        next_page = f"/wait/{quote(key, safe='')}"
        if login is None:
            self.send_json(404, {"done": True, "next": next_page})
            return
        simulator.collect(login, throttle=True)
        if login.delivery is not None or login.order is None:
            self.send_json(200, {"done": True, "next": next_page})
            return
        self.send_json(200, {"done": False, **simulator.progress(login)})

    def _cancel(self, fields: dict[str, str]) -> None:
        simulator = self.simulator
        login = simulator.logins.get(fields.get("key", ""))
        if login is None:
            self._gone()
            return
        delivery = simulator.cancel_login(login)
        simulator.logins.remove(login.key)
        self._deliver(delivery)

    def _slo(self, query: str) -> None:
        try:
            parsed = parse_qs(query, keep_blank_values=True, max_num_fields=20, errors="strict")
        except ValueError:
            raise Refusal("Adressens parametrar kunde inte läsas.") from None
        fields = {name: values[0] for name, values in parsed.items()}
        saml_request = fields.get("SAMLRequest")
        if not saml_request:
            raise Refusal("Utloggningsbegäran saknar SAMLRequest.")
        self._see_other(self.simulator.logout(saml_request, fields.get("RelayState"), query))


class Simulator:
    """A regional SAML2 identity provider on 127.0.0.1 that identifies residents with BankID.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Port 0 picks a free port
    (the entity id contains the port, so an SP must read the metadata of each start). The keys
    are made in ``data_dir`` on the first start and reused afterwards. ``sp_metadata`` is an
    http(s) URL or a file with the SP's metadata, read when a request arrives; it can also be
    set with :meth:`set_sp_metadata`. Without ``bankid`` the BankID choices say that BankID is
    not connected.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        port: int = 0,
        region: str = "Region Västerbotten",
        sp_metadata: str | Path | None = None,
        bankid: BankIdConnection | None = None,
        quiet: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self.region = region
        self.keys = ensure_keys(Path(data_dir), region)
        self.bankid = bankid
        self.quiet = quiet
        self.clock = clock or Clock()
        self.logins = LoginStore(self.clock)
        self.faults = FaultQueue()
        self._port = port
        self._server: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._idp: IdentityProvider | None = None
        self._bankid_client: BankIdClient | None = None
        self._last_response: Delivery | None = None
        self._sp_source = str(sp_metadata) if sp_metadata is not None else None
        self._sp_document: str | None = None
        self._sp_read_at = -math.inf
        # Documents set through the control API, newest first.
        self._sp_pushed: list[tuple[frozenset[str], str]] = []
        self._sp_lock = threading.Lock()

    def __repr__(self) -> str:
        running = self._server is not None
        return f"<Simulator region={self.region!r} running={running}>"

    # -- addresses --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The listener's root with a trailing slash, e.g. ``http://127.0.0.1:8448/``."""
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return f"http://{HOST}:{self._server.server_address[1]}/"

    @property
    def entity_id(self) -> str:
        """The IdP's entity id, e.g. ``http://127.0.0.1:8448/idp``."""
        return f"{self.url}idp"

    @property
    def metadata_url(self) -> str:
        """Where the IdP's signed metadata is served."""
        return f"{self.url}metadata"

    @property
    def metadata_signing_cert(self) -> Path:
        """The federation operator's certificate, which the metadata signature verifies with."""
        return self.keys.metadata_cert

    @property
    def idp(self) -> IdentityProvider:
        """The SAML side (only while running: the entity id contains the port)."""
        if self._idp is None:
            raise RuntimeError("the simulator is not running")
        return self._idp

    @property
    def last_response(self) -> dict[str, str | None] | None:
        """``{"acs", "saml_response", "relay_state"}`` of the last Response made, or None."""
        delivery = self._last_response
        return delivery.to_json() if delivery is not None else None

    # -- the SP's metadata ------------------------------------------------------------------

    def set_sp_metadata(self, document: str) -> list[str]:
        """Trust the SP(s) in ``document`` (it replaces an earlier one for the same entity ids);
        the SP entity ids. ValueError when it is no usable SP metadata."""
        ids = self.idp.check_sp_metadata(document)
        with self._sp_lock:
            kept = [(old, text) for old, text in self._sp_pushed if not old <= ids]
            self._sp_pushed = [(ids, document), *kept]
            self._load_sp_metadata()
        return sorted(ids)

    def sp_metadata_status(self) -> dict[str, Any]:
        """Where the SP's metadata comes from and which SPs are trusted."""
        return {"source": self._sp_source, "entityIds": sorted(self.idp.sp_entity_ids)}

    def _load_sp_metadata(self) -> None:
        documents = [text for _, text in self._sp_pushed]
        if self._sp_document is not None:
            documents.append(self._sp_document)
        self.idp.load_sp_metadata(documents)

    def _refresh_sp_metadata(self, issuer: str) -> None:
        """Read the SP's metadata source again if ``issuer`` is unknown or the copy is old."""
        if self._sp_source is None:
            return
        with self._sp_lock:
            now = self.clock.now()
            fresh = now - self._sp_read_at < SP_METADATA_REFRESH
            if issuer in self.idp.sp_entity_ids and fresh:
                return
            self._sp_read_at = now
            try:
                document = read_metadata(self._sp_source)
                self.idp.check_sp_metadata(document)
            except (OSError, httpx.HTTPError, ValueError) as error:
                self._log(f"SP metadata not read from {self._sp_source}: {type(error).__name__}")
                return
            self._sp_document = document
            self._load_sp_metadata()

    # -- logins -----------------------------------------------------------------------------

    def receive_authn_request(
        self, binding: str, saml_request: str, relay_state: str | None, raw_query: str
    ) -> Login | Delivery:
        """Verify an AuthnRequest: a new login, or the Response when it cannot be met.

        Raises :class:`Refusal` for a request that must not be answered at all."""
        self._refresh_sp_metadata(message_issuer(binding, saml_request))
        request = self.idp.parse_authn_request(binding, saml_request, relay_state, raw_query)
        if request.context_refusal is not None:
            return self._made(
                self.idp.error_response(request, STATUS_NO_AUTHN_CONTEXT, request.context_refusal)
            )
        if request.is_passive:
            message = "Identitetsutgivaren kan inte legitimera utan att fråga användaren."
            return self._made(self.idp.error_response(request, STATUS_NO_PASSIVE, message))
        return self.logins.add(request)

    def start_bankid(self, login: Login, method: Method, end_user_ip: str) -> None:
        """Start a BankID order for ``login`` (cancelling one started before)."""
        client = self._client()
        with login.lock:
            if login.delivery is not None:
                return
            if login.order is not None:
                self._cancel_order(client, login.order.order_ref)
            return_url = f"{self.url}wait/{login.key}" if method == "autostart" else None
            login.order = client.auth(end_user_ip, return_url, self.clock.now())
            login.method = method
            login.hint_code = "outstandingTransaction"
            login.last_collect = -math.inf

    def collect(self, login: Login, *, throttle: bool) -> None:
        """Ask BankID how the login's order is doing; make the Response once it has ended."""
        if self._bankid_client is None:
            return
        with login.lock:
            if login.delivery is not None or login.order is None:
                return
            now = self.clock.now()
            if throttle and now - login.last_collect < COLLECT_INTERVAL:
                return
            login.last_collect = now
            try:
                answer = self._bankid_client.collect(login.order.order_ref)
            except BankIdError as error:
                self._log(f"BankID collect failed: {error.error_code}")
                if error.error_code not in TRANSIENT:
                    self._fail(login, f"{error_message(error)} (BankID: {error.error_code})")
                return
            status = answer.get("status")
            hint = answer.get("hintCode")
            login.hint_code = hint if isinstance(hint, str) else None
            if status == "complete":
                self._complete(login, answer)
            elif status == "failed":
                on_this_device = login.method == "autostart"
                message = failure_message(login.hint_code, on_this_device=on_this_device)
                self._fail(login, f"{message} (BankID: {login.hint_code})")
            elif status != "pending":
                self._fail(login, f"BankID svarade oväntat (status {status}).")

    def _complete(self, login: Login, answer: dict[str, Any]) -> None:
        user = (answer.get("completionData") or {}).get("user") or {}
        try:
            person = Person(
                personal_number=str(user["personalNumber"]),
                given_name=str(user["givenName"]),
                surname=str(user["surname"]),
                name=str(user.get("name") or f"{user['givenName']} {user['surname']}"),
            )
        except KeyError:
            self._fail(login, "BankID svarade utan uppgifter om användaren.")
            return
        fault = self.faults.next()
        # SAML times follow the wall clock (the SP checks them against its own), not the clock
        # that tests move forward.
        delivery = self.idp.authn_response(login.request, person, now=time.time(), fault=fault)
        login.delivery = self._made(delivery)
        flaw = f" with fault {fault}" if fault else ""
        self._log(f"login completed for {login.request.sp_entity_id}{flaw}")

    def _fail(self, login: Login, message: str) -> None:
        login.delivery = self._made(
            self.idp.error_response(login.request, STATUS_AUTHN_FAILED, message)
        )

    def cancel_login(self, login: Login) -> Delivery:
        """The user cancelled: cancel the BankID order and answer AuthnFailed."""
        with login.lock:
            if login.delivery is not None:
                return login.delivery
            if login.order is not None and self._bankid_client is not None:
                self._cancel_order(self._bankid_client, login.order.order_ref)
            self._fail(login, CANCELLED_BY_USER)
            assert login.delivery is not None
            return login.delivery

    def progress(self, login: Login) -> dict[str, Any]:
        """What the wait page shows now: the message and the QR code or the autostart link."""
        on_this_device = login.method == "autostart"
        status: dict[str, Any] = {
            "hintCode": login.hint_code,
            "message": pending_message(login.hint_code, on_this_device=on_this_device),
        }
        order = login.order
        if order is None or self.bankid is None:
            return status
        if on_this_device:
            status["autostartUrl"] = autostart_link(self.bankid.app_url, order.auto_start_token)
        else:
            content = qr_content(order, self.clock.now())
            status["qrContent"] = content
            status["qrSvg"] = qr_svg(content)
            status["testAppUrl"] = f"{self.bankid.app_url}?qr={quote(content, safe='')}"
        return status

    def _cancel_order(self, client: BankIdClient, order_ref: str) -> None:
        try:
            client.cancel(order_ref)
        except BankIdError as error:
            self._log(f"BankID cancel failed: {error.error_code}")

    def _client(self) -> BankIdClient:
        if self._bankid_client is None:
            raise BankIdError("notConnected", "BankID is not connected")
        return self._bankid_client

    def _made(self, delivery: Delivery) -> Delivery:
        self._last_response = delivery
        return delivery

    def logout(self, saml_request: str, relay_state: str | None, raw_query: str) -> str:
        """Verify a LogoutRequest; the URL that carries the LogoutResponse back to the SP."""
        issuer = message_issuer(BINDING_HTTP_REDIRECT, saml_request, logout=True)
        self._refresh_sp_metadata(issuer)
        return self.idp.logout(saml_request, relay_state, raw_query)

    def _log(self, line: str) -> None:
        if self._server is not None:
            self._server.log_line(line)

    # -- lifecycle --------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget pending logins, injected faults and the last Response; wall clock again."""
        self.logins.clear()
        self.faults.clear()
        self._last_response = None
        self.clock.reset()

    def start(self) -> Simulator:
        """Bind the listener and serve it from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        server = SimulatorHTTPServer((HOST, self._port), Handler, self, quiet=self.quiet)
        try:
            base_url = f"http://{HOST}:{server.server_address[1]}/"
            self._idp = IdentityProvider(base_url=base_url, region=self.region, keys=self.keys)
            if self.bankid is not None:
                self._bankid_client = BankIdClient(self.bankid)
        except BaseException:
            server.server_close()
            raise
        self._server = server
        with self._sp_lock:
            self._sp_read_at = -math.inf
            self._load_sp_metadata()
        self._thread = serve_in_thread(server, "saml-idp-simulator")
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._bankid_client is not None:
            self._bankid_client.close()
        self._server = self._thread = self._bankid_client = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

"""The listener and the :class:`Simulator` that runs it.

One plain-HTTP listener on loopback serves what are two hosts at Bolagsverket:

* ``POST /oauth2/token``: OAuth2 client credentials (the portal host);
* ``/vardefulla-datamangder/v1/...``: the API itself (the gateway host), bearer tokens only;
* ``/_control/...``: the JSON control API that tests use (see ``control.py``).
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import threading
from http import HTTPStatus
from types import TracebackType
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from ..base import serve_in_thread
from .control import PREFIX as CONTROL_PREFIX
from .control import handle_control
from .http_base import BaseHandler, SimulatorHTTPServer, media_type
from .organisations import OrganisationStore, is_identitetsbeteckning
from .state import PING_SCOPE, READ_SCOPE, SCOPES, Clock, Counters, FaultQueue, TokenStore

HOST: Final = "127.0.0.1"
TOKEN_PATH: Final = "/oauth2/token"  # noqa: S105  (a path, not a password)
API_PREFIX: Final = "/vardefulla-datamangder/v1"
# Path -> (endpoint name, the one method it answers).
ROUTES: Final = {
    TOKEN_PATH: ("token", "POST"),
    f"{API_PREFIX}/isalive": ("isalive", "GET"),
    f"{API_PREFIX}/organisationer": ("organisationer", "POST"),
}
# The scopes that let a token call each API endpoint.
ENDPOINT_SCOPES: Final = {
    "isalive": frozenset({PING_SCOPE, READ_SCOPE}),
    "organisationer": frozenset({READ_SCOPE}),
}
# The OAuth2 error code an injected status carries on the token endpoint (RFC 6749, 5.2).
OAUTH_ERRORS: Final = {400: "invalid_request", 401: "invalid_client", 403: "unauthorized_client"}


class RequestError(Exception):
    """A request the simulator refuses, with the status and the JSON body to answer."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def problem(status: int, detail: str, path: str) -> dict[str, Any]:
    """An API error body: RFC 9457 problem details."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": path,
    }


def oauth_error(status: int, error: str, description: str) -> RequestError:
    """A token endpoint error (RFC 6749, 5.2); 401 names the scheme the client should use."""
    headers = {"WWW-Authenticate": 'Basic realm="oauth2"'} if status == 401 else None
    return RequestError(status, {"error": error, "error_description": description}, headers)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client id, client secret) from an ``Authorization: Basic`` header, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are both ValueErrors
        return None
    client_id, separator, client_secret = decoded.partition(":")
    return (client_id, client_secret) if separator else None


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


class Handler(BaseHandler):
    """Routes the token endpoint, the API and the control API."""

    server: SimulatorHTTPServer

    def do_GET(self) -> None:
        """Every method goes through one dispatcher, which answers 405 where it must."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        body = self.read_body()
        path = urlsplit(self.path).path
        if path.startswith(CONTROL_PREFIX):
            self._control(path, body)
            return
        route = ROUTES.get(path)
        if route is None:
            self.send_json(404, problem(404, "No such endpoint.", path))
            return
        endpoint, method = route
        if self.command != method:
            self.send_json(405, problem(405, f"Use {method}.", path), {"Allow": method})
            return
        simulator = self.server.simulator
        simulator.counters.add(endpoint)
        delay = simulator.delays.take(endpoint)
        if delay is not None:
            simulator.pause(delay)
        try:
            status = simulator.failures.take(endpoint)
            if status is not None:
                raise self._injected(endpoint, int(status), path)
            if body is None:
                raise RequestError(413, problem(413, "The request body is too large.", path))
            if endpoint == "token":
                payload = self._token(simulator, body)
            else:
                payload = self._api(simulator, endpoint, body, path)
        except RequestError as error:
            self.send_json(error.status, error.body, error.headers)
            return
        headers = {"Pragma": "no-cache"} if endpoint == "token" else None
        self.send_json(200, payload, headers)

    @staticmethod
    def _injected(endpoint: str, status: int, path: str) -> RequestError:
        headers = {"Retry-After": "1"} if status in (429, 503) else {}
        if endpoint == "token":
            error = OAUTH_ERRORS.get(status, "temporarily_unavailable")
            body: dict[str, Any] = {
                "error": error,
                "error_description": "Injected by the simulator.",
            }
            if status == 401:
                headers["WWW-Authenticate"] = 'Basic realm="oauth2"'
        else:
            body = problem(status, "Injected by the simulator.", path)
            if status == 401:
                headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return RequestError(status, body, headers)

    def _token(self, simulator: Simulator, body: bytes) -> dict[str, Any]:
        """Client credentials grant: authenticate the client, then check the grant."""
        credentials = basic_credentials(self.headers.get("Authorization"))
        if credentials is None or not simulator.is_client(*credentials):
            raise oauth_error(401, "invalid_client", "Client authentication failed.")
        if media_type(self.headers.get("Content-Type")) != "application/x-www-form-urlencoded":
            raise oauth_error(
                400, "invalid_request", "Send the form as application/x-www-form-urlencoded."
            )
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
        except ValueError:
            raise oauth_error(400, "invalid_request", "The form cannot be read.") from None
        if any(len(values) > 1 for values in form.values()):
            raise oauth_error(400, "invalid_request", "A parameter is repeated.")
        grant_type = form.get("grant_type", [""])[0]
        if not grant_type:
            raise oauth_error(400, "invalid_request", "grant_type is missing.")
        if grant_type != "client_credentials":
            raise oauth_error(
                400, "unsupported_grant_type", "Only client_credentials is supported."
            )
        requested = frozenset(form.get("scope", [""])[0].split()) or SCOPES
        if not requested <= SCOPES:
            raise oauth_error(400, "invalid_scope", f"Known scopes: {' '.join(sorted(SCOPES))}.")
        token, lifetime = simulator.tokens.issue(requested)
        return {
            "access_token": token.value,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": " ".join(sorted(requested)),
        }

    def _api(self, simulator: Simulator, endpoint: str, body: bytes, path: str) -> Any:
        """The API: a valid bearer token with the right scope first, then the call itself."""
        token = simulator.tokens.valid(bearer_token(self.headers.get("Authorization")) or "")
        if token is None:
            raise RequestError(
                401,
                problem(401, "The access token is missing, unknown or expired.", path),
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if not token.scopes & ENDPOINT_SCOPES[endpoint]:
            raise RequestError(
                403,
                problem(403, "The access token lacks the scope for this call.", path),
                {"WWW-Authenticate": 'Bearer error="insufficient_scope"'},
            )
        if endpoint == "isalive":
            return {"status": "UP"}
        return self._organisationer(simulator, body, path)

    def _organisationer(self, simulator: Simulator, body: bytes, path: str) -> dict[str, Any]:
        if media_type(self.headers.get("Content-Type")) != "application/json":
            raise RequestError(415, problem(415, "Send the body as application/json.", path))
        try:
            payload = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise RequestError(400, problem(400, "The body is not valid JSON.", path)) from None
        number = payload.get("identitetsbeteckning") if isinstance(payload, dict) else None
        if not is_identitetsbeteckning(number):
            raise RequestError(
                400,
                problem(
                    400,
                    "identitetsbeteckning must be 10 digits without a hyphen, "
                    "with a valid check digit.",
                    path,
                ),
            )
        organisation = simulator.organisations.get(str(number))
        if organisation is not None:
            return {"organisationer": [organisation]}
        if simulator.organisations.not_found == "empty":
            return {"organisationer": []}
        raise RequestError(404, problem(404, "No organisation has that number.", path))

    def _control(self, path: str, body: bytes | None) -> None:
        if self.refuse_cross_origin():
            return
        status, payload = handle_control(self.server.simulator, self.command, path, body)
        self.send_json(status, payload)


class Simulator:
    """The Bolagsverket simulator on 127.0.0.1: token endpoint, API and control API.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Port 0 picks a free
    port; a client id or secret left out is made up at random.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        client_id: str | None = None,
        client_secret: str | None = None,
        expires_in: int = 3600,
        organisations: dict[str, dict[str, Any]] | None = None,
        quiet: bool = False,
    ) -> None:
        self.client_id = client_id or f"simulator-{secrets.token_hex(4)}"
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.clock = Clock()
        self.tokens = TokenStore(self.clock, expires_in)
        self.counters = Counters()
        self.failures = FaultQueue()
        self.delays = FaultQueue()
        self.organisations = OrganisationStore(organisations)
        self.quiet = quiet
        self._port = port
        self._server: SimulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()

    def __repr__(self) -> str:
        # Without the secret: a repr ends up in test reports and logs.
        return f"<Simulator client_id={self.client_id!r} running={self._server is not None}>"

    @property
    def base_url(self) -> str:
        """The listener's root, e.g. ``http://127.0.0.1:8445/`` (the control API is under it)."""
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return f"http://{HOST}:{self._server.server_address[1]}/"

    @property
    def api_url(self) -> str:
        """The API base, like ``https://gw.api.bolagsverket.se/vardefulla-datamangder/v1``."""
        return self.base_url.rstrip("/") + API_PREFIX

    @property
    def token_url(self) -> str:
        """The token endpoint, like ``https://portal.api.bolagsverket.se/oauth2/token``."""
        return self.base_url.rstrip("/") + TOKEN_PATH

    def is_client(self, client_id: str, client_secret: str) -> bool:
        """Whether the credentials are this simulator's (compared in constant time)."""
        id_ok = hmac.compare_digest(client_id.encode(), self.client_id.encode())
        secret_ok = hmac.compare_digest(client_secret.encode(), self.client_secret.encode())
        return id_ok and secret_ok

    def pause(self, seconds: float) -> None:
        """Hold a response for ``seconds``; a reset or stop ends every pause early."""
        self._wake.wait(seconds)

    def start(self) -> Simulator:
        """Bind the listener and serve it from a daemon thread."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._wake = threading.Event()
        self._server = SimulatorHTTPServer((HOST, self._port), Handler, self, quiet=self.quiet)
        self._thread = serve_in_thread(self._server, "bolagsverket-simulator")
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self._wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def reset(self) -> None:
        """Forget tokens, counts and injected faults; back to the fixtures and the wall clock."""
        wake, self._wake = self._wake, threading.Event()
        wake.set()
        self.tokens.reset()
        self.counters.reset()
        self.failures.clear()
        self.delays.clear()
        self.organisations.reset()
        self.clock.reset()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

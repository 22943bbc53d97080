"""The two listeners of the simulator and the :class:`Simulator` that runs them.

* the RP API v6.0 over HTTPS with mutual TLS, like ``appapi2.test.bankid.com``;
* plain HTTP, on loopback only, for the "Test-BankID" app pages and a JSON control API.
"""

from __future__ import annotations

import json
import ssl
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from ..base import serve_in_thread
from .app import AppHandler
from .certificates import CertificatePaths, ensure_certificates
from .faults import ENDPOINTS, ERROR_DETAILS, ERROR_STATUS, RATE_LIMIT_HEADERS, FaultQueue
from .http_base import BaseHandler, SimulatorHTTPServer, media_type
from .orders import ApiError, Clock, OrderKind, OrderSettings, OrderStore
from .validation import invalid, validate_order_ref_request, validate_order_request

HOST: Final = "127.0.0.1"
API_PREFIX: Final = "/rp/v6.0/"
ORDER_KINDS: dict[str, OrderKind] = {
    "auth": "auth",
    "sign": "sign",
    "phone/auth": "phone_auth",
    "phone/sign": "phone_sign",
}


def api_ssl_context(certificates: CertificatePaths) -> ssl.SSLContext:
    """The server side of mutual TLS: our server certificate, and clients of our CA only."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certificates.server_cert, certificates.server_key)
    # Trust only the simulator's CA (no system store): a client certificate from anywhere else
    # fails the handshake, as it would against the real service.
    context.load_verify_locations(cafile=certificates.ca)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class ApiServer(SimulatorHTTPServer):
    """HTTPS server; TLS handshakes happen in the request threads, not in accept()."""

    log_label = "api"

    def __init__(
        self,
        address: tuple[str, int],
        context: ssl.SSLContext,
        simulator: Simulator,
        *,
        quiet: bool,
    ) -> None:
        super().__init__(address, ApiHandler, simulator, quiet=quiet)
        # Deferring the handshake keeps one slow or broken client from blocking the accept loop.
        self.socket = context.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A refused TLS client gets one log line; other errors as usual."""
        error = sys.exc_info()[1]
        if isinstance(error, ssl.SSLError):
            self.log_line(f"TLS handshake refused: {error.reason or error}")
            return
        super().handle_error(request, client_address)


class AppServer(SimulatorHTTPServer):
    """Plain HTTP for the Test-BankID pages and the control API; loopback only."""

    log_label = "app"


class ApiHandler(BaseHandler):
    """The RP API v6.0 endpoints."""

    server: ApiServer

    def setup(self) -> None:
        """Run the TLS handshake (with the client certificate check) in this thread."""
        self.request.settimeout(self.timeout)
        self.request.do_handshake()
        super().setup()

    def do_POST(self) -> None:
        """Every RP API call is a POST."""
        self._dispatch()

    do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_POST

    def _error(self, status: int, error_code: str, details: str) -> None:
        headers = RATE_LIMIT_HEADERS if error_code == "tooManyRequests" else None
        self.send_json(status, {"errorCode": error_code, "details": details}, headers)

    def _dispatch(self) -> None:
        body = self.read_body()
        path = self.path.split("?", 1)[0]
        endpoint = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else ""
        if endpoint not in ENDPOINTS:
            self._error(404, "notFound", "No such endpoint.")
            return
        if self.command != "POST":
            self._error(405, "methodNotAllowed", "Use POST.")
            return
        if media_type(self.headers.get("Content-Type")) != "application/json":
            self._error(415, "unsupportedMediaType", "Content-Type must be application/json.")
            return
        simulator = self.server.simulator
        # Injected errors replace real answers only for calls that reached an endpoint: a
        # wrong path or method is the caller's mistake, not a service outage.
        injected = simulator.faults.take(endpoint)
        if injected is not None:
            self._error(ERROR_STATUS[injected], injected, ERROR_DETAILS[injected])
            return
        try:
            if body is None:
                raise invalid("The request body is too large.")
            payload = _parse_json(body)
            status, answer = self._handle(simulator, endpoint, payload)
        except ApiError as error:
            self._error(400, error.error_code, error.details)
            return
        self.send_json(status, answer)

    @staticmethod
    def _handle(simulator: Simulator, endpoint: str, payload: Any) -> tuple[int, dict[str, Any]]:
        orders = simulator.orders
        if endpoint in ORDER_KINDS:
            kind = ORDER_KINDS[endpoint]
            order = orders.create(kind, validate_order_request(kind, payload))
            if order.is_phone:
                return 200, {"orderRef": order.order_ref}
            return 200, {
                "orderRef": order.order_ref,
                "autoStartToken": order.auto_start_token,
                "qrStartToken": order.qr_start_token,
                "qrStartSecret": order.qr_start_secret,
            }
        order_ref = validate_order_ref_request(payload)
        if endpoint == "collect":
            return 200, orders.collect(order_ref)
        orders.cancel(order_ref)
        return 200, {}


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise invalid("The request body is not valid JSON.") from None


class Simulator:
    """The BankID simulator: RP API (mTLS) and Test-BankID app, both on 127.0.0.1.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. Port 0 picks free ports.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        api_port: int = 0,
        app_port: int = 0,
        settings: OrderSettings | None = None,
        clock: Clock | None = None,
        quiet: bool = False,
    ) -> None:
        self.certificates = ensure_certificates(Path(data_dir))
        self.clock = clock or Clock()
        self.orders = OrderStore(self.clock, settings)
        self.faults = FaultQueue()
        self.quiet = quiet
        self._api_port = api_port
        self._app_port = app_port
        self._servers: list[SimulatorHTTPServer] = []
        self._threads: list[threading.Thread] = []

    @property
    def api_url(self) -> str:
        """Base URL of the RP API, e.g. ``https://127.0.0.1:8443/rp/v6.0/``."""
        return f"https://{HOST}:{self._port(0)}{API_PREFIX}"

    @property
    def app_url(self) -> str:
        """Base URL of the Test-BankID app and the control API, e.g. ``http://127.0.0.1:8444/``."""
        return f"http://{HOST}:{self._port(1)}/"

    def _port(self, index: int) -> int:
        if not self._servers:
            raise RuntimeError("the simulator is not running")
        return int(self._servers[index].server_address[1])

    def start(self) -> Simulator:
        """Bind both listeners and serve them from daemon threads."""
        if self._servers:
            raise RuntimeError("the simulator is already running")
        context = api_ssl_context(self.certificates)
        api = ApiServer((HOST, self._api_port), context, self, quiet=self.quiet)
        try:
            app = AppServer((HOST, self._app_port), AppHandler, self, quiet=self.quiet)
        except OSError:
            api.server_close()
            raise
        self._servers = [api, app]
        for server in self._servers:
            self._threads.append(serve_in_thread(server, f"bankid-simulator-{server.log_label}"))
        return self

    def stop(self) -> None:
        """Stop serving and close the listening sockets."""
        # shutdown() waits for the serve loop to notice; asking both at once halves the wait.
        stoppers = [threading.Thread(target=server.shutdown) for server in self._servers]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server in self._servers:
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def reset(self) -> None:
        """Forget orders and injected errors and go back to the wall clock."""
        self.orders.reset()
        self.faults.clear()
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

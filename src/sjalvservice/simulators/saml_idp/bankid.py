"""The IdP's own small BankID RP API v6.0 client, its animated QR code and its user messages.

The IdP is a relying party of BankID (in the demo and the tests: of the BankID simulator). It
calls ``auth``, ``collect`` and ``cancel`` over mutual TLS, keeps ``qrStartSecret`` to itself
and computes the QR code's text every second as BankID prescribes.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import httpx
import segno

TIMEOUT: Final = 10.0

# BankID's recommended user messages (RFA), as their current Swedish wording.
RFA1: Final = "Starta BankID-appen."
RFA3: Final = "Åtgärden avbruten. Försök igen."
RFA4: Final = (
    "En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen."
)
RFA5: Final = "Internt tekniskt fel. Försök igen."
RFA6: Final = "Åtgärden avbruten."
RFA8: Final = (
    "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. "
    "Om du inte har något giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen."
)
RFA9: Final = "Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."
RFA13: Final = "Försöker starta BankID-appen."
RFA15A: Final = (
    "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och inget "
    "BankID har hittats har du sannolikt inget BankID som går att använda för den aktuella "
    "identifieringen/underskriften i den här datorn. Om du har ett BankID-kort, sätt in det i "
    "kortläsaren. Om du inte har något BankID kan du skaffa ett hos din bank."
)
RFA15B: Final = (
    "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och inget "
    "BankID har hittats har du sannolikt inget BankID som går att använda för den aktuella "
    "identifieringen/underskriften i den här enheten. Om du inte har något BankID kan du skaffa "
    "ett hos din bank."
)
RFA16: Final = (
    "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller "
    "skaffa ett nytt hos din bank."
)
RFA17A: Final = (
    "BankID-appen verkar inte finnas i din dator eller mobil. Installera den och skaffa ett "
    "BankID hos din bank. Installera appen från din appbutik eller https://install.bankid.com."
)
RFA17B: Final = (
    "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att "
    "BankID-appen är uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa "
    "ett BankID hos din bank. Installera appen från din appbutik eller https://install.bankid.com."
)
RFA21: Final = "Identifiering eller underskrift pågår."
RFA22: Final = "Okänt fel. Försök igen."
RFA23: Final = "Fotografera och läs av din ID-handling med BankID-appen."


@dataclass(frozen=True)
class BankIdConnection:
    """How the IdP reaches BankID: the RP API base URL (ending in ``/``), the server CA to pin,
    the RP client certificate and key, and the (test) app's URL for the autostart link."""

    api_url: str
    ca_cert: Path | str
    client_cert: Path | str
    client_key: Path | str
    app_url: str


class BankIdError(Exception):
    """An RP API call that failed: BankID's ``errorCode`` (``transport`` when no answer came)."""

    def __init__(self, error_code: str, details: str) -> None:
        super().__init__(f"{error_code}: {details}")
        self.error_code = error_code
        self.details = details


@dataclass(frozen=True)
class StartedOrder:
    """What ``/auth`` answered, and when (the QR code counts seconds from then)."""

    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str
    started_at: float


class BankIdClient:
    """``auth``, ``collect`` and ``cancel`` of the RP API v6.0 over mutual TLS."""

    def __init__(self, connection: BankIdConnection) -> None:
        self.connection = connection
        context = ssl.create_default_context(cafile=str(connection.ca_cert))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(str(connection.client_cert), str(connection.client_key))
        base_url = (
            connection.api_url if connection.api_url.endswith("/") else connection.api_url + "/"
        )
        # Proxy settings of the environment are ignored: BankID is reached directly.
        self._http = httpx.Client(
            base_url=base_url, verify=context, timeout=TIMEOUT, trust_env=False
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def auth(self, end_user_ip: str, return_url: str | None, now: float) -> StartedOrder:
        """Start an identification; ``return_url`` for BankID on this device."""
        body: dict[str, Any] = {"endUserIp": end_user_ip}
        if return_url:
            body["returnUrl"] = return_url
        answer = self._post("auth", body)
        try:
            return StartedOrder(
                order_ref=str(answer["orderRef"]),
                auto_start_token=str(answer["autoStartToken"]),
                qr_start_token=str(answer["qrStartToken"]),
                qr_start_secret=str(answer["qrStartSecret"]),
                started_at=now,
            )
        except KeyError as missing:
            raise BankIdError("invalidAnswer", f"auth answered without {missing}") from None

    def collect(self, order_ref: str) -> dict[str, Any]:
        """The order's state: ``pending``, ``failed`` (with ``hintCode``) or ``complete``."""
        return self._post("collect", {"orderRef": order_ref})

    def cancel(self, order_ref: str) -> None:
        """Cancel a pending order."""
        self._post("cancel", {"orderRef": order_ref})

    def _post(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(endpoint, json=body)
        except httpx.HTTPError as error:
            raise BankIdError("transport", type(error).__name__) from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise BankIdError("invalidAnswer", f"HTTP {response.status_code} without a JSON object")
        if response.status_code != 200:
            code = answer.get("errorCode")
            raise BankIdError(str(code or response.status_code), str(answer.get("details", "")))
        return answer


def qr_content(order: StartedOrder, now: float) -> str:
    """The animated QR code's text: ``bankid.{qrStartToken}.{seconds}.{hmac}``."""
    seconds = str(max(0, math.floor(now - order.started_at)))
    code = hmac.new(
        order.qr_start_secret.encode("ascii"), seconds.encode("ascii"), hashlib.sha256
    ).hexdigest()
    return f"bankid.{order.qr_start_token}.{seconds}.{code}"


def qr_svg(content: str) -> str:
    """``content`` as an inline SVG QR code that scales to its container."""
    return str(
        segno.make_qr(content, error="l").svg_inline(
            scale=4, border=4, svgclass="qr-code", lineclass=None, omitsize=True, light="#fff"
        )
    )


def autostart_link(app_url: str, auto_start_token: str) -> str:
    """The link that starts BankID on this device; the app returns to the order's returnUrl."""
    return f"{app_url}?autostarttoken={auto_start_token}&redirect=null"


def pending_message(hint_code: str | None, *, on_this_device: bool) -> str:
    """The message to show while an order is pending, for its ``hintCode``."""
    if hint_code in ("outstandingTransaction", "noClient", None):
        return RFA13 if on_this_device and hint_code != "noClient" else RFA1
    if hint_code == "started":
        return RFA15A if on_this_device else RFA15B
    if hint_code == "userMrtd":
        return RFA23
    if hint_code == "userSign":
        return RFA9
    return RFA21


def failure_message(hint_code: str | None, *, on_this_device: bool) -> str:
    """The message for an order that failed with ``hintCode``."""
    match hint_code:
        case "expiredTransaction":
            return RFA8
        case "certificateErr":
            return RFA16
        case "userCancel" | "userDeclinedCall":
            return RFA6
        case "cancelled":
            return RFA3
        case "startFailed":
            return RFA17A if on_this_device else RFA17B
    return RFA22


def error_message(error: BankIdError) -> str:
    """The message for an RP API call that failed."""
    return RFA4 if error.error_code == "alreadyInProgress" else RFA5

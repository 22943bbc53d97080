"""Sending SMS through a gateway, and reading the delivery reports it posts back.

The portal talks to an :class:`SmsBackend`: :class:`FortySixElksBackend` for 46elks (the
gateway many Swedish municipalities use), or :class:`ConsoleSmsBackend` for installations
without one. :func:`get_backend` picks one from the settings ``SMS_BACKEND``, ``SMS_URL``,
``SMS_USERNAME``, ``SMS_PASSWORD``, ``SMS_SENDER`` and ``SMS_TIMEOUT``.

A failure is an :class:`SmsError` that says whether trying again can help (``permanent``), so
a background task knows whether to retry. SMS carry one-time codes and reach people by their
phone numbers, so neither the number nor the text is ever logged or put in an error, and the
gateway is asked not to keep the text either (``dontlog=message``).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Final, Protocol

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

from sjalvservice.core.phone import InvalidPhoneNumber, parse_phone_number

logger = logging.getLogger(__name__)

BACKENDS: Final = ("46elks", "console")
DEFAULT_TIMEOUT: Final = 10.0
# `[0-9]`, not `\d`: `\d` also matches digits of other scripts.
_E164: Final = re.compile(r"\+[1-9][0-9]{7,14}")
# The strict core of what 46elks allows in a text sender, which every operator shows as sent.
_ALPHANUMERIC_SENDER: Final = re.compile(r"[A-Za-z][A-Za-z0-9]{0,10}")
# Message ids as gateways make them ("s" and 32 hex digits at 46elks); nothing longer is kept.
_MESSAGE_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
# A gateway's refusal is repeated in an error only if it is short ASCII prose without digits,
# which cannot carry a phone number.
_SAFE_REASON: Final = re.compile(r"[A-Za-z \"'.,:;()_-]{1,80}")
REPORT_STATUSES: Final = frozenset({"sent", "delivered", "failed"})

# GSM 03.38: the basic table (without the escape) and the extension table, whose characters
# take two septets.
_GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION: Final = frozenset("\f^{}\\[]~|€")


class SmsError(Exception):
    """An SMS that was not sent. ``permanent``: sending it again the same way will fail again
    (a refusal, an invalid number, wrong credentials); otherwise the gateway could not be
    reached or was overloaded, and a later try may work. ``reason`` never holds the number
    or the text."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class SentSms:
    """The gateway's id of an accepted SMS (delivery reports name it) and its part count."""

    id: str
    parts: int


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str, status_callback: str | None) -> SentSms:
        """Send ``text`` to the Swedish mobile number ``to`` (as typed, or E.164); the gateway
        posts delivery reports to ``status_callback`` if given. Raises :class:`SmsError`."""
        ...


def valid_sender(name: str) -> bool:
    """Whether ``name`` can be an SMS sender: an E.164 number, or 1-11 ASCII letters and
    digits starting with a letter. 46elks lets a few more characters through, but operators
    treat them differently, so the portal keeps to what works everywhere."""
    return bool(_E164.fullmatch(name) or _ALPHANUMERIC_SENDER.fullmatch(name))


def count_parts(text: str) -> int:
    """How many SMS ``text`` is sent as: 160 GSM-7 characters (extension characters such as
    ``€`` count twice) or 70 UCS-2 units in one SMS, 153 or 67 per part beyond that. Pairs are
    never split between parts. The gateway's count is the one billed; this one is for
    estimates and for the console backend."""
    if all(char in _GSM7_BASIC or char in _GSM7_EXTENSION for char in text):
        units = [2 if char in _GSM7_EXTENSION else 1 for char in text]
        single, per_part = 160, 153
    else:
        units = [2 if ord(char) > 0xFFFF else 1 for char in text]
        single, per_part = 70, 67
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > per_part:
            parts, used = parts + 1, 0
        used += size
    return parts


@sensitive_variables("to")
def _recipient(to: str) -> str:
    """``to`` in E.164; a permanent :class:`SmsError` for anything but a Swedish mobile."""
    try:
        return parse_phone_number(to, mobile=True).e164
    except InvalidPhoneNumber as error:
        reason = "not a mobile number" if error.code == "not_mobile" else "not a phone number"
        raise SmsError(f"the recipient is {reason}", permanent=True) from None


class FortySixElksBackend:
    """46elks' SMS API: form-encoded ``POST {url}/sms`` with HTTP Basic auth.

    One instance keeps one connection pool and is safe to share between threads.
    """

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        sender: str,
        timeout: float = DEFAULT_TIMEOUT,
        gateway_keeps_text: bool = False,
    ) -> None:
        if not valid_sender(sender):
            raise ImproperlyConfigured(
                "SMS_SENDER must be an E.164 number or 1-11 letters and digits starting with "
                "a letter."
            )
        self._send_url = url.rstrip("/") + "/sms"
        self._sender = sender
        self._keeps_text = gateway_keeps_text
        self._http = httpx.Client(
            auth=(username, password), timeout=timeout, headers={"Accept": "application/json"}
        )

    def __repr__(self) -> str:
        return f"<FortySixElksBackend {self._send_url} sender={self._sender!r}>"

    def close(self) -> None:
        self._http.close()

    @sensitive_variables("to", "text", "recipient", "form")
    def send(self, *, to: str, text: str, status_callback: str | None) -> SentSms:
        recipient = _recipient(to)
        if not text:
            raise SmsError("the text is empty", permanent=True)
        form = {"from": self._sender, "to": recipient, "message": text}
        if not self._keeps_text:
            form["dontlog"] = "message"
        if status_callback:
            form["whendelivered"] = status_callback
        try:
            response = self._http.post(self._send_url, data=form)
        # `from None`: the httpx exception holds the request, with the Authorization header,
        # the number and the text, which Django's error reports would show with the traceback.
        except httpx.TimeoutException:
            raise _failed("no answer in time", permanent=False) from None
        except httpx.HTTPError as error:
            raise _failed(f"no connection ({type(error).__name__})", permanent=False) from None
        status = response.status_code
        if status == 401:
            raise _failed("the gateway refused the credentials (401)", permanent=True)
        if status in (408, 429) or status >= 500:
            raise _failed(f"the gateway answered {status}", permanent=False)
        if not 200 <= status < 300:
            detail = _safe_reason(response.text, text)
            refused = f"the gateway refused the SMS ({status}{': ' + detail if detail else ''})"
            raise _failed(refused, permanent=True)
        sent = _sent_sms(response)
        logger.info("SMS %s accepted by 46elks (%d part(s)).", sent.id, sent.parts)
        return sent


class ConsoleSmsBackend:
    """Sends nothing: logs one line per SMS, with an id it makes up and the part count.

    For installations and development without a gateway. The number is checked as the real
    backend checks it, so forms behave the same; neither the number nor the text is logged.
    """

    @sensitive_variables("to", "text")
    def send(self, *, to: str, text: str, status_callback: str | None) -> SentSms:
        _recipient(to)
        if not text:
            raise SmsError("the text is empty", permanent=True)
        sent = SentSms(id=f"console-{secrets.token_hex(8)}", parts=count_parts(text))
        logger.info(
            "SMS %s not sent (console backend, %d part(s), %s).",
            sent.id,
            sent.parts,
            "delivery report requested" if status_callback else "no delivery report",
        )
        return sent


def get_backend() -> SmsBackend:
    """The backend ``settings.SMS_BACKEND`` names: ``"46elks"`` or ``"console"`` (also when
    the setting is missing). ImproperlyConfigured for another name or missing 46elks settings."""
    name = getattr(settings, "SMS_BACKEND", "console")
    if name == "console":
        return _console()
    if name != "46elks":
        raise ImproperlyConfigured(f"SMS_BACKEND must be one of {', '.join(BACKENDS)}.")
    values = {
        setting: getattr(settings, setting, None)
        for setting in ("SMS_URL", "SMS_USERNAME", "SMS_PASSWORD", "SMS_SENDER")
    }
    missing = [
        setting for setting, value in values.items() if not isinstance(value, str) or not value
    ]
    if missing:
        raise ImproperlyConfigured(f"SMS_BACKEND is 46elks, so set {', '.join(missing)}.")
    timeout = getattr(settings, "SMS_TIMEOUT", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ImproperlyConfigured("SMS_TIMEOUT must be a positive number of seconds.")
    return _forty_six_elks(
        values["SMS_URL"],
        values["SMS_USERNAME"],
        values["SMS_PASSWORD"],
        values["SMS_SENDER"],
        float(timeout),
        bool(getattr(settings, "SMS_GATEWAY_KEEPS_TEXT", False)),
    )


@cache
def _console() -> ConsoleSmsBackend:
    return ConsoleSmsBackend()


@cache
def _forty_six_elks(
    url: str, username: str, password: str, sender: str, timeout: float, keeps_text: bool
) -> FortySixElksBackend:
    # One backend (and connection pool) per configuration and process.
    return FortySixElksBackend(
        url=url,
        username=username,
        password=password,
        sender=sender,
        timeout=timeout,
        gateway_keeps_text=keeps_text,
    )


@dataclass(frozen=True)
class DeliveryReport:
    """What the gateway says became of an SMS: ``sent``, ``delivered`` or ``failed``, and
    when it was delivered (UTC), if it says."""

    id: str
    status: str
    delivered_at: datetime | None


def parse_delivery_report(data: Mapping[str, str]) -> DeliveryReport:
    """The report in the form data 46elks posts to ``whendelivered`` (``id``, ``status``,
    ``delivered``), e.g. a Django ``request.POST``.

    ValueError when the id or the status is missing or not one this client knows, or the
    time cannot be read. Other fields are ignored: gateways add fields over time. A time
    without an offset is UTC, as 46elks sends it.
    """
    message_id = data.get("id") or ""
    if not isinstance(message_id, str) or not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError("the report has no valid message id")
    status = data.get("status") or ""
    if status not in REPORT_STATUSES:
        raise ValueError(f"the status must be one of {', '.join(sorted(REPORT_STATUSES))}")
    delivered = data.get("delivered") or ""
    if not delivered:
        return DeliveryReport(id=message_id, status=status, delivered_at=None)
    try:
        moment = datetime.fromisoformat(delivered.strip())
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):  # OverflowError: 9999-12-31T23:00-05:00
        raise ValueError("the delivery time cannot be read") from None
    if not 1900 <= moment.year <= 2100:  # shown in local time later, a day either way
        raise ValueError("the delivery time cannot be read")
    return DeliveryReport(id=message_id, status=status, delivered_at=moment)


def _failed(reason: str, *, permanent: bool) -> SmsError:
    logger.warning("SMS not sent: %s.", reason)
    return SmsError(reason, permanent=permanent)


def _safe_reason(body: str, text: str) -> str:
    """The gateway's plain-text reason for a refusal, if it can hold neither number nor text."""
    reason = body.strip()
    if not _SAFE_REASON.fullmatch(reason) or (text and text in reason):
        return ""
    return reason


def _sent_sms(response: httpx.Response) -> SentSms:
    """The id and part count of an accepted SMS; a temporary SmsError if they are missing."""
    try:
        data = response.json()
    except ValueError:
        data = None
    message_id = data.get("id") if isinstance(data, dict) else None
    parts = data.get("parts") if isinstance(data, dict) else None
    if (
        not isinstance(message_id, str)
        or not _MESSAGE_ID.fullmatch(message_id)
        or isinstance(parts, bool)
        or not isinstance(parts, int)
        or parts < 1
    ):
        raise _failed("the gateway's answer cannot be read", permanent=False)
    return SentSms(id=message_id, parts=parts)

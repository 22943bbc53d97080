"""The login flow around one BankID order, bound to the person's server-side session.

The order reference and the QR secret live only in the session (stored on the server);
the browser gets the QR image and the messages, never the secret.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse

from sjalvservice.core.http import client_ip
from sjalvservice.eid.bankid import client, messages
from sjalvservice.eid.bankid.device import on_phone_or_tablet
from sjalvservice.eid.services import StaffNumberError, log_in_citizen

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

logger = logging.getLogger(__name__)

SESSION_KEY = "bankid_order"
Method = Literal["qr", "same_device"]
# Maintenance and rate limiting may be retried silently a few times (BankID's guidance).
SILENT_RETRIES = 3


def is_configured() -> bool:
    return bool(
        settings.BANKID_URL
        and settings.BANKID_CLIENT_CERT
        and settings.BANKID_CLIENT_KEY
        and settings.BANKID_CA_CERT
    )


def get_client() -> client.BankIdClient:
    if not is_configured():
        raise ImproperlyConfigured("BankID is not configured (BANKID_URL and certificates).")
    return _client(
        settings.BANKID_URL,
        settings.BANKID_CLIENT_CERT,
        settings.BANKID_CLIENT_KEY,
        settings.BANKID_CA_CERT,
        settings.BANKID_TIMEOUT,
    )


@cache
def _client(url: str, cert: str, key: str, ca: str, timeout: int) -> client.BankIdClient:
    # One client (and connection pool) per configuration and process.
    return client.BankIdClient(
        base_url=url, client_cert=cert, client_key=key, ca_cert=ca, timeout=timeout
    )


@dataclass(frozen=True)
class Outcome:
    """What the waiting page shows after a poll."""

    state: Literal["pending", "complete", "failed", "none"]
    message: StrPromise | str = ""
    redirect_to: str = ""


def _device_identifier(request: HttpRequest) -> str:
    # A stable, non-personal value per browser session, as BankID asks for.
    if request.session.session_key is None:
        request.session.save()
    key = f"{settings.SECRET_KEY}:{request.session.session_key}".encode()
    return hashlib.sha256(key).hexdigest()


def start(request: HttpRequest, method: Method, next_url: str) -> None:
    """Start an auth order and remember it in the session. Raises client.BankIdError."""
    cancel_current(request)
    return_url = None
    if method == "same_device":
        return_url = request.build_absolute_uri(reverse("eid:bankid_wait"))
    order = get_client().auth(
        end_user_ip=client_ip(request),
        return_url=return_url,
        web=client.WebDevice(
            referring_domain=request.get_host().split(":")[0],
            user_agent=request.headers.get("User-Agent", "")[:512],
            device_identifier=_device_identifier(request),
        ),
    )
    request.session[SESSION_KEY] = {
        "ref": order.order_ref,
        "auto_start_token": order.auto_start_token,
        "qr_start_token": order.qr_start_token,
        "qr_start_secret": order.qr_start_secret,
        "started": time.time(),
        "method": method,
        "next": next_url,
        "last_collect": 0.0,
        "hint": "outstandingTransaction",
        "retries": 0,
    }


def current(request: HttpRequest) -> dict | None:
    order = request.session.get(SESSION_KEY)
    return order if isinstance(order, dict) else None


def current_qr(request: HttpRequest) -> str | None:
    order = current(request)
    if order is None or order["method"] != "qr":
        return None
    seconds = max(0, int(time.time() - order["started"]))
    return client.qr_content(order["qr_start_token"], order["qr_start_secret"], seconds)


def autostart_url(request: HttpRequest) -> str | None:
    order = current(request)
    if order is None or order["method"] != "same_device":
        return None
    token = order["auto_start_token"]
    if settings.BANKID_TEST_APP_URL:
        return f"{settings.BANKID_TEST_APP_URL}?autostarttoken={token}&redirect=null"
    # returnUrl in the order brings the person back; redirect=null as BankID advises
    # for everything but iOS, where the app honours returnUrl as well.
    return f"bankid:///?autostarttoken={token}&redirect=null"


def poll(request: HttpRequest) -> Outcome:
    """Collect the order's state (at most once a second) and act on it."""
    order = current(request)
    if order is None:
        return Outcome("none")
    qr = order["method"] == "qr"
    mobile = on_phone_or_tablet(request)
    now = time.time()
    if now - order["last_collect"] < 1.0:
        return Outcome("pending", messages.pending(order["hint"], qr=qr, mobile=mobile))
    order["last_collect"] = now
    request.session.modified = True
    try:
        result = get_client().collect(order["ref"])
    except (client.Maintenance, client.TooManyRequests) as error:
        order["retries"] += 1
        if order["retries"] <= SILENT_RETRIES:
            return Outcome(
                "pending",
                messages.pending(order["hint"], qr=qr, mobile=mobile),
            )
        return _fail(request, messages.error(error))
    except client.BankIdError as error:
        logger.warning("BankID collect failed: %s", error.error_code)
        return _fail(request, messages.error(error))
    order["retries"] = 0
    if result.status == "pending":
        order["hint"] = result.hint_code or ""
        return Outcome("pending", messages.pending(result.hint_code, qr=qr, mobile=mobile))
    if result.status == "failed":
        logger.info("BankID order failed: %s", result.hint_code)
        return _fail(request, messages.failed(result.hint_code, qr=qr))
    assert result.completion is not None
    user = result.completion.user
    del request.session[SESSION_KEY]
    if order["method"] == "same_device" and not same_address(
        result.completion.ip_address, client_ip(request)
    ):
        # On this device the app and the browser share an address; when they do not,
        # someone may have passed the order on (BankID's guidance: compare and record).
        # Neither address is logged: both are personal data.
        logger.warning("BankID on this device was completed from another IP address")
    try:
        log_in_citizen(
            request,
            personal_number=user.personal_number,
            given_name=user.given_name,
            surname=user.surname,
            method="bankid",
        )
    except StaffNumberError:
        logger.warning("BankID login refused: the number belongs to a staff account")
        return Outcome("failed", messages.RFA["staff_number"])
    return Outcome("complete", redirect_to=order["next"] or reverse("cases:my_pages"))


def same_address(reported: str, ours: str) -> bool:
    """Whether BankID's ``device.ipAddress`` is the browser's address (an IPv4 address
    written as IPv6 counts as itself); True when BankID did not report one."""
    if not reported:
        return True
    try:
        first, second = ipaddress.ip_address(reported), ipaddress.ip_address(ours)
    except ValueError:
        return False
    return _plain(first) == _plain(second)


def _plain(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> object:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _fail(request: HttpRequest, message: StrPromise) -> Outcome:
    request.session.pop(SESSION_KEY, None)
    return Outcome("failed", message)


def cancel_current(request: HttpRequest) -> None:
    """Cancel the session's pending order, if any (BankID may already have ended it)."""
    order = request.session.pop(SESSION_KEY, None)
    if not isinstance(order, dict):
        return
    try:
        get_client().cancel(order["ref"])
    except client.BankIdError as error:
        logger.info("BankID cancel: %s", error.error_code)

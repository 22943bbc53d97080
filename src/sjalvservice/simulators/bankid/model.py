"""The data of the simulated BankID service: the clock, settings, errors, orders and QR codes."""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import math
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

OrderKind = Literal["auth", "sign", "phone_auth", "phone_sign"]
Status = Literal["pending", "complete", "failed"]
PickUp = Literal["qr", "autostart", "phone", "control"]
Step = Literal["call", "mrtd", "identify"]


@dataclass(frozen=True)
class OrderSettings:
    """Timings, in seconds. The real values are partly unverified, hence settings."""

    start_timeout: float = 30.0
    order_timeout: float = 180.0
    complete_collect_window: float = 180.0
    failed_collect_window: float = 300.0
    qr_tolerance: int = 2


class ApiError(Exception):
    """An error the RP API answers as ``{"errorCode", "details"}`` with HTTP 400."""

    def __init__(self, error_code: str, details: str) -> None:
        super().__init__(f"{error_code}: {details}")
        self.error_code = error_code
        self.details = details


class AppError(Exception):
    """A refusal shown to the user of the test app, in Swedish.

    ``field`` names the form field the message belongs to, or is None for a whole-page error.
    """

    def __init__(self, message: str, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class UnknownOrder(LookupError):
    """The control API was asked about an orderRef the simulator does not know."""


class OrderStateError(Exception):
    """A control API action that the order's current state does not allow."""


def _uuid() -> str:
    return str(uuid.uuid4())


@dataclass
class Order:
    """One auth, sign or phone order and everything the simulator knows about it."""

    order_ref: str
    kind: OrderKind
    created_at: float
    auto_start_token: str = field(default_factory=_uuid)
    qr_start_token: str = field(default_factory=_uuid)
    qr_start_secret: str = field(default_factory=_uuid)
    request: dict[str, Any] = field(default_factory=dict)
    end_user_ip: str | None = None
    requirement: dict[str, Any] = field(default_factory=dict)
    user_visible_data: str | None = None
    user_non_visible_data: str | None = None
    user_visible_data_format: str | None = None
    return_url: str | None = None
    return_risk: bool = False
    web: dict[str, Any] | None = None
    app: dict[str, Any] | None = None
    personal_number: str | None = None
    call_initiator: str | None = None
    status: Status = "pending"
    hint_code: str | None = "outstandingTransaction"
    picked_up_at: float | None = None
    picked_up_via: PickUp | None = None
    autostart_redirect: str | None = None
    call_confirmed: bool = False
    mrtd_done: bool = False
    finished_at: float | None = None
    final_collected: bool = False
    cancelled_by_rp: bool = False
    completion_data: dict[str, Any] | None = None
    # The test app never shows the orderRef (the RP's handle); its forms carry this opaque id
    # plus a per-order secret token, so one order's form cannot act on another order.
    app_id: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    form_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @classmethod
    def from_request(
        cls, order_ref: str, kind: OrderKind, created_at: float, request: Mapping[str, Any]
    ) -> Order:
        """Create a pending order from an already validated request body."""
        return cls(
            order_ref=order_ref,
            kind=kind,
            created_at=created_at,
            request=copy.deepcopy(dict(request)),
            end_user_ip=request.get("endUserIp"),
            requirement=copy.deepcopy(request.get("requirement") or {}),
            user_visible_data=request.get("userVisibleData"),
            user_non_visible_data=request.get("userNonVisibleData"),
            user_visible_data_format=request.get("userVisibleDataFormat"),
            return_url=request.get("returnUrl"),
            return_risk=request.get("returnRisk") is True,
            web=copy.deepcopy(request.get("web")),
            app=copy.deepcopy(request.get("app")),
            personal_number=request.get("personalNumber"),
            call_initiator=request.get("callInitiator"),
        )

    @property
    def is_phone(self) -> bool:
        """Whether this order came from ``/phone/auth`` or ``/phone/sign``."""
        return self.kind in ("phone_auth", "phone_sign")

    @property
    def is_sign(self) -> bool:
        """Whether the user is asked to sign rather than to identify."""
        return self.kind in ("sign", "phone_sign")

    @property
    def required_personal_number(self) -> str | None:
        """The only person who may complete the order, if the RP named one."""
        required = self.requirement.get("personalNumber")
        if isinstance(required, str):
            return required
        return self.personal_number

    @property
    def visible_text(self) -> str | None:
        """``userVisibleData`` decoded to text (validated as base64 UTF-8 on creation)."""
        return _decode(self.user_visible_data)

    def to_json(self) -> dict[str, Any]:
        """The order as the control API shows it to tests."""
        return {
            "orderRef": self.order_ref,
            "kind": self.kind,
            "status": self.status,
            "hintCode": self.hint_code,
            "createdAt": self.created_at,
            "pickedUpAt": self.picked_up_at,
            "pickedUpVia": self.picked_up_via,
            "finishedAt": self.finished_at,
            "finalCollected": self.final_collected,
            "cancelledByRp": self.cancelled_by_rp,
            "autoStartToken": self.auto_start_token,
            "qrStartToken": self.qr_start_token,
            "qrStartSecret": self.qr_start_secret,
            "request": copy.deepcopy(self.request),
            "completionData": copy.deepcopy(self.completion_data),
        }


def _decode(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def qr_auth_code(qr_start_secret: str, t: int) -> str:
    """Lower-case hex HMAC-SHA256 of ``str(t)`` keyed with the order's ``qrStartSecret``."""
    key = qr_start_secret.encode("ascii")
    return hmac.new(key, str(t).encode("ascii"), hashlib.sha256).hexdigest()


def build_qr_content(qr_start_token: str, qr_start_secret: str, t: int) -> str:
    """The animated QR code's text for ``t`` whole seconds after the order was created."""
    return f"bankid.{qr_start_token}.{t}.{qr_auth_code(qr_start_secret, t)}"


def qr_content(order: Order, t: int) -> str:
    """The QR content the RP would show for ``order`` at second ``t``."""
    return build_qr_content(order.qr_start_token, order.qr_start_secret, t)


def qr_time(order: Order, now: float) -> int:
    """Whole seconds since the order was created, as the RP computes them for the QR code."""
    return math.floor(now - order.created_at)

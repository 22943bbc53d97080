"""A client for the BankID Relying Party API v6.0 over mutual TLS.

Every endpoint the portal may need is here (auth, sign, phone/auth, phone/sign, collect,
cancel) with every request field of v6.0, and every error code maps to its own exception,
so callers decide what to show per case instead of parsing strings.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ssl
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

CallInitiator = Literal["user", "RP"]


@dataclass(frozen=True)
class Requirement:
    """Conditions the order must meet (``requirement`` in the API)."""

    pin_code: bool | None = None
    mrtd: bool | None = None
    card_reader: Literal["class1", "class2"] | None = None
    certificate_policies: list[str] | None = None
    personal_number: str | None = None

    def as_json(self) -> dict[str, Any]:
        names = {
            "pin_code": "pinCode",
            "mrtd": "mrtd",
            "card_reader": "cardReader",
            "certificate_policies": "certificatePolicies",
            "personal_number": "personalNumber",
        }
        return {
            name: getattr(self, attribute)
            for attribute, name in names.items()
            if getattr(self, attribute) is not None
        }


@dataclass(frozen=True)
class WebDevice:
    """The browser the order was started from, for BankID's risk assessment."""

    referring_domain: str
    user_agent: str
    device_identifier: str

    def as_json(self) -> dict[str, str]:
        return {
            "referringDomain": self.referring_domain,
            "userAgent": self.user_agent,
            "deviceIdentifier": self.device_identifier,
        }


@dataclass(frozen=True)
class AppDevice:
    """The native app the order was started from, for BankID's risk assessment."""

    app_identifier: str
    device_os: str
    device_model_name: str
    device_identifier: str

    def as_json(self) -> dict[str, str]:
        return {
            "appIdentifier": self.app_identifier,
            "deviceOS": self.device_os,
            "deviceModelName": self.device_model_name,
            "deviceIdentifier": self.device_identifier,
        }


@dataclass(frozen=True)
class Order:
    """A started auth or sign order. ``qr_start_secret`` must never leave the server."""

    order_ref: str
    auto_start_token: str = ""
    qr_start_token: str = ""
    qr_start_secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class User:
    personal_number: str
    name: str
    given_name: str
    surname: str


@dataclass(frozen=True)
class Completion:
    user: User
    ip_address: str
    uhi: str
    bankid_issue_date: str
    signature: str
    ocsp_response: str
    step_up_mrtd: bool | None = None
    risk: str | None = None


@dataclass(frozen=True)
class CollectResult:
    order_ref: str
    status: Literal["pending", "failed", "complete"]
    hint_code: str | None = None
    completion: Completion | None = None


class BankIdError(Exception):
    """An error answer from BankID (or no answer at all)."""

    error_code = "unknown"

    def __init__(self, details: str = "", *, status: int | None = None) -> None:
        super().__init__(f"{self.error_code}: {details}" if details else self.error_code)
        self.details = details
        self.status = status


class AlreadyInProgress(BankIdError):
    error_code = "alreadyInProgress"


class InvalidParameters(BankIdError):
    error_code = "invalidParameters"


class Unauthorized(BankIdError):
    error_code = "unauthorized"


class NotFound(BankIdError):
    error_code = "notFound"


class MethodNotAllowed(BankIdError):
    error_code = "methodNotAllowed"


class RequestTimeout(BankIdError):
    error_code = "requestTimeout"


class UnsupportedMediaType(BankIdError):
    error_code = "unsupportedMediaType"


class TooManyRequests(BankIdError):
    error_code = "tooManyRequests"

    def __init__(
        self,
        details: str = "",
        *,
        status: int | None = None,
        limit: str | None = None,
        remaining: str | None = None,
        reset: str | None = None,
    ) -> None:
        super().__init__(details, status=status)
        self.limit, self.remaining, self.reset = limit, remaining, reset


class InternalError(BankIdError):
    error_code = "internalError"


class Maintenance(BankIdError):
    error_code = "maintenance"


class Unavailable(BankIdError):
    """BankID could not be reached or did not answer in time."""

    error_code = "unavailable"


ERRORS: dict[str, type[BankIdError]] = {
    error.error_code: error
    for error in (
        AlreadyInProgress,
        InvalidParameters,
        Unauthorized,
        NotFound,
        MethodNotAllowed,
        RequestTimeout,
        UnsupportedMediaType,
        TooManyRequests,
        InternalError,
        Maintenance,
    )
}
ERRORS_BY_STATUS: dict[int, type[BankIdError]] = {
    401: Unauthorized,
    403: Unauthorized,
    404: NotFound,
    405: MethodNotAllowed,
    408: RequestTimeout,
    415: UnsupportedMediaType,
    429: TooManyRequests,
    500: InternalError,
    503: Maintenance,
}


def qr_content(qr_start_token: str, qr_start_secret: str, seconds: int) -> str:
    """The animated QR code's content ``seconds`` whole seconds after the order started."""
    code = hmac.new(
        qr_start_secret.encode("ascii"), str(seconds).encode("ascii"), hashlib.sha256
    ).hexdigest()
    return f"bankid.{qr_start_token}.{seconds}.{code}"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _data_fields(
    requirement: Requirement | None,
    user_visible_data: str | None,
    user_non_visible_data: str | None,
    user_visible_data_format: str | None,
) -> dict[str, Any]:
    """The fields every kind of order shares; the texts travel base64-encoded."""
    fields: dict[str, Any] = {}
    if requirement is not None and requirement.as_json():
        fields["requirement"] = requirement.as_json()
    if user_visible_data is not None:
        fields["userVisibleData"] = _b64(user_visible_data)
    if user_non_visible_data is not None:
        fields["userNonVisibleData"] = _b64(user_non_visible_data)
    if user_visible_data_format is not None:
        fields["userVisibleDataFormat"] = user_visible_data_format
    return fields


class BankIdClient:
    """Talks to one BankID RP API base URL with the relying party's client certificate."""

    def __init__(
        self,
        *,
        base_url: str,
        client_cert: str,
        client_key: str,
        ca_cert: str,
        timeout: float = 10.0,
    ) -> None:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_cert)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(client_cert, client_key)
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            verify=context,
            timeout=timeout,
            headers={"Content-Type": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def auth(
        self,
        *,
        end_user_ip: str,
        requirement: Requirement | None = None,
        user_visible_data: str | None = None,
        user_non_visible_data: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
        return_url: str | None = None,
        return_risk: bool | None = None,
        web: WebDevice | None = None,
        app: AppDevice | None = None,
    ) -> Order:
        """Start an identification (``/auth``)."""
        body = self._order_body(
            end_user_ip=end_user_ip,
            requirement=requirement,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            return_url=return_url,
            return_risk=return_risk,
            web=web,
            app=app,
        )
        return self._order(self._post("auth", body))

    def sign(
        self,
        *,
        end_user_ip: str,
        user_visible_data: str,
        requirement: Requirement | None = None,
        user_non_visible_data: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
        return_url: str | None = None,
        return_risk: bool | None = None,
        web: WebDevice | None = None,
        app: AppDevice | None = None,
    ) -> Order:
        """Start a signature (``/sign``); the person sees ``user_visible_data``."""
        body = self._order_body(
            end_user_ip=end_user_ip,
            requirement=requirement,
            user_visible_data=user_visible_data,
            user_non_visible_data=user_non_visible_data,
            user_visible_data_format=user_visible_data_format,
            return_url=return_url,
            return_risk=return_risk,
            web=web,
            app=app,
        )
        return self._order(self._post("sign", body))

    def phone_auth(
        self,
        *,
        personal_number: str,
        call_initiator: CallInitiator,
        requirement: Requirement | None = None,
        user_visible_data: str | None = None,
        user_non_visible_data: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
    ) -> Order:
        """Identify a person who is on the phone with the municipality (``/phone/auth``)."""
        body = self._phone_body(
            personal_number, call_initiator, requirement,
            user_visible_data, user_non_visible_data, user_visible_data_format,
        )  # fmt: skip
        return self._order(self._post("phone/auth", body))

    def phone_sign(
        self,
        *,
        personal_number: str,
        call_initiator: CallInitiator,
        user_visible_data: str,
        requirement: Requirement | None = None,
        user_non_visible_data: str | None = None,
        user_visible_data_format: Literal["simpleMarkdownV1"] | None = None,
    ) -> Order:
        """A signature by a person on the phone (``/phone/sign``)."""
        body = self._phone_body(
            personal_number, call_initiator, requirement,
            user_visible_data, user_non_visible_data, user_visible_data_format,
        )  # fmt: skip
        return self._order(self._post("phone/sign", body))

    def collect(self, order_ref: str) -> CollectResult:
        """The order's state now; call about every two seconds, never more than once a second."""
        data = self._post("collect", {"orderRef": order_ref})
        completion = None
        if data.get("status") == "complete":
            raw = data["completionData"]
            user = raw["user"]
            completion = Completion(
                user=User(
                    personal_number=user["personalNumber"],
                    name=user.get("name", ""),
                    given_name=user.get("givenName", ""),
                    surname=user.get("surname", ""),
                ),
                ip_address=raw.get("device", {}).get("ipAddress", ""),
                uhi=raw.get("device", {}).get("uhi", ""),
                bankid_issue_date=raw.get("bankIdIssueDate", ""),
                signature=raw.get("signature", ""),
                ocsp_response=raw.get("ocspResponse", ""),
                step_up_mrtd=raw.get("stepUp", {}).get("mrtd"),
                risk=raw.get("risk"),
            )
        return CollectResult(
            order_ref=data["orderRef"],
            status=data["status"],
            hint_code=data.get("hintCode"),
            completion=completion,
        )

    def cancel(self, order_ref: str) -> None:
        """Cancel a pending order."""
        self._post("cancel", {"orderRef": order_ref})

    @staticmethod
    def _order_body(
        *,
        end_user_ip: str,
        requirement: Requirement | None,
        user_visible_data: str | None,
        user_non_visible_data: str | None,
        user_visible_data_format: str | None,
        return_url: str | None,
        return_risk: bool | None,
        web: WebDevice | None,
        app: AppDevice | None,
    ) -> dict[str, Any]:
        if web is not None and app is not None:
            raise ValueError("Send either web or app device data, not both.")
        body: dict[str, Any] = {
            "endUserIp": end_user_ip,
            **_data_fields(
                requirement, user_visible_data, user_non_visible_data, user_visible_data_format
            ),
        }
        optional = {
            "returnUrl": return_url,
            "returnRisk": return_risk,
            "web": web.as_json() if web is not None else None,
            "app": app.as_json() if app is not None else None,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return body

    @staticmethod
    def _phone_body(
        personal_number: str,
        call_initiator: CallInitiator,
        requirement: Requirement | None,
        user_visible_data: str | None,
        user_non_visible_data: str | None,
        user_visible_data_format: str | None,
    ) -> dict[str, Any]:
        return {
            "personalNumber": personal_number,
            "callInitiator": call_initiator,
            **_data_fields(
                requirement, user_visible_data, user_non_visible_data, user_visible_data_format
            ),
        }

    @staticmethod
    def _order(data: dict[str, Any]) -> Order:
        return Order(
            order_ref=data["orderRef"],
            auto_start_token=data.get("autoStartToken", ""),
            qr_start_token=data.get("qrStartToken", ""),
            qr_start_secret=data.get("qrStartSecret", ""),
        )

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(path, json=body)
        except httpx.TimeoutException as error:
            raise Unavailable(f"no answer in time from {path}") from error
        except httpx.HTTPError as error:
            raise Unavailable(f"{type(error).__name__} calling {path}") from error
        if response.status_code == 200:
            data = response.json()
            if not isinstance(data, dict):
                raise InternalError("the answer was not a JSON object", status=200)
            return data
        raise self._error(response)

    @staticmethod
    def _error(response: httpx.Response) -> BankIdError:
        try:
            data = response.json()
        except ValueError:
            data = {}
        code = data.get("errorCode", "") if isinstance(data, dict) else ""
        details = data.get("details", "") if isinstance(data, dict) else ""
        error_class = ERRORS.get(code) or ERRORS_BY_STATUS.get(response.status_code, BankIdError)
        if error_class is TooManyRequests:
            return TooManyRequests(
                details,
                status=response.status_code,
                limit=response.headers.get("RateLimit-Limit"),
                remaining=response.headers.get("RateLimit-Remaining"),
                reset=response.headers.get("RateLimit-Reset"),
            )
        return error_class(details, status=response.status_code)

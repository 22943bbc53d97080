"""Logging in through the federation: the request we send and the checks on the answer.

The pending requests live in ``saml_session(request)`` (djangosaml2's session of its own,
whose cookie reaches us on the IdP's cross-site POST): each request id with where the person
was going and when it was sent. An answer is accepted only for a pending request of this
browser, at most SAML_REQUEST_MAX_AGE old, and only once.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.ident import code
from saml2.response import AuthnResponse, StatusAuthnFailed, StatusError, UnsolicitedResponse
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from sjalvservice.core.se_ids import InvalidIdentityNumber, normalize_personal_identity_number
from sjalvservice.eid.saml.config import LOA3, MetadataError, idp_entity_id, sp_config
from sjalvservice.eid.services import StaffNumberError, log_in_citizen

logger = logging.getLogger(__name__)

PENDING = "eid_saml_pending"
# Kept in the portal's session after login, for single logout: the IdP's transient NameID
# (never the person's identity) and the IdP it came from.
NAME_ID = "eid_saml_name_id"
IDP = "eid_saml_idp"
# Requests one browser may have pending at once (several tabs); older ones are dropped.
MAX_PENDING = 5
ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
_IN_RESPONSE_TO = re.compile(rb'InResponseTo="([^"]{1,128})"')


class LoginRefused(Exception):
    """The answer cannot log anybody in; ``reason`` picks the message the person sees."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason


@dataclass(frozen=True)
class Identity:
    personal_number: str
    given_name: str
    surname: str


def saml_session(request: HttpRequest) -> SessionBase:
    """djangosaml2's session, set by its SamlSessionMiddleware."""
    session: SessionBase = request.saml_session  # type: ignore[attr-defined]
    return session


def start(request: HttpRequest, next_url: str) -> str:
    """Make a signed AuthnRequest (HTTP-Redirect) and return the address to send the person to."""
    config = sp_config(request)
    client = Saml2Client(config)
    request_id, info = client.prepare_for_authenticate(
        entityid=idp_entity_id(config),
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        sigalg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
        relay_state=secrets.token_urlsafe(16),
    )
    pending = _pending(request)
    pending[request_id] = {"next": next_url, "at": time.time()}
    newest = sorted(pending.items(), key=lambda item: item[1]["at"])[-MAX_PENDING:]
    saml_session(request)[PENDING] = dict(newest)
    return str(dict(info["headers"])["Location"])


def _pending(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """This browser's requests still young enough to be answered."""
    stored = saml_session(request).get(PENDING)
    if not isinstance(stored, dict):
        return {}
    oldest = time.time() - settings.SAML_REQUEST_MAX_AGE
    return {
        key: value
        for key, value in stored.items()
        if isinstance(value, dict) and isinstance(value.get("at"), float) and value["at"] > oldest
    }


def _consume(request: HttpRequest, request_id: str) -> None:
    pending = _pending(request)
    pending.pop(request_id, None)
    if pending:
        saml_session(request)[PENDING] = pending
    else:
        saml_session(request).pop(PENDING, None)


def finish(request: HttpRequest, saml_response: str) -> str:
    """Check the IdP's answer and log the person in; return where to go next.

    Raises LoginRefused when nobody may be logged in by it."""
    pending = _pending(request)
    # Whatever comes of it, an answer uses up the request it answers: never twice.
    answered = _answered_request(saml_response)
    too_old = answered in _stored_ids(request) and answered not in pending
    if answered:
        _consume(request, answered)
    try:
        config = sp_config(request)
    except MetadataError as error:
        raise LoginRefused("unavailable", str(error)) from None
    client = Saml2Client(config)
    outstanding = {key: value["next"] for key, value in pending.items()}
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding
        )
    except StatusAuthnFailed:
        raise LoginRefused("cancelled") from None
    except StatusError as error:
        raise LoginRefused("idp_error", type(error).__name__) from None
    except UnsolicitedResponse:
        raise LoginRefused("expired" if too_old else "not_started") from None
    except (ResponseLifetimeExceed, ToEarly) as error:
        raise LoginRefused("expired", type(error).__name__) from None
    except Exception as error:  # signatures, audience, recipient, XML: all mean "not trusted"
        raise LoginRefused("untrusted", type(error).__name__) from None
    if response is None:
        raise LoginRefused("untrusted", "no response")
    identity = _checked_identity(response)
    try:
        log_in_citizen(
            request,
            personal_number=identity.personal_number,
            given_name=identity.given_name,
            surname=identity.surname,
            method="federation",
        )
    except StaffNumberError:
        raise LoginRefused("staff_number") from None
    request.session[NAME_ID] = code(response.name_id)
    request.session[IDP] = response.issuer()
    return str(pending.get(response.in_response_to, {}).get("next") or "")


def _stored_ids(request: HttpRequest) -> set[str]:
    stored = saml_session(request).get(PENDING)
    return set(stored) if isinstance(stored, dict) else set()


def _answered_request(saml_response: str) -> str:
    """The InResponseTo of an answer, read before any check (only to use the request up)."""
    try:
        xml = base64.b64decode(saml_response, validate=False)
    except (binascii.Error, ValueError):
        return ""
    match = _IN_RESPONSE_TO.search(xml[:4096])
    return match.group(1).decode("ascii", "replace") if match else ""


def _checked_identity(response: AuthnResponse) -> Identity:
    """What the profile requires beyond pysaml2's checks: an encrypted assertion, exactly
    LoA3, and a valid personal identity number (a samordningsnummer will do)."""
    root = ElementTree.fromstring(response.xmlstr)
    if (
        root.findall(f"{{{ASSERTION_NS}}}Assertion")
        or len(root.findall(f"{{{ASSERTION_NS}}}EncryptedAssertion")) != 1
    ):
        raise LoginRefused("untrusted", "assertion not encrypted")
    classes = [class_ref for class_ref, *_ in response.authn_info()]
    if classes != [LOA3]:
        raise LoginRefused("low_assurance", "authentication context is not LoA3")
    attributes = response.get_identity()
    numbers = attributes.get("personalIdentityNumber") or []
    if len(numbers) != 1:
        raise LoginRefused("no_number", "no personalIdentityNumber")
    try:
        number = normalize_personal_identity_number(str(numbers[0]))
    except InvalidIdentityNumber:
        raise LoginRefused("no_number", "personalIdentityNumber is not valid") from None
    given_name = _first(attributes, "givenName")
    surname = _first(attributes, "sn")
    if not (given_name or surname):
        given_name, _, surname = _first(attributes, "displayName").rpartition(" ")
    return Identity(number, given_name, surname)


def _first(attributes: dict[str, list[Any]], name: str) -> str:
    values = attributes.get(name) or [""]
    return str(values[0]).strip()[:150]

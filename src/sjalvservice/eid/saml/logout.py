"""Single logout: when the IdP offers it, logging out of the portal logs out there too."""

from __future__ import annotations

import logging

from django.contrib.auth import logout as end_session
from django.http import HttpRequest
from djangosaml2.cache import StateCache
from saml2 import BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.ident import decode
from saml2.mdstore import locations
from saml2.s_utils import status_message_factory, success_status_factory
from saml2.samlp import STATUS_UNKNOWN_PRINCIPAL
from saml2.time_util import in_a_while
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from sjalvservice.eid.saml.config import MetadataError, idp_entity_id, sp_config
from sjalvservice.eid.saml.login import IDP, NAME_ID, saml_session
from sjalvservice.eid.saml.redirect import signed_by

logger = logging.getLogger(__name__)

REASON_USER = "urn:oasis:names:tc:SAML:2.0:logout:user"


def logout_request_url(request: HttpRequest, name_id: str, idp: str) -> str | None:
    """The address of a signed LogoutRequest at the IdP, or None when it offers no logout.

    Called after the portal's own logout: the request's id is kept in the saml session,
    so that the IdP's answer can be matched to it."""
    try:
        config = sp_config(request)
    except MetadataError:
        return None
    if not config.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso"):
        return None
    state = StateCache(saml_session(request))
    client = Saml2Client(config, state_cache=state)
    try:
        responses = client.do_logout(
            decode(name_id),
            [idp],
            reason=REASON_USER,
            expire=in_a_while(minutes=5),
            sign=True,
            expected_binding=BINDING_HTTP_REDIRECT,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    except Exception as error:  # the IdP's metadata lacks what logout needs
        logger.warning("federation logout request not made: %s", type(error).__name__)
        return None
    state.sync()
    _binding, info = responses[idp]
    return str(dict(info["headers"])["Location"])


def federation_session(request: HttpRequest) -> tuple[str, str] | None:
    """The NameID and IdP of a session that logged in through the federation."""
    name_id, idp = request.session.get(NAME_ID), request.session.get(IDP)
    if isinstance(name_id, str) and isinstance(idp, str):
        return name_id, idp
    return None


def logout_answered(request: HttpRequest, saml_response: str) -> bool:
    """Whether the IdP's LogoutResponse answers our request and says it logged out."""
    try:
        config = sp_config(request)
    except MetadataError:
        return False
    if not _signed_by_idp(request, "SAMLResponse", config):
        logger.info("federation logout answer refused: the signature does not verify")
        return False
    state = StateCache(saml_session(request))
    client = Saml2Client(config, state_cache=state)
    try:
        response = client.parse_logout_request_response(saml_response, BINDING_HTTP_REDIRECT)
    except Exception as error:
        logger.info("federation logout answer refused: %s", type(error).__name__)
        return False
    if response is None or response.in_response_to not in state:
        return False
    del state[response.in_response_to]
    state.sync()
    return bool(response.status_ok())


def answer_logout_request(request: HttpRequest) -> str | None:
    """The IdP asks us to end a session it logged in (single logout started elsewhere).

    The request must be signed by the IdP (HTTP-Redirect: SigAlg and Signature) and name
    this session's NameID; then the session ends. Returns the address of our signed
    LogoutResponse at the IdP, or None for a request that cannot be trusted."""
    query = request.GET
    if not (query.get("SigAlg") and query.get("Signature")):
        logger.info("federation logout request refused: not signed")
        return None
    try:
        config = sp_config(request)
    except MetadataError:
        return None
    if not _signed_by_idp(request, "SAMLRequest", config):
        logger.info("federation logout request refused: the signature does not verify")
        return None
    client = Saml2Client(config)
    try:
        logout_request = client.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query["SigAlg"],
            signature=query["Signature"],
        )
    except Exception as error:
        logger.info("federation logout request refused: %s", type(error).__name__)
        return None
    if logout_request is None:
        return None
    message = logout_request.message
    session = federation_session(request)
    ours = session is not None and decode(session[0]) == message.name_id
    if ours:
        end_session(request)
    status = (
        success_status_factory()
        if ours
        else status_message_factory("Unknown session", STATUS_UNKNOWN_PRINCIPAL)
    )
    response = client.create_logout_response(
        message, bindings=[BINDING_HTTP_REDIRECT], status=status, sign=False
    )
    destination = client.metadata.single_logout_service(
        message.issuer.text, BINDING_HTTP_REDIRECT, "idpsso"
    )
    location = next(locations(destination or []), None)
    if not location:
        return None
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        location,
        query.get("RelayState", ""),
        response=True,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return str(dict(info["headers"])["Location"])


def _signed_by_idp(request: HttpRequest, message_key: str, config: SPConfig) -> bool:
    certs = [cert for _name, cert in config.metadata.certs(idp_entity_id(config), "idpsso")]
    return signed_by(request.META.get("QUERY_STRING", ""), message_key, certs)

"""Everything SAML: the IdP's pysaml2 configuration, its signed metadata, reading and verifying
the SP's requests, and making, signing and encrypting the answers.

Algorithms follow the Sweden Connect profile rather than pysaml2's defaults (RSA-SHA1 and
3DES-CBC): signatures are RSA-SHA256 with SHA-256 digests, assertions are encrypted with
AES-256-GCM and the key sent with RSA-OAEP. The SP's requests must be signed with RSA-SHA256
or stronger. pysaml2 is not thread-safe, so every call into it holds one lock.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import secrets
import shutil
import threading
import time
import warnings
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote_plus, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning

from .keys import KeyPaths

with warnings.catch_warnings():
    # pysaml2 7.5 names cryptography's CFB mode when imported, which cryptography warns is
    # moving; nothing here uses it.
    warnings.simplefilter("ignore", CryptographyDeprecationWarning)
    from saml2 import (
        BINDING_HTTP_POST,
        BINDING_HTTP_REDIRECT,
        class_name,
        samlp,
    )
    from saml2.assertion import Policy
    from saml2.config import Config, IdPConfig
    from saml2.extension import algsupport
    from saml2.mdstore import MetadataStore
    from saml2.metadata import entity_descriptor, sign_entity_descriptor
    from saml2.saml import (
        NAME_FORMAT_URI,
        NAMEID_FORMAT_TRANSIENT,
        NameID,
    )
    from saml2.server import Server
    from saml2.sigver import (
        RSA_OAEP_MGF1P,
        get_pem_wrapped_unwrapped,
        make_temp,
        pre_encrypt_assertion,
        pre_encryption_part,
        pre_signature_part,
        security_context,
    )
    from saml2.xmldsig import (
        DIGEST_SHA256,
        DIGEST_SHA384,
        DIGEST_SHA512,
        SIG_RSA_SHA256,
        SIG_RSA_SHA384,
        SIG_RSA_SHA512,
    )

LOA2: Final = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3: Final = "http://id.elegnamnden.se/loa/1.0/loa3"
EC_LOA3_PNR: Final = "http://id.elegnamnden.se/ec/1.0/loa3-pnr"
AES256_GCM: Final = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
STATUS_AUTHN_FAILED: Final = "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"
STATUS_NO_AUTHN_CONTEXT: Final = "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext"
STATUS_NO_PASSIVE: Final = "urn:oasis:names:tc:SAML:2.0:status:NoPassive"
WRONG_AUDIENCE: Final = "https://annan-tjanst.example/sp"

# What the SP may sign its requests with, and what the IdP advertises in its metadata.
SIGNATURE_HASHES: Final[Mapping[str, type[hashes.HashAlgorithm]]] = {
    SIG_RSA_SHA256: hashes.SHA256,
    SIG_RSA_SHA384: hashes.SHA384,
    SIG_RSA_SHA512: hashes.SHA512,
}
DIGESTS: Final = (DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512)
ALGSUPPORT_NAMESPACE: Final = "urn:oasis:names:tc:SAML:metadata:algsupport"

METADATA_VALID_HOURS: Final = 7 * 24
ASSERTION_LIFETIME: Final = 5 * 60
# How far the "expired" fault moves a response into the past.
EXPIRED_BY: Final = 2 * 60 * 60
# A deflated request larger than this once inflated is refused rather than read.
MAX_INFLATED: Final = 1024 * 1024

FAULTS: Final = (
    "unsigned",
    "unencrypted",
    "wrong-audience",
    "expired",
    "loa2",
    "no-pnr",
    "unsolicited",
)


class Refusal(Exception):
    """A request from the SP that gets an error page (HTTP 400) instead of a SAML answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AuthnRequestInfo:
    """What the IdP keeps of a verified AuthnRequest to answer it later."""

    request_id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str | None
    # None when the requested authentication context can be given, else why not.
    context_refusal: str | None
    is_passive: bool


@dataclass(frozen=True)
class Delivery:
    """A SAML Response on its way to the SP's AssertionConsumerService (HTTP-POST binding)."""

    acs: str
    saml_response: str
    relay_state: str | None

    def to_json(self) -> dict[str, str | None]:
        """As ``GET /_control/last-response`` shows it."""
        return {
            "acs": self.acs,
            "saml_response": self.saml_response,
            "relay_state": self.relay_state,
        }


@dataclass(frozen=True)
class Person:
    """Who logged in, from BankID's ``completionData.user``."""

    personal_number: str
    given_name: str
    surname: str
    name: str


def xmlsec_binary() -> str:
    """The xmlsec1 program pysaml2 signs, verifies and encrypts with."""
    return shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def instant(moment: float) -> str:
    """``moment`` (seconds since the epoch) as a SAML time, UTC to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def parse_instant(value: str) -> float:
    """The inverse of :func:`instant` (tests use it to check lifetimes)."""
    return float(calendar.timegm(time.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")))


class ReleaseAll(Policy):
    """pysaml2's release policy without its filtering by the SP's requested attributes: the
    Sweden Connect attribute set is released whatever the SP's metadata asks for."""

    def restrict(self, ava: Any, sp_entity_id: str, metadata: Any = None) -> Any:
        del sp_entity_id, metadata
        return dict(ava)


class AesGcmServer(Server):
    """pysaml2's IdP that encrypts with AES-256-GCM (pysaml2 would use 3DES-CBC) and keeps no
    store of the assertions it made (it answers no AssertionIDRequest or AuthnQuery)."""

    def support_AssertionIDRequest(self) -> bool:
        return False

    def support_AuthnQuery(self) -> bool:
        return False

    def _encrypt_assertion(
        self,
        encrypt_cert: str | None,
        sp_entity_id: str | None,
        response: Any,
        node_xpath: str | None = None,
    ) -> Any:
        """Encrypt the assertion in ``response`` for the SP's encryption certificate."""
        if encrypt_cert:
            certs = [(None, encrypt_cert)]
        else:
            certs = self.metadata.certs(sp_entity_id, "spsso", "encryption")
        if not certs:
            raise ValueError(f"no encryption certificate for {sp_entity_id}")
        error: Exception | None = None
        for _name, cert in certs:
            wrapped, unwrapped = get_pem_wrapped_unwrapped(cert)
            cert_file = make_temp(
                wrapped.encode("ascii"), decode=False, delete_tmpfiles=self.config.delete_tmpfiles
            )
            template = pre_encryption_part(
                msg_enc=AES256_GCM, key_enc=RSA_OAEP_MGF1P, encrypt_cert=unwrapped
            )
            try:
                return self.sec.encrypt_assertion(
                    response, cert_file.name, template, key_type="aes-256", node_xpath=node_xpath
                )
            except Exception as failure:
                error = failure
        assert error is not None
        raise error


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj(-15)
    xml = inflater.decompress(data, MAX_INFLATED)
    if inflater.unconsumed_tail:
        raise Refusal("Begäran är för stor.")
    return xml


def decode_message(binding: str, encoded: str) -> bytes:
    """The XML of a SAMLRequest as the binding carries it (base64, deflated for Redirect)."""
    try:
        data = base64.b64decode(encoded, validate=False)
        xml = _inflate(data) if binding == BINDING_HTTP_REDIRECT else data
    except (binascii.Error, ValueError, zlib.error):
        raise Refusal("Begäran (SAMLRequest) kunde inte avkodas.") from None
    if not xml.lstrip().startswith(b"<"):
        raise Refusal("Begäran (SAMLRequest) är inte XML.")
    return xml


def message_issuer(binding: str, encoded: str, *, logout: bool = False) -> str:
    """The Issuer of an AuthnRequest or LogoutRequest, read before anything is verified."""
    xml = decode_message(binding, encoded)
    reader = samlp.logout_request_from_string if logout else samlp.authn_request_from_string
    try:
        message = reader(xml)
    except Exception:
        message = None
    kind = "LogoutRequest" if logout else "AuthnRequest"
    if message is None:
        raise Refusal(f"Begäran är inte en SAML {kind}.")
    issuer = (
        message.issuer.text.strip() if message.issuer is not None and message.issuer.text else ""
    )
    if not issuer:
        raise Refusal(f"Begärans {kind} saknar Issuer.")
    return str(issuer)


def _raw_fields(raw_query: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in raw_query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name = unquote_plus(name)
        if name in fields:
            raise Refusal(f"Parametern {name} förekommer mer än en gång.")
        fields[name] = value
    return fields


def verify_redirect_signature(raw_query: str, message_key: str, certs: Sequence[str]) -> None:
    """Check the HTTP-Redirect binding's ``SigAlg``/``Signature`` over the query string exactly
    as it arrived (SAML bindings 3.4.4.1), against the SP's signing certificates."""
    fields = _raw_fields(raw_query)
    if "Signature" not in fields or "SigAlg" not in fields:
        raise Refusal("Begäran är inte signerad (SigAlg och Signature saknas).")
    sigalg = unquote_plus(fields["SigAlg"])
    algorithm = SIGNATURE_HASHES.get(sigalg)
    if algorithm is None:
        raise Refusal(
            f"Signaturalgoritmen {sigalg} godtas inte. Signera med RSA-SHA256 eller starkare."
        )
    try:
        signed = "&".join(
            f"{name}={fields[name]}"
            for name in (message_key, "RelayState", "SigAlg")
            if name in fields
        ).encode("ascii")
        signature = base64.b64decode(unquote_plus(fields["Signature"]), validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise Refusal("Signaturen kunde inte läsas.") from None
    for cert in certs:
        try:
            key = x509.load_der_x509_certificate(base64.b64decode(cert)).public_key()
        except ValueError:
            continue
        if not isinstance(key, rsa.RSAPublicKey):
            continue
        try:
            key.verify(signature, signed, padding.PKCS1v15(), algorithm())
        except InvalidSignature:
            continue
        return
    raise Refusal("Signaturen stämmer inte med tjänstens certifikat i dess metadata.")


def check_enveloped_algorithms(message: Any) -> None:
    """An HTTP-POST request must carry an enveloped signature made with SHA-256 or stronger
    (pysaml2 has already checked that the signature itself is good)."""
    signature = message.signature
    if signature is None:
        raise Refusal("Begäran är inte signerad.")
    method = signature.signed_info.signature_method.algorithm
    if method not in SIGNATURE_HASHES:
        raise Refusal(
            f"Signaturalgoritmen {method} godtas inte. Signera med RSA-SHA256 eller starkare."
        )
    for reference in signature.signed_info.reference:
        if reference.digest_method.algorithm not in DIGESTS:
            raise Refusal(
                f"Kontrollsummealgoritmen {reference.digest_method.algorithm} godtas inte. "
                "Använd SHA-256 eller starkare."
            )


def context_refusal(requested: Any) -> str | None:
    """Why the RequestedAuthnContext cannot be met, or None (LoA3 is always given)."""
    if requested is None:
        return None
    if requested.authn_context_decl_ref:
        return "Identitetsutgivaren stöder inte AuthnContextDeclRef."
    refs = {ref.text.strip() for ref in requested.authn_context_class_ref if ref.text}
    comparison = requested.comparison or "exact"
    if comparison in ("exact", "maximum"):
        met = LOA3 in refs
    elif comparison == "minimum":
        met = bool(refs & {LOA2, LOA3})
    elif comparison == "better":
        met = LOA2 in refs
    else:
        met = False
    if met:
        return None
    return f"Identitetsutgivaren kan bara ge tillitsnivå {LOA3} (Comparison {comparison})."


class IdentityProvider:
    """The IdP's SAML side for one entity id: metadata, requests, responses and logout."""

    def __init__(self, *, base_url: str, region: str, keys: KeyPaths) -> None:
        self.base_url = base_url
        self.entity_id = f"{base_url}idp"
        self.sso_url = f"{base_url}sso"
        self.slo_url = f"{base_url}slo"
        self.region = region
        self._lock = threading.RLock()
        self._config = self._idp_config(keys)
        self._server = AesGcmServer(config=self._config)
        self._server.signing_algorithm = SIG_RSA_SHA256
        self._server.digest_algorithm = DIGEST_SHA256
        metadata_config = Config()
        metadata_config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": xmlsec_binary(),
                "key_file": str(keys.metadata_key),
                "cert_file": str(keys.metadata_cert),
                "delete_tmpfiles": True,
            }
        )
        self._metadata_security = security_context(metadata_config)
        self.sp_entity_ids: frozenset[str] = frozenset()

    def _idp_config(self, keys: KeyPaths) -> Any:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": xmlsec_binary(),
                "key_file": str(keys.signing_key),
                "cert_file": str(keys.signing_cert),
                "metadata_key_usage": "signing",
                "valid_for": METADATA_VALID_HOURS,
                "assurance_certification": [LOA3],
                "entity_category": [EC_LOA3_PNR],
                "only_use_keys_in_metadata": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "accepted_time_diff": 60,
                "delete_tmpfiles": True,
                "metadata": {},
                "service": {
                    "idp": {
                        "name": self.region,
                        "endpoints": {
                            "single_sign_on_service": [
                                (self.sso_url, BINDING_HTTP_REDIRECT),
                                (self.sso_url, BINDING_HTTP_POST),
                            ],
                            "single_logout_service": [(self.slo_url, BINDING_HTTP_REDIRECT)],
                        },
                        # Checked here rather than by pysaml2, which verifies HTTP-Redirect
                        # signatures over a re-encoded query string; the metadata still says
                        # "true" (see metadata_xml).
                        "want_authn_requests_signed": False,
                        "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                        "ui_info": {
                            "display_name": [
                                {"text": self.region, "lang": "sv"},
                                {"text": self.region, "lang": "en"},
                            ]
                        },
                        "policy": {
                            "default": {
                                "lifetime": {"seconds": ASSERTION_LIFETIME},
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "signing_algorithm": SIG_RSA_SHA256,
                        "digest_algorithm": DIGEST_SHA256,
                    }
                },
            }
        )
        return config

    # -- metadata ---------------------------------------------------------------------------

    def metadata_xml(self) -> str:
        """The IdP's EntityDescriptor, signed by the federation operator's key."""
        with self._lock:
            descriptor = entity_descriptor(self._config)
            descriptor.idpsso_descriptor.want_authn_requests_signed = "true"
            # pysaml2 lists every algorithm xmlsec1 knows (MD5 and SHA-1 among them); advertise
            # only the ones this IdP uses and accepts.
            extensions = descriptor.extensions
            extensions.extension_elements = [
                element
                for element in extensions.extension_elements
                if element.namespace != ALGSUPPORT_NAMESPACE
            ]
            for digest in DIGESTS:
                extensions.add_extension_element(algsupport.DigestMethod(algorithm=digest))
            for method in SIGNATURE_HASHES:
                extensions.add_extension_element(algsupport.SigningMethod(algorithm=method))
            _, xml = sign_entity_descriptor(
                descriptor,
                None,
                self._metadata_security,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
        return str(xml)

    # -- the SP's metadata ------------------------------------------------------------------

    def _store(self, documents: Sequence[str]) -> Any:
        store = MetadataStore(self._config.attribute_converters, self._config, check_validity=True)
        for document in documents:
            store.load("inline", document)
        return store

    @staticmethod
    def _sp_ids(store: Any) -> frozenset[str]:
        return frozenset(
            str(entity)
            for entity in store.keys()  # noqa: SIM118 (not a dict)
            if "spsso_descriptor" in store[entity]
        )

    def check_sp_metadata(self, document: str) -> frozenset[str]:
        """The SP entity ids in ``document``; ValueError when it is no usable SP metadata."""
        try:
            with self._lock:
                ids = self._sp_ids(self._store([document]))
        except Exception as error:
            raise ValueError(f"the metadata cannot be read: {type(error).__name__}") from None
        if not ids:
            raise ValueError("the metadata has no SPSSODescriptor (or it is no longer valid)")
        return ids

    def load_sp_metadata(self, documents: Sequence[str]) -> frozenset[str]:
        """Trust the SPs in ``documents`` (earlier documents win for an entity id in several)."""
        with self._lock:
            store = self._store(documents)
            self._server.metadata = store
            self._server.sec.metadata = store
            self._config.metadata = store
            self.sp_entity_ids = self._sp_ids(store)
            return self.sp_entity_ids

    def _signing_certs(self, sp_entity_id: str) -> list[str]:
        return [cert for _, cert in self._server.metadata.certs(sp_entity_id, "spsso", "signing")]

    # -- AuthnRequest -----------------------------------------------------------------------

    def parse_authn_request(
        self, binding: str, saml_request: str, relay_state: str | None, raw_query: str
    ) -> AuthnRequestInfo:
        """Verify an AuthnRequest from a known SP; raise Refusal when it is not acceptable."""
        issuer = message_issuer(binding, saml_request)
        with self._lock:
            if issuer not in self.sp_entity_ids:
                raise Refusal(f"Tjänsten {issuer} är okänd: dess metadata finns inte här.")
            if binding == BINDING_HTTP_REDIRECT:
                verify_redirect_signature(raw_query, "SAMLRequest", self._signing_certs(issuer))
            try:
                parsed = self._server.parse_authn_request(
                    saml_request, binding, relay_state=relay_state
                )
            except Exception as error:
                raise Refusal(f"Begäran kunde inte verifieras ({type(error).__name__}).") from None
            message = parsed.message
            if binding == BINDING_HTTP_POST:
                check_enveloped_algorithms(message)
            acs = self._acs(issuer, message)
            if not self._server.metadata.certs(issuer, "spsso", "encryption"):
                raise Refusal("Tjänstens metadata har inget certifikat för kryptering.")
        return AuthnRequestInfo(
            request_id=str(message.id),
            sp_entity_id=issuer,
            acs_url=acs,
            relay_state=relay_state,
            context_refusal=context_refusal(message.requested_authn_context),
            is_passive=str(message.is_passive).lower() == "true",
        )

    def _acs(self, sp_entity_id: str, message: Any) -> str:
        """The request's AssertionConsumerServiceURL if the SP's metadata lists it, else the
        metadata's HTTP-POST endpoint (by index if one was asked for, else the default)."""
        services = self._server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)
        if not services:
            raise Refusal("Tjänstens metadata har ingen AssertionConsumerService för HTTP-POST.")
        requested = message.assertion_consumer_service_url
        index = message.assertion_consumer_service_index
        chosen = next((s for s in services if requested and s["location"] == requested), None)
        if chosen is None and index is not None:
            chosen = next((s for s in services if str(s.get("index")) == str(index)), None)
        if chosen is None:
            defaults = [s for s in services if str(s.get("is_default", "")).lower() == "true"]
            chosen = (defaults or services)[0]
        location = str(chosen["location"])
        if urlsplit(location).scheme not in ("http", "https"):
            raise Refusal("Tjänstens AssertionConsumerService är ingen http(s)-adress.")
        return location

    # -- Responses --------------------------------------------------------------------------

    def error_response(self, request: AuthnRequestInfo, status: str, message: str) -> Delivery:
        """A signed Response with top-level status Responder and ``status`` under it."""
        with self._lock:
            xml = self._server.create_error_response(
                request.request_id,
                request.acs_url,
                (status, message),
                sign=True,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
        return self._delivery(request, str(xml))

    def authn_response(
        self, request: AuthnRequestInfo, person: Person, *, now: float, fault: str | None = None
    ) -> Delivery:
        """The Response for a completed login: signed, with a signed and encrypted assertion
        (unless ``fault``, one of FAULTS, says otherwise)."""
        identity = {
            "personalIdentityNumber": [person.personal_number],
            "givenName": [person.given_name],
            "sn": [person.surname],
            "displayName": [person.name],
        }
        if fault == "no-pnr":
            del identity["personalIdentityNumber"]
        in_response_to = request.request_id
        if fault == "unsolicited":
            in_response_to = f"_{secrets.token_hex(16)}"
        name_id = NameID(
            format=NAMEID_FORMAT_TRANSIENT,
            text=f"_{secrets.token_hex(20)}",
            name_qualifier=self.entity_id,
            sp_name_qualifier=request.sp_entity_id,
        )
        issued = now - EXPIRED_BY if fault == "expired" else now
        with self._lock:
            policy = ReleaseAll(
                {
                    "default": {
                        "lifetime": {"seconds": ASSERTION_LIFETIME},
                        "name_form": NAME_FORMAT_URI,
                    }
                },
                self._server.metadata,
            )
            response = self._server.create_authn_response(
                identity,
                in_response_to,
                request.acs_url,
                request.sp_entity_id,
                name_id=name_id,
                authn={
                    "class_ref": LOA2 if fault == "loa2" else LOA3,
                    "authn_auth": self.entity_id,
                },
                sign_response=False,
                sign_assertion=False,
                encrypt_assertion=False,
                release_policy=policy,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
            if not isinstance(response, samlp.Response) or response.assertion is None:
                raise RuntimeError("pysaml2 made no assertion")
            _set_times(response, issued)
            if fault == "wrong-audience":
                for restriction in response.assertion.conditions.audience_restriction:
                    for audience in restriction.audience:
                        audience.text = WRONG_AUDIENCE
            xml = self._seal(
                response,
                sign=fault != "unsigned",
                encrypt=fault != "unencrypted",
                sp_entity_id=request.sp_entity_id,
            )
        return self._delivery(request, xml)

    def _seal(self, response: Any, *, sign: bool, encrypt: bool, sp_entity_id: str) -> str:
        """Sign the assertion, encrypt it, then sign the response around it, as pysaml2 does
        (``Entity._response``) but with the algorithms of the profile."""
        security = self._server.sec
        assertion = response.assertion
        if sign:
            assertion.signature = pre_signature_part(
                assertion.id, security.my_cert, 2, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
            )
            response.signature = pre_signature_part(
                response.id, security.my_cert, 1, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
            )
        if encrypt:
            tag = assertion._to_element_tree().tag
            response = pre_encrypt_assertion(response)
            xml = response.get_xml_string_with_self_contained_assertion_within_encrypted_assertion(
                tag
            )
        else:
            xml = str(response)
        if sign:
            xml = security.sign_statement(xml, class_name(assertion), node_id=assertion.id)
        if encrypt:
            xml = self._server._encrypt_assertion(None, sp_entity_id, xml)
        if sign:
            xml = security.sign_statement(xml, class_name(response), node_id=response.id)
        return str(xml)

    @staticmethod
    def _delivery(request: AuthnRequestInfo, xml: str) -> Delivery:
        encoded = base64.b64encode(xml.encode("utf-8")).decode("ascii")
        return Delivery(request.acs_url, encoded, request.relay_state)

    # -- Single logout ----------------------------------------------------------------------

    def logout(self, saml_request: str, relay_state: str | None, raw_query: str) -> str:
        """Verify an HTTP-Redirect LogoutRequest; the URL of the signed LogoutResponse."""
        issuer = message_issuer(BINDING_HTTP_REDIRECT, saml_request, logout=True)
        with self._lock:
            if issuer not in self.sp_entity_ids:
                raise Refusal(f"Tjänsten {issuer} är okänd: dess metadata finns inte här.")
            verify_redirect_signature(raw_query, "SAMLRequest", self._signing_certs(issuer))
            try:
                parsed = self._server.parse_logout_request(
                    saml_request, BINDING_HTTP_REDIRECT, relay_state=relay_state
                )
            except Exception as error:
                raise Refusal(
                    f"Utloggningsbegäran kunde inte verifieras ({type(error).__name__})."
                ) from None
            services = self._server.metadata.single_logout_service(
                issuer, BINDING_HTTP_REDIRECT, "spsso"
            )
            if not services:
                raise Refusal("Tjänstens metadata har ingen SingleLogoutService för HTTP-Redirect.")
            destination = str(services[0].get("response_location") or services[0]["location"])
            response = self._server._status_response(
                samlp.LogoutResponse,
                self._server._issuer(),
                None,
                sign=False,
                in_response_to=parsed.message.id,
                destination=destination,
            )
            info = self._server.apply_binding(
                BINDING_HTTP_REDIRECT,
                str(response),
                destination,
                relay_state or "",
                response=True,
                sign=True,
                sigalg=SIG_RSA_SHA256,
            )
        return str(dict(info["headers"])["Location"])


def _set_times(response: Any, issued: float) -> None:
    """Give the response and its assertion one issue time and a lifetime from it."""
    start, end = instant(issued), instant(issued + ASSERTION_LIFETIME)
    response.issue_instant = start
    assertion = response.assertion
    assertion.issue_instant = start
    assertion.conditions.not_before = start
    assertion.conditions.not_on_or_after = end
    for confirmation in assertion.subject.subject_confirmation:
        if confirmation.subject_confirmation_data is not None:
            confirmation.subject_confirmation_data.not_on_or_after = end
    for statement in assertion.authn_statement:
        statement.authn_instant = start

"""The portal as a SAML2 service provider of the region's identity federation.

Builds the pysaml2 configuration from the settings (the Sweden Connect profile: signed
requests, LoA3, signed and encrypted assertions, RSA-SHA256) and loads the IdP's metadata
from a file or URL, refusing it unless its signature verifies against the configured
certificate. djangosaml2 asks for the configuration on every request; the verified
metadata and the configuration built from it are kept for SAML_IDP_METADATA_REFRESH.
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, element_to_extension_element, md
from saml2.config import SPConfig
from saml2.extension import algsupport
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.sigver import CryptoBackendXmlSec1, SecurityContext
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

logger = logging.getLogger(__name__)

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
ENTITY_CATEGORY_LOA3_PNR = "http://id.elegnamnden.se/ec/1.0/loa3-pnr"
METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
# The sign-in must be recent: the IdP's clock may differ from ours by this much.
CLOCK_SKEW_SECONDS = 60


class MetadataError(Exception):
    """The IdP's metadata could not be fetched, or is not what the region signed."""


def xmlsec_binary() -> str:
    return shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


def is_configured() -> bool:
    return bool(settings.SAML_IDP_METADATA and settings.SAML_IDP_METADATA_CERT)


# --- The portal's keys ---------------------------------------------------------------


@dataclass(frozen=True)
class KeyPair:
    key: str
    cert: str


def signing_keys() -> KeyPair:
    if settings.SAML_SP_KEY and settings.SAML_SP_CERT:
        return KeyPair(settings.SAML_SP_KEY, settings.SAML_SP_CERT)
    return _development_keys("signing")


def encryption_keys() -> KeyPair:
    if settings.SAML_SP_ENCRYPTION_KEY and settings.SAML_SP_ENCRYPTION_CERT:
        return KeyPair(settings.SAML_SP_ENCRYPTION_KEY, settings.SAML_SP_ENCRYPTION_CERT)
    return _development_keys("encryption")


_keys_lock = threading.Lock()


def _development_keys(use: str) -> KeyPair:
    """A self-signed pair in DATA_DIR/saml, made on first use (never in production)."""
    folder = settings.DATA_DIR / "saml"
    pair = KeyPair(str(folder / f"sp-{use}-key.pem"), str(folder / f"sp-{use}.pem"))
    with _keys_lock:
        if Path(pair.key).exists() and Path(pair.cert).exists():
            return pair
        folder.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{settings.PORTAL_NAME} {use}")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3 * 365))
            .sign(key, hashes.SHA256())
        )
        # Written aside and renamed into place: another process never reads half a file.
        _write_atomically(
            Path(pair.key),
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
        )
        _write_atomically(Path(pair.cert), certificate.public_bytes(serialization.Encoding.PEM))
    return pair


def _write_atomically(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(temporary, path)


# --- The IdP's metadata --------------------------------------------------------------


def _fetch(source: str) -> bytes:
    if source.startswith(("https://", "http://")):
        if settings.PRODUCTION and not source.startswith("https://"):
            raise MetadataError("SAML_IDP_METADATA must be an https URL in production.")
        try:
            response = httpx.get(source, timeout=10, follow_redirects=False)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise MetadataError(f"fetching the metadata failed: {type(error).__name__}") from None
        return response.content
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise MetadataError(f"reading the metadata failed: {error.strerror}") from None


def verified_metadata(xml: bytes, cert_file: str) -> str:
    """The metadata, if its root element carries a valid signature by ``cert_file``.

    The signature must sit directly in the root and refer to the root's own ID: a document
    that only has some signed part inside it (signature wrapping) is refused."""
    try:
        root = ElementTree.fromstring(xml, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException):
        raise MetadataError("the metadata is not well-formed XML without a DTD") from None
    tag = root.tag.removeprefix(f"{{{METADATA_NS}}}")
    if tag not in ("EntityDescriptor", "EntitiesDescriptor"):
        raise MetadataError("the metadata's root is not an EntityDescriptor or EntitiesDescriptor")
    signature = root.find(f"{{{DSIG_NS}}}Signature")
    reference = None if signature is None else signature.find(f".//{{{DSIG_NS}}}Reference")
    root_id = root.get("ID")
    if reference is None or not root_id or reference.get("URI") != f"#{root_id}":
        raise MetadataError("the metadata is not signed as a whole")
    text = xml.decode("utf-8")
    security = SecurityContext(CryptoBackendXmlSec1(xmlsec_binary()))
    try:
        valid = security.verify_signature(
            text, cert_file=cert_file, node_name=f"{METADATA_NS}:{tag}", node_id=root_id
        )
    except Exception as error:  # pysaml2 raises several kinds; all mean "not trusted"
        raise MetadataError(
            f"the metadata's signature does not verify: {type(error).__name__}"
        ) from None
    if not valid:
        raise MetadataError("the metadata's signature does not verify")
    return text


@dataclass
class _Loaded:
    source: str
    at: float
    config: SPConfig


_loaded: _Loaded | None = None
_load_lock = threading.Lock()


def sp_config(request: HttpRequest | None = None) -> SPConfig:
    """The configuration, with the IdP's verified metadata (djangosaml2's config loader)."""
    global _loaded
    source = settings.SAML_IDP_METADATA or ""
    loaded = _loaded
    if loaded and loaded.source == source and time.monotonic() - loaded.at < _refresh_seconds():
        return loaded.config
    with _load_lock:
        loaded = _loaded
        if loaded and loaded.source == source and time.monotonic() - loaded.at < _refresh_seconds():
            return loaded.config
        if not is_configured():
            raise MetadataError("SAML_IDP_METADATA and SAML_IDP_METADATA_CERT are not set")
        try:
            metadata = verified_metadata(_fetch(source), str(settings.SAML_IDP_METADATA_CERT))
            config = SPConfig().load(pysaml2_settings(metadata))
            if not list(config.metadata.identity_providers()):
                raise MetadataError("the metadata names no identity provider")
        except MetadataError as error:
            if loaded and loaded.source == source and _still_valid(loaded.config):
                logger.warning("SAML metadata not refreshed, keeping the last one: %s", error)
                loaded.at = time.monotonic()
                return loaded.config
            logger.error("SAML metadata refused: %s", error)
            raise
        except Exception as error:  # pysaml2 refuses expired or malformed metadata this way
            logger.error("SAML metadata refused: %s", type(error).__name__)
            raise MetadataError(type(error).__name__) from None
        _loaded = _Loaded(source, time.monotonic(), config)
        return config


def forget_metadata() -> None:
    """Load the metadata again on the next request (tests; a changed setting)."""
    global _loaded
    with _load_lock:
        _loaded = None


def _refresh_seconds() -> int:
    return int(settings.SAML_IDP_METADATA_REFRESH)


def _still_valid(config: SPConfig) -> bool:
    try:
        return bool(list(config.metadata.identity_providers()))
    except Exception:
        return False


def idp_entity_id(config: SPConfig) -> str:
    return str(next(iter(config.metadata.identity_providers())))


# What our metadata says we support (pysaml2 would list every algorithm xmlsec1 knows,
# MD5 and SHA-1 included); the profile's algorithms only.
DIGESTS = [
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
]
SIGNING_METHODS = [
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
]
ENCRYPTION_METHODS = [
    "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm",
    "http://www.w3.org/2009/xmlenc11#rsa-oaep",
    "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
]


def sp_metadata() -> str:
    """The portal's SP metadata: our keys, endpoints, entity category, UIInfo and the
    algorithms of the profile. Needs none of the IdP's metadata."""
    descriptor = entity_descriptor(SPConfig().load(pysaml2_settings(None)))
    extensions = descriptor.extensions
    extensions.extension_elements = [
        element
        for element in extensions.extension_elements
        if element.namespace != algsupport.NAMESPACE
    ]
    extensions.extension_elements += [
        element_to_extension_element(algsupport.DigestMethod(algorithm=name)) for name in DIGESTS
    ] + [
        element_to_extension_element(algsupport.SigningMethod(algorithm=name))
        for name in SIGNING_METHODS
    ]
    for key in descriptor.spsso_descriptor.key_descriptor:
        if key.use == "encryption":
            key.encryption_method = [
                md.EncryptionMethod(algorithm=name) for name in ENCRYPTION_METHODS
            ]
    return str(descriptor)


def _absolute(name: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}"


def pysaml2_settings(metadata: str | None) -> dict[str, Any]:
    """pysaml2's configuration; with the IdP's verified metadata unless None."""
    signing, encryption = signing_keys(), encryption_keys()
    organisation = settings.SAML_ORGANISATION
    names = {"sv": settings.PORTAL_NAME, "en": settings.PORTAL_NAME}
    descriptions = {
        "sv": "E-tjänster och Mina sidor för kommunernas invånare.",
        "en": "E-services and My pages for the municipalities' residents.",
    }
    contacts = []
    if settings.SAML_CONTACT_EMAIL:
        contacts = [
            {"contact_type": kind, "email_address": [f"mailto:{settings.SAML_CONTACT_EMAIL}"]}
            for kind in ("technical", "support")
        ]
    return {
        "entityid": settings.SAML_SP_ENTITY_ID,
        "xmlsec_binary": xmlsec_binary(),
        "delete_tmpfiles": True,
        "allow_unknown_attributes": True,
        "accepted_time_diff": CLOCK_SKEW_SECONDS,
        "metadata": {"inline": [metadata]} if metadata is not None else {},
        "key_file": signing.key,
        "cert_file": signing.cert,
        "encryption_keypairs": [{"key_file": encryption.key, "cert_file": encryption.cert}],
        "entity_category": [ENTITY_CATEGORY_LOA3_PNR],
        "valid_for": 24 * 7,
        "organization": {
            "name": [(organisation, lang) for lang in ("sv", "en")],
            "display_name": [(organisation, lang) for lang in ("sv", "en")],
            "url": [(f"{settings.SITE_URL}/", lang) for lang in ("sv", "en")],
        },
        "contact_person": contacts,
        "service": {
            "sp": {
                "name": settings.PORTAL_NAME,
                "endpoints": {
                    "assertion_consumer_service": [(_absolute("eid:saml_acs"), BINDING_HTTP_POST)],
                    "single_logout_service": [(_absolute("eid:saml_sls"), BINDING_HTTP_REDIRECT)],
                },
                "ui_info": {
                    "display_name": [{"text": text, "lang": lang} for lang, text in names.items()],
                    "description": [
                        {"text": text, "lang": lang} for lang, text in descriptions.items()
                    ],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_response_signed": True,
                "want_assertions_signed": True,
                "allow_unsolicited": False,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "requested_authn_context": {
                    "authn_context_class_ref": [LOA3],
                    "comparison": "exact",
                },
            }
        },
    }

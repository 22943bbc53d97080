"""The HTTP-Redirect binding's signature (SAML bindings 3.4.4.1), checked over the query
string exactly as it arrived: pysaml2 does not check it for messages to a service provider."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from urllib.parse import unquote_plus

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": hashes.SHA384,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": hashes.SHA512,
}


def _raw_fields(raw_query: str) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    for part in raw_query.split("&"):
        if part:
            name, _, value = part.partition("=")
            name = unquote_plus(name)
            if name in fields:
                return None  # a parameter twice: which one was signed?
            fields[name] = value
    return fields


def _public_key(cert: str) -> rsa.RSAPublicKey | None:
    body = "".join(line for line in cert.splitlines() if "CERTIFICATE" not in line)
    try:
        key = x509.load_der_x509_certificate(base64.b64decode(body)).public_key()
    except ValueError:
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None


def signed_by(raw_query: str, message_key: str, certs: Iterable[str]) -> bool:
    """Whether the query's ``message_key`` (SAMLRequest or SAMLResponse), RelayState and
    SigAlg carry a valid RSA-SHA2 ``Signature`` by one of ``certs``."""
    fields = _raw_fields(raw_query)
    if not fields or message_key not in fields or "Signature" not in fields:
        return False
    algorithm = HASHES.get(unquote_plus(fields.get("SigAlg", "")))
    if algorithm is None:
        return False
    signed = "&".join(
        f"{name}={fields[name]}" for name in (message_key, "RelayState", "SigAlg") if name in fields
    )
    try:
        signature = base64.b64decode(unquote_plus(fields["Signature"]), validate=True)
        content = signed.encode("ascii")
    except (binascii.Error, ValueError):
        return False
    for cert in certs:
        key = _public_key(cert)
        if key is None:
            continue
        try:
            key.verify(signature, content, padding.PKCS1v15(), algorithm())
        except InvalidSignature:
            continue
        return True
    return False

"""``GET /metadata``: the IdP's EntityDescriptor, signed by the federation operator's key."""

from __future__ import annotations

import base64
import subprocess
import time
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest
from cryptography import x509
from saml2.sigver import SignatureError

from ..saml import EC_LOA3_PNR, LOA3, parse_instant
from ..server import Simulator
from .support import TestSp

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
MDUI = "{urn:oasis:names:tc:SAML:metadata:ui}"
ALG = "{urn:oasis:names:tc:SAML:metadata:algsupport}"
MDATTR = "{urn:oasis:names:tc:SAML:metadata:attribute}"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


@pytest.fixture(scope="module")
def metadata(running_idp: Simulator) -> str:
    response = httpx.get(running_idp.metadata_url, timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/samlmetadata+xml"
    return response.text


@pytest.fixture(scope="module")
def root(metadata: str) -> ElementTree.Element:
    return ElementTree.fromstring(metadata.encode("utf-8"))  # noqa: S314 (the IdP's own output)


def _xmlsec_verify(document: str, cert: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "metadata.xml"
    path.write_text(document, encoding="utf-8")
    return subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(cert),
         "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor", str(path)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


def test_the_metadata_signature_verifies_with_the_operator_certificate(
    running_idp: Simulator, metadata: str, tmp_path: Path
) -> None:
    result = _xmlsec_verify(metadata, running_idp.metadata_signing_cert, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("OK")


def test_the_signature_is_rsa_sha256_over_the_whole_descriptor(root: ElementTree.Element) -> None:
    signature = root.find(f"{DS}Signature")
    assert signature is not None
    method = signature.find(f"{DS}SignedInfo/{DS}SignatureMethod")
    digest = signature.find(f"{DS}SignedInfo/{DS}Reference/{DS}DigestMethod")
    reference = signature.find(f"{DS}SignedInfo/{DS}Reference")
    assert method is not None
    assert digest is not None
    assert reference is not None
    assert method.get("Algorithm") == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    assert digest.get("Algorithm") == "http://www.w3.org/2001/04/xmlenc#sha256"
    assert reference.get("URI") == f"#{root.get('ID')}"


def test_a_changed_metadata_document_fails_verification(
    running_idp: Simulator, metadata: str, tmp_path: Path
) -> None:
    forged = metadata.replace(f"{running_idp.url}sso", "https://elak.example/sso")
    assert forged != metadata
    assert _xmlsec_verify(forged, running_idp.metadata_signing_cert, tmp_path).returncode != 0


def test_the_assertion_signing_key_is_not_the_metadata_key(
    running_idp: Simulator, metadata: str, tmp_path: Path
) -> None:
    signing_cert = running_idp.keys.signing_cert
    assert signing_cert.read_bytes() != running_idp.metadata_signing_cert.read_bytes()
    assert _xmlsec_verify(metadata, signing_cert, tmp_path).returncode != 0


def test_the_descriptor_names_the_idp_and_is_valid_for_a_week(
    running_idp: Simulator, root: ElementTree.Element
) -> None:
    assert root.tag == f"{MD}EntityDescriptor"
    assert root.get("entityID") == running_idp.entity_id
    valid_until = parse_instant(root.get("validUntil", ""))
    assert abs(valid_until - time.time() - 7 * 24 * 3600) < 120


def test_the_idp_descriptor_has_its_endpoints_and_wants_signed_requests(
    running_idp: Simulator, root: ElementTree.Element
) -> None:
    (idp,) = root.findall(f"{MD}IDPSSODescriptor")
    assert idp.get("WantAuthnRequestsSigned") == "true"
    assert idp.get("protocolSupportEnumeration") == "urn:oasis:names:tc:SAML:2.0:protocol"
    sso = {(e.get("Binding"), e.get("Location")) for e in idp.findall(f"{MD}SingleSignOnService")}
    assert sso == {(REDIRECT, f"{running_idp.url}sso"), (POST, f"{running_idp.url}sso")}
    slo = [(e.get("Binding"), e.get("Location")) for e in idp.findall(f"{MD}SingleLogoutService")]
    assert slo == [(REDIRECT, f"{running_idp.url}slo")]
    formats = [e.text for e in idp.findall(f"{MD}NameIDFormat")]
    assert formats == ["urn:oasis:names:tc:SAML:2.0:nameid-format:transient"]


def test_the_idp_descriptor_carries_the_signing_certificate(
    running_idp: Simulator, root: ElementTree.Element
) -> None:
    (idp,) = root.findall(f"{MD}IDPSSODescriptor")
    (descriptor,) = idp.findall(f"{MD}KeyDescriptor")
    assert descriptor.get("use") == "signing"
    text = descriptor.findtext(f"{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate") or ""
    published = x509.load_der_x509_certificate(base64.b64decode(text))
    signing = x509.load_pem_x509_certificate(running_idp.keys.signing_cert.read_bytes())
    assert published == signing
    assert signing.public_key().key_size == 3072  # type: ignore[union-attr]


def test_the_entity_attributes_say_loa3_and_the_pnr_entity_category(
    root: ElementTree.Element,
) -> None:
    attributes = root.findall(f"{MD}Extensions/{MDATTR}EntityAttributes/{SAML}Attribute")
    values = {
        attribute.get("Name"): [value.text for value in attribute.findall(f"{SAML}AttributeValue")]
        for attribute in attributes
    }
    assert values == {
        "urn:oasis:names:tc:SAML:attribute:assurance-certification": [LOA3],
        "http://macedir.org/entity-category": [EC_LOA3_PNR],
    }


def test_the_display_name_is_the_region_in_swedish_and_english(
    root: ElementTree.Element,
) -> None:
    names = root.findall(f"{MD}IDPSSODescriptor/{MD}Extensions/{MDUI}UIInfo/{MDUI}DisplayName")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {(name.get(lang), name.text) for name in names} == {
        ("sv", "Region Västerbotten"),
        ("en", "Region Västerbotten"),
    }


def test_only_sha256_or_stronger_algorithms_are_advertised(root: ElementTree.Element) -> None:
    extensions = root.find(f"{MD}Extensions")
    assert extensions is not None
    digests = [e.get("Algorithm") for e in extensions.findall(f"{ALG}DigestMethod")]
    signing = [e.get("Algorithm") for e in extensions.findall(f"{ALG}SigningMethod")]
    assert digests == [
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    ]
    assert signing == [
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    ]


def test_pysaml2_verifies_the_signature_with_the_operator_certificate_only(
    running_idp: Simulator, metadata: str, sp: TestSp
) -> None:
    node = "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor"
    security = sp.client.sec
    assert security.verify_signature(
        metadata, node_name=node, cert_file=str(running_idp.metadata_signing_cert)
    )
    with pytest.raises(SignatureError):
        security.verify_signature(
            metadata, node_name=node, cert_file=str(running_idp.keys.signing_cert)
        )
    # The test SP loaded the metadata as "remote" with the operator's certificate, as the
    # portal's djangosaml2 configuration does.
    assert running_idp.entity_id in sp.client.metadata.keys()  # noqa: SIM118 (not a dict)

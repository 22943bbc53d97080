"""A pysaml2 SP that talks to the IdP as the portal will, and a driver for the IdP's pages."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, samlp
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_TRANSIENT, AuthnContextClassRef, NameID
from saml2.samlp import RequestedAuthnContext
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from ..server import Simulator

SP_ENTITY_ID = "https://portal.example/saml2/metadata/"
ACS = "https://portal.example/saml2/acs/"
OTHER_ACS = "https://portal.example/saml2/acs-2/"
SLO = "https://portal.example/saml2/ls/"
JENNY = ("198101059825", "Jenny", "Testersson")
BERTIL = ("197504129912", "Bertil", "Provsson")
XMLSEC = "/usr/bin/xmlsec1"
SAML_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:assertion"


def make_key_pair(directory: Path, name: str, *, size: int = 2048) -> tuple[Path, Path]:
    """A self-signed RSA certificate and its key: (cert, key)."""
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=size)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def requested_context(*classes: str, comparison: str = "exact") -> RequestedAuthnContext:
    """A RequestedAuthnContext asking for ``classes``."""
    return RequestedAuthnContext(
        authn_context_class_ref=[AuthnContextClassRef(text=value) for value in classes],
        comparison=comparison,
    )


def query(url: str) -> dict[str, str]:
    """The decoded query parameters of ``url``."""
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


class IdpAddress(Protocol):
    """What the test SP needs to know of an IdP (a Simulator, or one run by the CLI)."""

    @property
    def url(self) -> str: ...

    @property
    def entity_id(self) -> str: ...

    @property
    def metadata_url(self) -> str: ...

    @property
    def metadata_signing_cert(self) -> Path: ...


class TestSp:
    """An SP built with pysaml2 like the portal's djangosaml2 one: signed requests (RSA-SHA256),
    wants signed responses and assertions, has an encryption key. It loads the IdP's metadata
    from its URL and checks the federation operator's signature on it."""

    __test__ = False  # not a test class, despite the name

    def __init__(
        self,
        idp: IdpAddress,
        key_dir: Path,
        *,
        entity_id: str = SP_ENTITY_ID,
        signing: tuple[Path, Path] | None = None,
        encryption: bool = True,
        name: str = "sp",
    ) -> None:
        cert, key = make_key_pair(key_dir, name) if signing is None else signing
        self.cert, self.key = cert, key
        self.idp = idp
        self.entity_id = entity_id
        config: dict[str, Any] = {
            "entityid": entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": str(key),
            "cert_file": str(cert),
            "service": {
                "sp": {
                    "endpoints": {
                        "assertion_consumer_service": [
                            (ACS, BINDING_HTTP_POST),
                            (OTHER_ACS, BINDING_HTTP_POST),
                        ],
                        "single_logout_service": [(SLO, BINDING_HTTP_REDIRECT)],
                    },
                    "want_response_signed": True,
                    "want_assertions_signed": True,
                    "authn_requests_signed": True,
                    "logout_requests_signed": True,
                    "signing_algorithm": SIG_RSA_SHA256,
                    "digest_algorithm": DIGEST_SHA256,
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "allow_unsolicited": False,
                }
            },
            "metadata": {
                "remote": [{"url": idp.metadata_url, "cert": str(idp.metadata_signing_cert)}]
            },
            "delete_tmpfiles": True,
        }
        if encryption:
            config["encryption_keypairs"] = [{"key_file": str(key), "cert_file": str(cert)}]
        self.config = SPConfig()
        self.config.load(config)
        self.client = Saml2Client(config=self.config)

    @property
    def metadata(self) -> str:
        """The SP's metadata XML, as the IdP is given it."""
        return str(entity_descriptor(self.config))

    def redirect_request(
        self, relay_state: str | None = "/hem", *, sign: bool = True, **kwargs: Any
    ) -> tuple[str, str]:
        """An AuthnRequest by the HTTP-Redirect binding: (request id, URL)."""
        request_id, info = self.client.prepare_for_authenticate(
            entityid=self.idp.entity_id,
            relay_state=relay_state or "",
            binding=BINDING_HTTP_REDIRECT,
            sign=sign,
            **kwargs,
        )
        return request_id, dict(info["headers"])["Location"]

    def post_request(
        self, relay_state: str = "/hem", *, sign: bool = True, **kwargs: Any
    ) -> tuple[str, dict[str, str]]:
        """An AuthnRequest by the HTTP-POST binding: (request id, form fields)."""
        request_id, info = self.client.prepare_for_authenticate(
            entityid=self.idp.entity_id,
            relay_state=relay_state,
            binding=BINDING_HTTP_POST,
            sign=sign,
            **kwargs,
        )
        fields = parse_page(info["data"]).hidden
        return request_id, fields

    def parse(self, saml_response: str, request_id: str) -> Any:
        """The SP's view of a Response (raises when pysaml2 refuses it)."""
        return self.client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={request_id: "/hem"}
        )

    def decrypt(self, saml_response: str) -> str:
        """The Response's XML with its assertion decrypted (with the SP's key)."""
        xml = base64.b64decode(saml_response).decode("utf-8")
        if "EncryptedAssertion" not in xml:
            return xml
        return str(self.client.sec.decrypt_keys(xml, [self.key.read_text()]))

    def logout_request(self, relay_state: str = "/utloggad", *, sign: bool = True) -> str:
        """A LogoutRequest by the HTTP-Redirect binding: its URL."""
        destination = f"{self.idp.url}slo"
        _, request = self.client.create_logout_request(
            destination,
            self.idp.entity_id,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="_abc123"),
            sign=False,
        )
        info = self.client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(request),
            destination,
            relay_state,
            sign=sign,
            sigalg=SIG_RSA_SHA256,
        )
        return str(dict(info["headers"])["Location"])


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.forms: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag == "input" and values.get("type") == "hidden":
            self.hidden[values["name"]] = values["value"]
        if tag == "form":
            self.forms.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)

    def buttons(self) -> list[str]:
        return [attrs.get("value", "") for tag, attrs in self.tags if tag == "button"]

    def attrs(self, element_id: str) -> dict[str, str]:
        (found,) = [attrs for _, attrs in self.tags if attrs.get("id") == element_id]
        return found

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse_page(html: str) -> _Page:
    """Tags, hidden fields, forms and text of a page."""
    page = _Page()
    page.feed(html)
    return page


@dataclass
class ResponseForm:
    """The page that posts the Response: where to, and what."""

    action: str
    saml_response: str
    relay_state: str | None
    html: str

    @property
    def xml(self) -> str:
        return base64.b64decode(self.saml_response).decode("utf-8")


class Resident:
    """A browser without JavaScript: follows the IdP's pages over plain HTTP."""

    def __init__(self, idp: Simulator, client: httpx.Client, bankid: BankIdControl) -> None:
        self.idp = idp
        self.client = client
        self.bankid = bankid

    def open(self, url: str) -> httpx.Response:
        return self.client.get(url)

    def login_page(self, url: str) -> tuple[str, str]:
        """Open the SP's redirect URL; (the page's HTML, the login key)."""
        response = self.open(url)
        assert response.status_code == 200, response.text
        return response.text, parse_page(response.text).hidden["key"]

    def post_sso(self, fields: dict[str, str]) -> httpx.Response:
        return self.client.post("/sso", data=fields)

    def choose(self, key: str, choice: str) -> httpx.Response:
        return self.client.post("/login", data={"key": key, "val": choice})

    def wait(self, key: str) -> httpx.Response:
        return self.client.get(f"/wait/{key}")

    def status(self, key: str) -> dict[str, Any]:
        response = self.client.get(f"/status/{key}")
        return dict(response.json())

    def cancel(self, key: str) -> httpx.Response:
        return self.client.post("/cancel", data={"key": key})

    def order_ref(self, key: str) -> str:
        logins = self.client.get("/_control/logins").json()["logins"]
        (login,) = [login for login in logins if login["key"] == key]
        return str(login["orderRef"])

    def start_bankid(self, url: str, choice: str = "mobilt-bankid") -> tuple[str, str]:
        """From the SP's URL to a running BankID order: (login key, orderRef)."""
        _, key = self.login_page(url)
        response = self.choose(key, choice)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/wait/{key}"
        return key, self.order_ref(key)

    def log_in(self, url: str, person: tuple[str, str, str] = JENNY) -> ResponseForm:
        """A whole login with Mobilt BankID; the page that posts the Response."""
        key, order_ref = self.start_bankid(url)
        assert self.wait(key).status_code == 200
        self.bankid.complete(order_ref, person)
        return response_form(self.wait(key))


def response_form(response: httpx.Response) -> ResponseForm:
    """The Response form of a page (asserting that it is one)."""
    assert response.status_code == 200, response.text
    page = parse_page(response.text)
    (form,) = page.forms
    assert form["method"] == "post"
    return ResponseForm(
        form["action"], page.hidden["SAMLResponse"], page.hidden.get("RelayState"), response.text
    )


class BankIdControl:
    """The BankID simulator's control API."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def order(self, order_ref: str) -> dict[str, Any]:
        response = self.client.get(f"/_control/orders/{order_ref}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def complete(self, order_ref: str, person: tuple[str, str, str] = JENNY) -> None:
        number, given, surname = person
        response = self.client.post(
            f"/_control/orders/{order_ref}/complete",
            json={"personalNumber": number, "givenName": given, "surname": surname},
        )
        assert response.status_code == 200, response.text

    def hint(self, order_ref: str, hint_code: str) -> None:
        response = self.client.post(
            f"/_control/orders/{order_ref}/hint", json={"hintCode": hint_code}
        )
        assert response.status_code == 200, response.text

    def fail(self, order_ref: str, hint_code: str) -> None:
        response = self.client.post(
            f"/_control/orders/{order_ref}/fail", json={"hintCode": hint_code}
        )
        assert response.status_code == 200, response.text


def algorithms(xml: str) -> set[str]:
    """Every Algorithm attribute in ``xml``."""
    return set(re.findall(r'Algorithm="([^"]+)"', xml))


def response_of(xml: str) -> Any:
    """``xml`` (a decrypted or plain Response) as a pysaml2 object."""
    return samlp.response_from_string(xml)


def assertion_of(xml: str) -> Any:
    """The (decrypted or plain) assertion in a Response's XML as a pysaml2 object."""
    root = ElementTree.fromstring(xml)  # noqa: S314 (the IdP's own output)
    (element,) = root.iter(f"{{{SAML_NAMESPACE}}}Assertion")
    return saml.assertion_from_string(ElementTree.tostring(element, encoding="unicode"))

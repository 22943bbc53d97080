"""Mutual TLS on the RP API: only clients with a certificate from the simulator CA get in."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..certificates import CLIENT_COMMON_NAME, ensure_certificates
from ..server import Simulator, api_ssl_context
from .support import mtls_context


def _host_port(simulator: Simulator) -> tuple[str, int]:
    url = httpx.URL(simulator.api_url)
    assert url.port is not None
    return url.host, url.port


def test_a_client_with_the_rp_certificate_is_served(api: httpx.Client) -> None:
    response = api.post("auth", json={"endUserIp": "192.0.2.1"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


def test_a_request_without_a_client_certificate_is_refused_at_the_handshake(
    simulator: Simulator,
) -> None:
    context = ssl.create_default_context(cafile=str(simulator.certificates.ca))
    with httpx.Client(verify=context, timeout=5) as client, pytest.raises(httpx.TransportError):
        client.post(simulator.api_url + "auth", json={"endUserIp": "192.0.2.1"})
    assert simulator.orders.all() == []


def test_a_client_certificate_from_another_ca_is_refused(
    simulator: Simulator, tmp_path: Path
) -> None:
    stranger = ensure_certificates(tmp_path / "other-ca")
    context = mtls_context(simulator.certificates, client=stranger)
    with httpx.Client(verify=context, timeout=5) as client, pytest.raises(httpx.TransportError):
        client.post(simulator.api_url + "auth", json={"endUserIp": "192.0.2.1"})
    assert simulator.orders.all() == []


def _post_without_certificate(simulator: Simulator) -> bytes:
    context = ssl.create_default_context(cafile=str(simulator.certificates.ca))
    with (
        socket.create_connection(_host_port(simulator), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(b"POST /rp/v6.0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        answer = tls.recv(1)
        if not answer:
            raise ConnectionError("closed without an answer")
        return answer


def test_the_handshake_itself_fails_without_a_client_certificate(simulator: Simulator) -> None:
    # TLS 1.3 reports a missing client certificate after the client's side of the handshake,
    # on the first read; either way the server never answers.
    with pytest.raises((ssl.SSLError, ConnectionError)):
        _post_without_certificate(simulator)


def test_the_server_context_requires_tls_1_2_and_a_client_certificate(
    simulator: Simulator,
) -> None:
    context = api_ssl_context(simulator.certificates)
    assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert context.verify_mode == ssl.CERT_REQUIRED
    # Only the simulator CA is trusted, not the system store.
    assert len(context.get_ca_certs()) == 1


def test_certificates_are_created_once_and_reused(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    ca_before = first.ca.read_bytes()
    second = ensure_certificates(tmp_path)
    assert second == first
    assert second.ca.read_bytes() == ca_before
    for key in (first.server_key, first.client_key):
        assert key.stat().st_mode & 0o777 == 0o600


def test_the_certificates_name_loopback_and_the_rp(tmp_path: Path) -> None:
    paths = ensure_certificates(tmp_path)
    ca = x509.load_pem_x509_certificate(paths.ca.read_bytes())
    server = x509.load_pem_x509_certificate(paths.server_cert.read_bytes())
    client = x509.load_pem_x509_certificate(paths.client_cert.read_bytes())
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    name = client.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert name == CLIENT_COMMON_NAME == "Självservice test RP"
    usage = client.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.CLIENT_AUTH in usage
    for leaf in (server, client):
        assert leaf.issuer == ca.subject
        leaf.verify_directly_issued_by(ca)


def test_an_incomplete_certificate_set_is_created_again(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    first.client_cert.unlink()
    second = ensure_certificates(tmp_path)
    client = x509.load_pem_x509_certificate(second.client_cert.read_bytes())
    ca = x509.load_pem_x509_certificate(second.ca.read_bytes())
    client.verify_directly_issued_by(ca)

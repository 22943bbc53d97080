"""The simulator's own small PKI: a root CA, a server certificate and an RP client certificate.

The real RP API is reached over mutual TLS: the RP pins BankID's server CA and presents a client
certificate issued by its bank. The simulator mirrors that with one self-made CA that signs both
ends, so the portal can be configured exactly as for the real service, only with other files.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = dt.timedelta(days=3 * 365)
# Issue certificates slightly in the past so that a client whose clock lags a little still
# accepts them.
BACKDATE = dt.timedelta(hours=1)
CLIENT_COMMON_NAME = "Självservice test RP"


@dataclass(frozen=True)
class CertificatePaths:
    """Where the simulator's PEM files live."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def certificate_paths(directory: Path) -> CertificatePaths:
    """Return the file names used in ``directory`` (without creating anything)."""
    return CertificatePaths(
        ca=directory / "ca.pem",
        server_cert=directory / "server.pem",
        server_key=directory / "server-key.pem",
        client_cert=directory / "client.pem",
        client_key=directory / "client-key.pem",
    )


def ensure_certificates(directory: Path) -> CertificatePaths:
    """Create the CA, server and client certificates in ``directory`` unless they all exist.

    Existing files are reused so that a portal configured once keeps working across restarts.
    If only some of the files exist (an interrupted first run), everything is recreated: a
    server or client certificate must come from the CA lying next to it.
    """
    paths = certificate_paths(directory)
    files = (paths.ca, paths.server_cert, paths.server_key, paths.client_cert, paths.client_key)
    if all(path.is_file() for path in files):
        return paths
    directory.mkdir(parents=True, exist_ok=True)

    now = dt.datetime.now(dt.UTC) - BACKDATE
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Självservice BankID-simulator"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Självservice BankID-simulator root CA"),
        ]
    )
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    server_cert = (
        _leaf(server_name, server_key, ca_cert, ca_key, now, ExtendedKeyUsageOID.SERVER_AUTH)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.IPAddress(ipaddress.ip_address("::1")),
                    x509.DNSName("localhost"),
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    client_key = ec.generate_private_key(ec.SECP256R1())
    client_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Självservice"),
            x509.NameAttribute(NameOID.COMMON_NAME, CLIENT_COMMON_NAME),
        ]
    )
    client_cert = _leaf(
        client_name, client_key, ca_cert, ca_key, now, ExtendedKeyUsageOID.CLIENT_AUTH
    ).sign(ca_key, hashes.SHA256())

    # Keys first, certificates last: a crash in between leaves an incomplete set, which the
    # all-files check above treats as "create again".
    _write_key(paths.server_key, server_key)
    _write_key(paths.client_key, client_key)
    _write_cert(paths.server_cert, server_cert)
    _write_cert(paths.client_cert, client_cert)
    _write_cert(paths.ca, ca_cert)
    return paths


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _leaf(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
    usage: x509.ObjectIdentifier,
) -> x509.CertificateBuilder:
    # Authority key identifier and critical key usage keep OpenSSL's strict verification
    # (the default from Python 3.13) happy.
    return (
        _builder(subject, ca_cert.subject, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Create with 0600 from the start: chmod after writing would leave a short window in which
    # the key is readable by others.
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _write_cert(path: Path, cert: x509.Certificate) -> None:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

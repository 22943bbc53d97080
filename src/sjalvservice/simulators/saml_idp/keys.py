"""The IdP's two key pairs: one signs its assertions and responses, the other, the federation
operator's, signs its metadata.

In a real federation the operator signs the metadata of every member and the members trust the
operator's certificate, not each other's; the simulator mirrors that with a second pair, so
that an SP configured against it checks the metadata signature exactly as it will in production.
Both are RSA 3072 with self-signed certificates valid for three years, made on the first start
and reused afterwards (an SP that pinned the metadata certificate keeps working).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

KEY_SIZE = 3072
VALIDITY = dt.timedelta(days=3 * 365)
# Issued slightly in the past so that a peer whose clock lags a little still accepts them.
BACKDATE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class KeyPaths:
    """Where the PEM files live."""

    signing_cert: Path
    signing_key: Path
    metadata_cert: Path
    metadata_key: Path


def key_paths(directory: Path) -> KeyPaths:
    """The file names used in ``directory`` (without creating anything)."""
    return KeyPaths(
        signing_cert=directory / "signing.pem",
        signing_key=directory / "signing-key.pem",
        metadata_cert=directory / "metadata-signing.pem",
        metadata_key=directory / "metadata-signing-key.pem",
    )


def ensure_keys(directory: Path, region: str) -> KeyPaths:
    """Create each key pair in ``directory`` unless both of its files exist; return the paths."""
    paths = key_paths(directory)
    directory.mkdir(parents=True, exist_ok=True)
    pairs = (
        (paths.signing_cert, paths.signing_key, f"{region} e-legitimering (simulator)"),
        (paths.metadata_cert, paths.metadata_key, f"{region} federationsoperatör (simulator)"),
    )
    for cert_path, key_path, common_name in pairs:
        if not (cert_path.is_file() and key_path.is_file()):
            _make_pair(cert_path, key_path, common_name)
    return paths


def _make_pair(cert_path: Path, key_path: Path, common_name: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    now = dt.datetime.now(dt.UTC) - BACKDATE
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Självservice SAML-simulator"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # The key first and created 0600 from the start (no window in which others can read it);
    # the certificate last, so an interrupted run leaves an incomplete pair that is made again.
    key_path.unlink(missing_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

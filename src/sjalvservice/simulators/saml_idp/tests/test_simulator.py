"""The Simulator object: ports, lifecycle, keys made once and kept private."""

from __future__ import annotations

import datetime as dt
import socket
import stat
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from ..keys import ensure_keys
from ..server import Simulator


def test_the_simulator_serves_on_a_free_loopback_port_and_stops(key_dir: Path) -> None:
    simulator = Simulator(key_dir, quiet=True)
    with pytest.raises(RuntimeError):
        _ = simulator.url
    with simulator:
        assert simulator.url.startswith("http://127.0.0.1:")
        assert simulator.url.endswith("/")
        assert simulator.entity_id == simulator.url + "idp"
        assert simulator.metadata_url == simulator.url + "metadata"
        with pytest.raises(RuntimeError):
            simulator.start()
        port = httpx.URL(simulator.url).port
        assert httpx.get(simulator.metadata_url, timeout=10).status_code == 200
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_keys_are_made_once_private_and_reused(tmp_path: Path) -> None:
    first = ensure_keys(tmp_path, "Region Test")
    files = (first.signing_cert, first.signing_key, first.metadata_cert, first.metadata_key)
    contents = [path.read_bytes() for path in files]
    for key in (first.signing_key, first.metadata_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    again = ensure_keys(tmp_path, "Region Test")
    assert [path.read_bytes() for path in files] == contents
    assert again == first
    simulator = Simulator(tmp_path, quiet=True)
    assert simulator.metadata_signing_cert == first.metadata_cert
    assert first.metadata_cert.read_bytes() == contents[2]


def test_keys_are_rsa_3072_self_signed_for_three_years(tmp_path: Path) -> None:
    paths = ensure_keys(tmp_path, "Region Test")
    for path in (paths.signing_cert, paths.metadata_cert):
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        public_key = cert.public_key()
        assert isinstance(public_key, rsa.RSAPublicKey)
        assert public_key.key_size == 3072
        assert cert.issuer == cert.subject
        lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
        assert abs(lifetime - dt.timedelta(days=3 * 365)) < dt.timedelta(days=1)
    signing = x509.load_pem_x509_certificate(paths.signing_cert.read_bytes())
    metadata = x509.load_pem_x509_certificate(paths.metadata_cert.read_bytes())
    assert signing.public_key() != metadata.public_key()


def test_a_half_made_pair_is_made_again(tmp_path: Path) -> None:
    paths = ensure_keys(tmp_path, "Region Test")
    signing, metadata = paths.signing_cert.read_bytes(), paths.metadata_cert.read_bytes()
    paths.signing_key.unlink()
    ensure_keys(tmp_path, "Region Test")
    assert paths.signing_cert.read_bytes() != signing
    assert paths.metadata_cert.read_bytes() == metadata


def test_the_repr_says_what_it_is(key_dir: Path) -> None:
    assert repr(Simulator(key_dir)) == "<Simulator region='Region Västerbotten' running=False>"


def test_the_region_name_is_used_everywhere(key_dir: Path) -> None:
    with Simulator(key_dir, region="Region Norrbotten", quiet=True) as simulator:
        metadata = httpx.get(simulator.metadata_url, timeout=10).text
        home = httpx.get(simulator.url, timeout=10).text
    assert 'xml:lang="sv">Region Norrbotten<' in metadata
    assert "Region Norrbotten" in home

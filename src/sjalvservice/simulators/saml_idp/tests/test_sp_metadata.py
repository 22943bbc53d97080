"""Where the SP's metadata comes from: a file, a URL read when needed, or the control API."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..bankid import BankIdConnection
from ..server import Simulator
from .support import ACS, OTHER_ACS, TestSp, parse_page, response_form


class MetadataServer:
    """Serves ``document`` at ``/metadata`` (404 while it is None), counting the requests."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.document: str | None = None
        self.requests = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/metadata"


@contextmanager
def serving() -> Iterator[MetadataServer]:
    box: list[MetadataServer] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            source = box[0]
            source.requests += 1
            body = (source.document or "").encode("utf-8")
            self.send_response(200 if source.document else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.append(MetadataServer(server))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield box[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _cancel(client: httpx.Client, url: str) -> str:
    """Open the login page for ``url`` and cancel; the ACS the Response went to."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    key = parse_page(response.text).hidden["key"]
    return response_form(client.post("/login", data={"key": key, "val": "avbryt"})).action


def test_the_metadata_can_come_from_a_file(
    key_dir: Path, bankid_connection: BankIdConnection, tmp_path: Path
) -> None:
    path = tmp_path / "sp-metadata.xml"
    with Simulator(key_dir, sp_metadata=path, bankid=bankid_connection, quiet=True) as idp:
        sp = TestSp(idp, tmp_path / "keys")
        path.write_text(sp.metadata, encoding="utf-8")
        with httpx.Client(base_url=idp.url, timeout=10) as client:
            assert _cancel(client, sp.redirect_request()[1]) == ACS
            status = client.get("/_control/sp-metadata").json()
        assert status == {"source": str(path), "entityIds": [sp.entity_id]}


def test_an_sp_that_starts_after_the_idp_is_read_when_its_first_request_arrives(
    key_dir: Path, tmp_path: Path
) -> None:
    with serving() as source, Simulator(key_dir, sp_metadata=source.url, quiet=True) as idp:
        sp = TestSp(idp, tmp_path)
        assert source.requests == 0  # nothing is read before a request needs it
        with httpx.Client(base_url=idp.url, timeout=10) as client:
            refused = client.get(sp.redirect_request()[1])
            assert refused.status_code == 400
            assert "är okänd" in refused.text
            source.document = sp.metadata
            assert _cancel(client, sp.redirect_request()[1]) == ACS
            requests = source.requests
            # Known and fresh: not read again.
            assert _cancel(client, sp.redirect_request()[1]) == ACS
            assert source.requests == requests


def test_the_metadata_is_read_again_after_thirty_seconds(key_dir: Path, tmp_path: Path) -> None:
    with serving() as source, Simulator(key_dir, sp_metadata=source.url, quiet=True) as idp:
        sp = TestSp(idp, tmp_path)
        source.document = sp.metadata
        with httpx.Client(base_url=idp.url, timeout=10) as client:
            assert _cancel(client, sp.redirect_request()[1]) == ACS
            # The SP now lists only its second ACS.
            source.document = sp.metadata.replace(ACS, OTHER_ACS)
            assert _cancel(client, sp.redirect_request()[1]) == ACS
            idp.clock.advance(31)
            assert _cancel(client, sp.redirect_request()[1]) == OTHER_ACS


def test_an_unreadable_source_keeps_the_copy_it_has(key_dir: Path, tmp_path: Path) -> None:
    with serving() as source, Simulator(key_dir, sp_metadata=source.url, quiet=True) as idp:
        sp = TestSp(idp, tmp_path)
        source.document = sp.metadata
        with httpx.Client(base_url=idp.url, timeout=10) as client:
            assert _cancel(client, sp.redirect_request()[1]) == ACS
            source.document = "<inte-metadata/>"
            idp.clock.advance(31)
            assert _cancel(client, sp.redirect_request()[1]) == ACS


def test_metadata_set_through_the_control_api_replaces_earlier_metadata_of_the_sp(
    idp: Simulator, sp: TestSp
) -> None:
    with httpx.Client(base_url=idp.url, timeout=10) as client:
        changed = sp.metadata.replace(ACS, OTHER_ACS)
        answer = client.post("/_control/sp-metadata", content=changed)
        assert answer.json() == {"entityIds": [sp.entity_id]}
        try:
            assert _cancel(client, sp.redirect_request()[1]) == OTHER_ACS
        finally:
            client.post("/_control/sp-metadata", content=sp.metadata)
        assert _cancel(client, sp.redirect_request()[1]) == ACS


def test_expired_sp_metadata_is_refused(idp: Simulator, sp: TestSp) -> None:
    expired = sp.metadata.replace(
        "<ns0:EntityDescriptor ", '<ns0:EntityDescriptor validUntil="2001-01-01T00:00:00Z" ', 1
    )
    assert expired != sp.metadata
    with pytest.raises(ValueError, match="SPSSODescriptor"):
        idp.set_sp_metadata(expired)

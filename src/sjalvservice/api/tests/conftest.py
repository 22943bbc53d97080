"""An integration client of Skellefteå for Medborgarförslag, and a way to call as it."""

import pytest

from sjalvservice.api.models import Scope


@pytest.fixture
def actor(karin):
    from sjalvservice.backoffice.services import Actor

    return Actor(karin, "192.0.2.1")


@pytest.fixture
def diarium(actor, suggestion):
    """ "Diariet", allowed everything on Medborgarförslag."""
    from sjalvservice.api import clients

    return clients.create_client(
        by=actor, name="Diariet", eservices=[suggestion], scopes=Scope.values
    )


@pytest.fixture
def token(diarium, actor):
    from sjalvservice.api import clients

    _record, token = clients.issue_token(diarium, by=actor)
    return token


@pytest.fixture
def api(client, token):
    """The test client, calling with the diarium's token."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


class Receiver:
    """A webhook receiver on loopback: it keeps what it was sent and answers each POST
    with the next status of ``answers`` (200 when they run out), after ``delay`` seconds."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.received = []
        self.answers = []
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                import time

                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver.lock:
                    delay = receiver.delay
                    status = receiver.answers.pop(0) if receiver.answers else 200
                time.sleep(delay)
                with receiver.lock:
                    receiver.received.append(
                        ({k.lower(): v for k, v in self.headers.items()}, body)
                    )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    listening = Receiver()
    yield listening
    listening.close()


@pytest.fixture
def subscription(diarium, actor, receiver, settings):
    from sjalvservice.api import clients

    settings.WEBHOOK_REQUIRE_HTTPS = False
    return clients.create_webhook(diarium, by=actor, url=receiver.url, event_types=[])

"""The SMS client against the 46elks simulator over real HTTP, and delivery report parsing."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured

from sjalvservice.notifications.sms import (
    ConsoleSmsBackend,
    DeliveryReport,
    FortySixElksBackend,
    SentSms,
    SmsError,
    count_parts,
    get_backend,
    parse_delivery_report,
    valid_sender,
)
from sjalvservice.simulators.sms import Simulator
from sjalvservice.simulators.sms import count_parts as simulator_count_parts

E164 = "+46701234567"
TEXT = "Din kod till Självservice är 482913."


@pytest.fixture(scope="module")
def running_simulator() -> Iterator[Simulator]:
    with Simulator(quiet=True, dlr_delay=0.02, dlr_retry_delays=(0.02,) * 4) as running:
        yield running


@pytest.fixture
def simulator(running_simulator: Simulator) -> Simulator:
    running_simulator.reset()
    return running_simulator


@pytest.fixture
def configured(settings: Any, simulator: Simulator) -> Simulator:
    """Settings that point the 46elks backend at the simulator."""
    settings.SMS_BACKEND = "46elks"
    settings.SMS_URL = simulator.url + "/a1"
    settings.SMS_USERNAME = simulator.username
    settings.SMS_PASSWORD = simulator.password
    settings.SMS_SENDER = "Lycksele"
    settings.SMS_TIMEOUT = 5.0
    return simulator


@contextmanager
def _server(status: int, body: bytes) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A local HTTP server that records form posts and answers ``status`` with ``body``."""
    received: list[dict[str, str]] = []
    arrived = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode("ascii"))
            received.append({key: values[0] for key, values in form.items()})
            arrived.set()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _send(to: str = E164, text: str = TEXT, status_callback: str | None = None) -> SentSms:
    return get_backend().send(to=to, text=text, status_callback=status_callback)


def test_a_sent_sms_arrives_in_e164_from_the_sender(configured: Simulator) -> None:
    sent = _send(to="070-123 45 67")
    (message,) = configured.wait_for(1)
    assert message["id"] == sent.id
    assert message["to"] == E164
    assert message["from"] == "Lycksele"
    assert sent.parts == message["parts"] == 1
    # dontlog=message: the gateway keeps no copy of the text.
    assert message["message"] is None
    assert message["whendelivered"] is None


@pytest.mark.parametrize(
    "typed",
    ["0701234567", "070-123 45 67", "070 123 45 67", "+46 70 123 45 67", "0046701234567", E164],
)
def test_numbers_as_people_type_them_are_sent_in_e164(configured: Simulator, typed: str) -> None:
    _send(to=typed)
    assert configured.wait_for(1)[0]["to"] == E164


def test_the_part_count_is_the_gateways(configured: Simulator) -> None:
    assert _send(text="a" * 161).parts == 2
    assert _send(text="Hälsningar från kommunen 😀").parts == 1
    assert _send(text="ç" * 71).parts == 2


@pytest.mark.parametrize("number", ["08-123 456 78", "090-12 34 56", "12345", "hej", ""])
def test_a_number_that_is_not_a_swedish_mobile_is_refused_before_any_request(
    configured: Simulator, settings: Any, number: str
) -> None:
    with pytest.raises(SmsError) as caught:
        _send(to=number)
    assert caught.value.permanent
    assert configured.messages() == []
    # Even with the gateway unreachable the refusal is permanent: no request was tried.
    settings.SMS_URL = f"http://127.0.0.1:{_free_port()}/a1"
    with pytest.raises(SmsError) as caught:
        _send(to=number)
    assert caught.value.permanent


def test_an_empty_text_is_refused(configured: Simulator) -> None:
    with pytest.raises(SmsError) as caught:
        _send(text="")
    assert caught.value.permanent
    assert configured.messages() == []


def test_a_wrong_password_is_permanent(configured: Simulator, settings: Any) -> None:
    settings.SMS_PASSWORD = "wrong"
    with pytest.raises(SmsError) as caught:
        _send()
    assert caught.value.permanent
    assert "401" in caught.value.reason
    assert configured.messages() == []


def test_a_server_error_is_temporary(configured: Simulator) -> None:
    configured.fail("http500", count=1)
    with pytest.raises(SmsError) as caught:
        _send()
    assert not caught.value.permanent
    assert "500" in caught.value.reason
    assert _send().id  # the next try goes through


def test_a_refusal_is_permanent_and_names_the_gateways_reason(configured: Simulator) -> None:
    configured.fail("reject", count=1)
    with pytest.raises(SmsError) as caught:
        _send()
    assert caught.value.permanent
    assert caught.value.reason == "the gateway refused the SMS (403: Rejected by the simulator)"


def test_an_invalid_sender_is_a_configuration_error(configured: Simulator, settings: Any) -> None:
    settings.SMS_SENDER = "Lycksele kommun"
    with pytest.raises(ImproperlyConfigured, match="SMS_SENDER"):
        get_backend()


def test_a_stopped_gateway_is_temporary(settings: Any) -> None:
    with Simulator() as stopped:
        url = stopped.url
        username, password = stopped.username, stopped.password
    settings.SMS_BACKEND = "46elks"
    settings.SMS_URL = url + "/a1"
    settings.SMS_USERNAME, settings.SMS_PASSWORD = username, password
    settings.SMS_SENDER = "Lycksele"
    settings.SMS_TIMEOUT = 5.0
    with pytest.raises(SmsError) as caught:
        _send()
    assert not caught.value.permanent
    assert caught.value.__cause__ is None  # the request (credentials, number) is not chained


def test_a_gateway_that_does_not_answer_in_time_is_temporary() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts connections into the backlog, never answers
        port = silent.getsockname()[1]
        backend = FortySixElksBackend(
            url=f"http://127.0.0.1:{port}/a1",
            username="u",
            password="p",
            sender="Lycksele",
            timeout=0.2,
        )
        with pytest.raises(SmsError) as caught:
            backend.send(to=E164, text=TEXT, status_callback=None)
        backend.close()
    assert not caught.value.permanent
    assert caught.value.reason == "no answer in time"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"parts": 1}', b'{"id": "s1", "parts": "1"}', b'{"id": "s1"}'],
)
def test_an_answer_that_cannot_be_read_is_temporary(body: bytes) -> None:
    with _server(200, body) as (url, _):
        backend = FortySixElksBackend(url=url, username="u", password="p", sender="Lycksele")
        with pytest.raises(SmsError) as caught:
            backend.send(to=E164, text=TEXT, status_callback=None)
        backend.close()
    assert not caught.value.permanent


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (404, True), (429, False)])
def test_other_statuses_are_classified(status: int, permanent: bool) -> None:
    with _server(status, b"") as (url, _):
        backend = FortySixElksBackend(url=url, username="u", password="p", sender="Lycksele")
        with pytest.raises(SmsError) as caught:
            backend.send(to=E164, text=TEXT, status_callback=None)
        backend.close()
    assert caught.value.permanent is permanent


def test_a_gateway_reason_with_digits_is_not_repeated() -> None:
    with _server(403, b"Invalid number +46701234567") as (url, _):
        backend = FortySixElksBackend(url=url, username="u", password="p", sender="Lycksele")
        with pytest.raises(SmsError) as caught:
            backend.send(to=E164, text=TEXT, status_callback=None)
        backend.close()
    assert caught.value.reason == "the gateway refused the SMS (403)"


def test_the_request_is_form_encoded_with_dontlog() -> None:
    with _server(200, b'{"id": "s1", "parts": 1}') as (url, received):
        backend = FortySixElksBackend(url=url + "/a1/", username="u", password="p", sender="SMS1")
        backend.send(to="0701234567", text=TEXT, status_callback="https://portal.example/dlr")
        backend.close()
    assert received == [
        {
            "from": "SMS1",
            "to": E164,
            "message": TEXT,
            "dontlog": "message",
            "whendelivered": "https://portal.example/dlr",
        }
    ]


def test_neither_number_nor_text_is_logged_or_put_in_errors(
    configured: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="sjalvservice.notifications.sms")
    _send()
    configured.fail("http500", count=1)
    with pytest.raises(SmsError) as caught:
        _send()
    logged = caplog.text
    for secret in ("701234567", "482913"):
        assert secret not in logged
        assert secret not in str(caught.value)


def test_the_delivery_report_reaches_the_callback_and_parses(configured: Simulator) -> None:
    with _server(204, b"") as (url, received):
        sent = _send(status_callback=f"{url}/sms/dlr?secret=abc")
        configured.wait_settled()
    (form,) = received
    report = parse_delivery_report(form)
    assert report.id == sent.id
    assert report.status == "delivered"
    assert report.delivered_at is not None
    assert report.delivered_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - report.delivered_at) < timedelta(seconds=10)


def test_a_failed_delivery_reports_failed(configured: Simulator) -> None:
    configured.fail("failed", count=1)
    with _server(200, b"") as (url, received):
        sent = _send(status_callback=url)
        configured.wait_settled()
    assert parse_delivery_report(received[0]) == DeliveryReport(sent.id, "failed", None)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"id": "s3633fa8e62f823e52fbc67ebf6925ab5", "status": "delivered",
             "delivered": "2026-12-02T10:11:12.123456"},
            DeliveryReport(
                "s3633fa8e62f823e52fbc67ebf6925ab5",
                "delivered",
                datetime(2026, 12, 2, 10, 11, 12, 123456, tzinfo=UTC),
            ),
        ),
        (
            {"id": "s1", "status": "delivered", "delivered": "2026-12-02T11:11:12+01:00"},
            DeliveryReport("s1", "delivered", datetime(2026, 12, 2, 10, 11, 12, tzinfo=UTC)),
        ),
        ({"id": "s1", "status": "sent"}, DeliveryReport("s1", "sent", None)),
        ({"id": "s1", "status": "failed", "delivered": ""}, DeliveryReport("s1", "failed", None)),
        (
            {"id": "s1", "status": "failed", "extra": "ignored"},
            DeliveryReport("s1", "failed", None),
        ),
    ],
)  # fmt: skip
def test_good_delivery_reports_parse(data: dict[str, str], expected: DeliveryReport) -> None:
    report = parse_delivery_report(data)
    assert report == expected
    assert report.delivered_at is None or report.delivered_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": "delivered"},
        {"id": "", "status": "delivered"},
        {"id": "s1"},
        {"id": "s1", "status": "created"},
        {"id": "s1", "status": "DELIVERED"},
        {"id": "s1", "status": "delivered", "delivered": "yesterday"},
        {"id": "s1", "status": "delivered", "delivered": "9999-12-31T23:59:59-12:00"},
        {"id": "s1", "status": "delivered", "delivered": "0001-01-01T00:00:00+14:00"},
        {"id": "s1", "status": "delivered", "delivered": "9999-12-31T23:59:59"},
        {"id": "s1 OR 1=1", "status": "delivered"},
        {"id": "s" * 65, "status": "delivered"},
    ],
)
def test_bad_delivery_reports_are_value_errors(data: dict[str, str]) -> None:
    with pytest.raises(ValueError, match=r"id|status|time"):
        parse_delivery_report(data)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Lycksele", True),
        ("L", True),
        ("Lycksele123", True),
        ("+46701234567", True),
        ("Lycksele1234", False),  # 12 characters
        ("Lycksele kommun", False),
        ("1177", False),
        ("Åsele", False),
        ("", False),
        ("0701234567", False),
    ],
)
def test_valid_sender_follows_the_gateway_rule(name: str, valid: bool) -> None:
    assert valid_sender(name) is valid


@pytest.mark.parametrize(
    "text",
    ["a" * 160, "a" * 161, "€" * 81, "a" * 152 + "€" + "a" * 152, "ç" * 71, "😀" * 36, "Hej"],
)
def test_the_part_count_agrees_with_the_simulator(text: str) -> None:
    assert count_parts(text) == simulator_count_parts(text)


def test_the_console_backend_logs_an_id_and_parts_only(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_BACKEND = "console"
    caplog.set_level(logging.INFO, logger="sjalvservice.notifications.sms")
    backend = get_backend()
    assert isinstance(backend, ConsoleSmsBackend)
    sent = backend.send(to="070-123 45 67", text="a" * 161, status_callback=None)
    assert sent.parts == 2
    (record,) = caplog.records
    assert record.name == "sjalvservice.notifications.sms"
    assert sent.id in record.getMessage()
    assert "701234567" not in caplog.text
    assert "aaaa" not in caplog.text
    with pytest.raises(SmsError) as caught:
        backend.send(to="08-123 456 78", text="x", status_callback=None)
    assert caught.value.permanent


def test_an_unknown_backend_is_a_configuration_error(settings: Any) -> None:
    settings.SMS_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND"):
        get_backend()


def test_missing_46elks_settings_are_named(configured: Simulator, settings: Any) -> None:
    settings.SMS_URL = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_URL"):
        get_backend()


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_a_bad_timeout_is_a_configuration_error(
    configured: Simulator, settings: Any, timeout: object
) -> None:
    settings.SMS_TIMEOUT = timeout
    with pytest.raises(ImproperlyConfigured, match="SMS_TIMEOUT"):
        get_backend()


def test_one_backend_is_kept_per_configuration(configured: Simulator, settings: Any) -> None:
    first = get_backend()
    assert get_backend() is first
    settings.SMS_SENDER = "Kommunen"
    assert get_backend() is not first


def test_times_with_an_offset_become_utc() -> None:
    report = parse_delivery_report(
        {"id": "s1", "status": "delivered", "delivered": "2026-06-01T12:00:00-04:00"}
    )
    assert report.delivered_at == datetime(2026, 6, 1, 16, 0, tzinfo=UTC)

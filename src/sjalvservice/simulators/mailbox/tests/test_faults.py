"""Injected faults as clients see them on the wire: an outage, a stall, rejected recipients."""

from __future__ import annotations

import smtplib
import subprocess
import sys
import time

import pytest
from django.core.mail import EmailMultiAlternatives

from ..server import Simulator
from .support import RECIPIENT, SENDER, SUBJECT, Wire, backend, eventually, message, send


def _django_email() -> EmailMultiAlternatives:
    return EmailMultiAlternatives(SUBJECT, "Hej!\n", SENDER, [RECIPIENT])


# Down.


def test_while_down_a_new_connection_gets_a_temporary_421_at_the_greeting(
    simulator: Simulator,
) -> None:
    simulator.down()
    with pytest.raises(smtplib.SMTPConnectError) as refused:
        smtplib.SMTP(simulator.smtp_host, simulator.smtp_port, timeout=5)
    assert refused.value.smtp_code == 421
    assert b"Service not available" in refused.value.smtp_error
    simulator.up()
    send(simulator)
    assert len(simulator.wait_for(1)) == 1


def test_while_down_django_gets_an_smtp_exception_with_a_4xx_code(simulator: Simulator) -> None:
    simulator.down()
    with pytest.raises(smtplib.SMTPException) as refused:
        backend(simulator).send_messages([_django_email()])
    assert isinstance(refused.value, smtplib.SMTPResponseException)
    assert 400 <= refused.value.smtp_code < 500
    assert simulator.messages() == []
    simulator.up()
    assert backend(simulator).send_messages([_django_email()]) == 1
    assert simulator.wait_for(1)[0]["headers"]["Subject"] == SUBJECT


def test_a_session_already_open_gets_421_at_mail_and_is_closed(simulator: Simulator) -> None:
    with smtplib.SMTP(simulator.smtp_host, simulator.smtp_port, timeout=5) as client:
        client.ehlo("portal.example")
        simulator.down()
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail(SENDER, [RECIPIENT], message().as_bytes())
        assert refused.value.smtp_code == 421
    assert simulator.messages() == []


def test_an_outage_with_seconds_ends_by_itself(simulator: Simulator) -> None:
    simulator.down(0.3)
    with pytest.raises(smtplib.SMTPConnectError):
        send(simulator)
    time.sleep(0.35)
    send(simulator)
    assert len(simulator.wait_for(1)) == 1


@pytest.mark.parametrize("seconds", [0, -1, float("nan"), float("inf"), True])
def test_down_refuses_nonsense(simulator: Simulator, seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        simulator.down(seconds)


# Stall.


def test_a_stall_makes_a_client_with_a_short_timeout_give_up_and_nothing_is_stored(
    simulator: Simulator,
) -> None:
    simulator.stall(30)
    started = time.monotonic()
    with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
        send(simulator, timeout=0.5)
    assert time.monotonic() - started < 5
    # smtplib closes its socket on the timeout; the server drops the held delivery.
    eventually(lambda: simulator.held() == 0)
    assert simulator.messages() == []


def test_a_stall_times_out_django_too(simulator: Simulator) -> None:
    simulator.stall(30)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        backend(simulator, timeout=0.5).send_messages([_django_email()])
    eventually(lambda: simulator.held() == 0)
    assert simulator.messages() == []


def test_a_client_that_waits_out_the_stall_gets_250_and_the_message_is_stored(
    simulator: Simulator,
) -> None:
    simulator.stall(0.4)
    started = time.monotonic()
    send(simulator, timeout=5)
    assert time.monotonic() - started >= 0.4
    assert len(simulator.messages()) == 1


def test_the_stall_holds_only_the_reply_to_the_end_of_data(simulator: Simulator) -> None:
    simulator.stall(30)
    wire = Wire(simulator, timeout=5)
    try:
        # Greeting, EHLO, MAIL, RCPT and DATA are answered at once; then the reply waits.
        wire.send_whole_message()
        eventually(lambda: simulator.held() == 1)
        assert simulator.messages() == []
    finally:
        wire.close()  # the client is gone before the reply
    eventually(lambda: simulator.held() == 0)
    assert simulator.messages() == []


def test_a_client_process_killed_mid_delivery_leaves_nothing(simulator: Simulator) -> None:
    simulator.stall(60)
    client = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import smtplib, sys; "
            "smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=120).sendmail("
            "'noreply@kommun.example', ['anna@example.test'], b'Subject: Hej\\r\\n\\r\\nx')",
            simulator.smtp_host,
            str(simulator.smtp_port),
        ]
    )
    try:
        eventually(lambda: simulator.held() == 1, timeout=20)
        client.kill()
        client.wait(timeout=10)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    eventually(lambda: simulator.held() == 0)
    assert simulator.messages() == []
    simulator.up()
    send(simulator)
    assert len(simulator.messages()) == 1


def test_up_ends_a_stall_and_the_held_delivery_completes(simulator: Simulator) -> None:
    simulator.stall(30)
    wire = Wire(simulator, timeout=5)
    try:
        wire.send_whole_message()
        eventually(lambda: simulator.held() == 1)
        simulator.up()
        assert wire.reply().startswith("250 2.0.0")
    finally:
        wire.close()
    assert len(simulator.messages()) == 1


def test_a_stall_with_a_count_holds_only_that_many_messages(simulator: Simulator) -> None:
    simulator.stall(0.3, count=1)
    started = time.monotonic()
    send(simulator)
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    send(simulator)
    assert time.monotonic() - started < 0.3
    assert len(simulator.messages()) == 2


def test_stall_zero_ends_a_stall(simulator: Simulator) -> None:
    simulator.stall(30)
    simulator.stall(0)
    started = time.monotonic()
    send(simulator)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("seconds", [-1, 601, float("nan"), True])
def test_stall_refuses_nonsense(simulator: Simulator, seconds: float) -> None:
    with pytest.raises(ValueError, match="seconds"):
        simulator.stall(seconds)


# Reject.


def test_reject_refuses_every_recipient_of_the_next_message_with_550(simulator: Simulator) -> None:
    simulator.reject(1)
    other = "bo@example.test"
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(simulator, message(to=[RECIPIENT, other]))
    assert set(refused.value.recipients) == {RECIPIENT, other}
    assert {code for code, _ in refused.value.recipients.values()} == {550}
    assert simulator.messages() == []
    send(simulator, message(to=[RECIPIENT, other]))
    assert simulator.wait_for(1)[0]["envelopeRecipients"] == [RECIPIENT, other]


def test_reject_counts_messages_and_may_be_temporary(simulator: Simulator) -> None:
    simulator.reject(2, code=451)
    for _ in range(2):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            send(simulator)
        assert refused.value.recipients[RECIPIENT][0] == 451
    send(simulator)
    assert len(simulator.messages()) == 1


def test_a_rejection_reaches_django_as_recipients_refused(simulator: Simulator) -> None:
    simulator.reject(1)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        backend(simulator).send_messages([_django_email()])
    assert refused.value.recipients[RECIPIENT][0] == 550


@pytest.mark.parametrize(("count", "code"), [(0, 550), (1, 250), (1, 600), (True, 550)])
def test_reject_refuses_nonsense(simulator: Simulator, count: int, code: int) -> None:
    with pytest.raises(ValueError, match=r"count|code"):
        simulator.reject(count, code=code)


# All of them.


def test_reset_ends_every_fault(simulator: Simulator) -> None:
    simulator.down()
    simulator.stall(30)
    simulator.reject(3)
    simulator.reset()
    assert simulator.state() == {
        "down": False,
        "downSecondsLeft": None,
        "stallSeconds": 0.0,
        "stallCount": None,
        "held": 0,
        "rejections": [],
        "messages": 0,
    }
    started = time.monotonic()
    send(simulator)
    assert time.monotonic() - started < 5
    assert len(simulator.messages()) == 1

"""Real SMTP deliveries, from smtplib and from Django's SMTP backend, and what is kept of them."""

from __future__ import annotations

import smtplib
import threading
from email.utils import make_msgid

import pytest
from django.core.mail import EmailMultiAlternatives

from ..server import Simulator
from ..store import HEADERS, parse
from .support import RECIPIENT, SENDER, SUBJECT, backend, message, send

TEXT = "Hej Anna!\n\nDitt ärende har fått ny status: Beslutat.\nLäs mer: https://portal.example/arenden/42\n"
HTML = '<p lang="sv">Hej Anna!</p><p>Ditt ärende har fått ny status: <strong>Beslutat</strong>.</p>'


def test_django_sends_plain_and_html_alternatives_that_are_kept_decoded(
    simulator: Simulator,
) -> None:
    message_id = make_msgid(domain="kommun.example")
    email = EmailMultiAlternatives(
        SUBJECT,
        TEXT,
        f"Självservice <{SENDER}>",
        [RECIPIENT],
        reply_to=["kundtjanst@kommun.example"],
        headers={
            "Message-ID": message_id,
            "List-Unsubscribe": "<https://portal.example/avregistrera/abc>",
            "Content-Language": "sv",
        },
    )
    email.attach_alternative(HTML, "text/html")
    assert backend(simulator).send_messages([email]) == 1

    [stored] = simulator.wait_for(1)
    assert stored["headers"] == {
        "Message-ID": message_id,
        "Subject": SUBJECT,
        "From": f"Självservice <{SENDER}>",
        "To": RECIPIENT,
        "Cc": None,
        "Reply-To": "kundtjanst@kommun.example",
        "List-Unsubscribe": "<https://portal.example/avregistrera/abc>",
        "Date": stored["headers"]["Date"],
        "Content-Language": "sv",
    }
    assert stored["headers"]["Date"]
    assert stored["text"] == TEXT
    assert stored["html"] == HTML
    assert stored["envelopeFrom"] == SENDER
    assert stored["envelopeRecipients"] == [RECIPIENT]
    assert stored["attachments"] == []
    assert stored["number"] == 1
    assert stored["size"] > len(TEXT.encode()) + len(HTML.encode())
    assert stored["receivedAt"].endswith("+00:00")


def test_the_raw_subject_is_encoded_on_the_wire_and_decoded_in_the_store(
    simulator: Simulator,
) -> None:
    email = EmailMultiAlternatives(SUBJECT, TEXT, SENDER, [RECIPIENT])
    raw = email.message().as_bytes()
    assert b"=?utf-8?" in raw  # RFC 2047, as Django sends it
    backend(simulator).send_messages([email])
    assert simulator.wait_for(1)[0]["headers"]["Subject"] == SUBJECT


def test_a_long_folded_subject_is_unfolded(simulator: Simulator) -> None:
    subject = " – ".join([SUBJECT] * 4)
    backend(simulator).send_messages([EmailMultiAlternatives(subject, TEXT, SENDER, [RECIPIENT])])
    assert simulator.wait_for(1)[0]["headers"]["Subject"] == subject


def test_django_sends_a_batch_over_one_connection_with_ccs_and_bccs(simulator: Simulator) -> None:
    emails = [
        EmailMultiAlternatives(
            f"Meddelande {n}", TEXT, SENDER, [RECIPIENT], cc=["cc@example.test"], bcc=["b@x.test"]
        )
        for n in range(3)
    ]
    assert backend(simulator).send_messages(emails) == 3
    stored = simulator.wait_for(3)
    assert [m["headers"]["Subject"] for m in stored] == [
        "Meddelande 0",
        "Meddelande 1",
        "Meddelande 2",
    ]
    assert [m["number"] for m in stored] == [1, 2, 3]
    # Bcc is only in the envelope, never in the headers.
    assert stored[0]["envelopeRecipients"] == [RECIPIENT, "cc@example.test", "b@x.test"]
    assert stored[0]["headers"]["Cc"] == "cc@example.test"


def test_smtplib_delivers_alternatives_and_the_message_id_is_kept(simulator: Simulator) -> None:
    built = message(text=TEXT, html=HTML, headers={"Message-ID": "<abc.123@kommun.example>"})
    send(simulator, built)
    [stored] = simulator.wait_for(1)
    assert stored["headers"]["Message-ID"] == "<abc.123@kommun.example>"
    assert stored["headers"]["Subject"] == SUBJECT
    assert stored["text"] == TEXT
    assert stored["html"].rstrip("\n") == HTML


@pytest.mark.parametrize(("text", "html"), [("Bara text.\n", None), (None, "<p>Bara HTML.</p>\n")])
def test_a_message_with_one_part_keeps_that_part(
    simulator: Simulator, text: str | None, html: str | None
) -> None:
    send(simulator, message(text=text, html=html))
    [stored] = simulator.wait_for(1)
    assert (stored["text"], stored["html"]) == (text, html)


def test_attachments_are_summarised_not_kept(simulator: Simulator) -> None:
    email = EmailMultiAlternatives(SUBJECT, TEXT, SENDER, [RECIPIENT])
    email.attach_alternative(HTML, "text/html")
    email.attach("kvitto.pdf", b"%PDF-1.7 " + b"x" * 1000, "application/pdf")
    backend(simulator).send_messages([email])
    [stored] = simulator.wait_for(1)
    assert stored["attachments"] == [
        {"filename": "kvitto.pdf", "contentType": "application/pdf", "size": 1009}
    ]
    assert stored["text"] == TEXT


def test_messages_returns_copies(simulator: Simulator) -> None:
    send(simulator)
    simulator.messages()[0]["headers"]["Subject"] = "ändrat"
    assert simulator.messages()[0]["headers"]["Subject"] == SUBJECT


def test_wait_for_returns_once_the_messages_arrive(simulator: Simulator) -> None:
    later = threading.Timer(0.2, lambda: send(simulator))
    later.start()
    try:
        assert len(simulator.wait_for(1, timeout=5)) == 1
    finally:
        later.join()


def test_wait_for_raises_timeout_error(simulator: Simulator) -> None:
    send(simulator)
    with pytest.raises(TimeoutError, match="1 of 2 messages"):
        simulator.wait_for(2, timeout=0.1)


def test_reset_forgets_messages_and_numbers_from_one_again(simulator: Simulator) -> None:
    send(simulator)
    send(simulator)
    simulator.reset()
    assert simulator.messages() == []
    send(simulator)
    assert simulator.wait_for(1)[0]["number"] == 1


def test_only_the_last_messages_are_kept() -> None:
    with Simulator(limit=2) as small:
        for n in range(4):
            send(small, message(subject=f"Nummer {n}"))
        assert [m["headers"]["Subject"] for m in small.messages()] == ["Nummer 2", "Nummer 3"]
        assert [m["number"] for m in small.messages()] == [3, 4]
        with pytest.raises(ValueError, match="limit"):
            small.wait_for(3)


def test_no_authentication_or_tls_is_asked_for(simulator: Simulator) -> None:
    with smtplib.SMTP(simulator.smtp_host, simulator.smtp_port, timeout=5) as client:
        code, _ = client.ehlo("portal.example")
        assert code == 250
        assert not client.has_extn("starttls")
        client.sendmail(SENDER, [RECIPIENT], message().as_bytes())
    assert len(simulator.wait_for(1)) == 1


def test_a_malformed_message_is_stored_as_far_as_it_can_be_read(simulator: Simulator) -> None:
    raw = (
        b"Subject: =?x-unknown?q?Tr=E4?=\r\nTo: <<not an address\r\n"
        b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\nR\xe4ksm\xf6rg\xe5s\r\n"
    )
    with smtplib.SMTP(simulator.smtp_host, simulator.smtp_port, timeout=5) as client:
        client.sendmail(SENDER, [RECIPIENT], raw)
    [stored] = simulator.wait_for(1)
    assert stored["text"] is not None
    assert stored["text"].startswith("R")
    assert stored["headers"]["To"]


def test_parse_keeps_every_named_header_and_none_for_absent_ones() -> None:
    received = parse(
        b"Subject: Hej\r\n\r\nText\r\n", number=7, envelope_from=SENDER, envelope_recipients=[]
    )
    assert set(received.headers) == set(HEADERS)
    assert received.headers["Subject"] == "Hej"
    assert received.headers["Message-ID"] is None
    assert received.text == "Text\n"

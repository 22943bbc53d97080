"""Delivering the outbox: over real SMTP and the SMS simulator, through outages and
failures, without ever losing a notice or sending one twice."""

import copy
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.notifications.delivery import deliver, message_id
from sjalvservice.notifications.kinds import Channel, Kind
from sjalvservice.notifications.models import Delivery, TextOverride

pytestmark = pytest.mark.django_db

SECRET_ANSWERS = ("Fler bänkar", "Vid älven", "Storgatan", "Testersson")
PIN_FORMS = ("198101059825", "19810105-9825", "810105-9825", "8101059825")


@pytest.fixture
def submitted(suggestion, confirmed, julia):
    julia.email = "julia@skelleftea.example"
    julia.save()
    given = copy.deepcopy(ANSWERS)
    given["kontakt"]["notify_sms"] = True
    return services.submit(
        services.start_draft(suggestion, owner=confirmed), by=confirmed, answers=given
    )


def due_now():
    """The backoff has passed: every waiting delivery may be tried again."""
    Delivery.objects.filter(state=Delivery.State.PENDING).update(next_attempt_at=timezone.now())


def test_the_mail_is_plain_text_and_html_with_a_stable_message_id_and_no_personal_data(
    submitted, mailbox, sms_gateway, deliver_due, settings
):
    settings.NOTIFICATION_REPLY_TO = "kommun@skelleftea.example"
    deliver_due()
    messages = mailbox.wait_for(2)
    to_anna = next(m for m in messages if m["envelopeRecipients"] == ["anna@example.se"])
    delivery = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.EMAIL)
    assert to_anna["headers"]["Message-ID"] == message_id(delivery.key)
    assert to_anna["headers"]["Reply-To"] == "kommun@skelleftea.example"
    assert "/mina-sidor/uppgifter/" in to_anna["headers"]["List-Unsubscribe"]
    assert to_anna["headers"]["Subject"] == f"Ditt ärende {submitted.number} har kommit in"
    assert f"/mina-sidor/arenden/{submitted.number}/" in to_anna["text"]
    assert "Medborgarförslag" in to_anna["text"]
    assert "Skellefteå kommun" in to_anna["html"]
    sent = [*messages, *sms_gateway.wait_for(1)]
    for text in (str(item) for item in sent):
        for secret in (*SECRET_ANSWERS, *PIN_FORMS):
            assert secret not in text


def test_notices_are_written_in_the_persons_language(submitted, mailbox, deliver_due, anna):
    anna.language = "en"
    anna.save()
    julia = submitted.eservice.assignments.get().handler
    services.send_message(submitted, by=julia, text="Hej!")
    Delivery.objects.filter(kind=Kind.CASE_SUBMITTED).update(state=Delivery.State.CANCELLED)
    deliver_due()
    [message] = [m for m in mailbox.wait_for(2) if m["envelopeRecipients"] == ["anna@example.se"]]
    assert message["headers"]["Subject"] == f"New message about your case {submitted.number}"
    assert message["headers"]["Content-Language"] == "en"


def test_a_municipalitys_own_text_is_used_with_its_placeholders(submitted, mailbox, deliver_due):
    TextOverride.objects.create(
        eservice=submitted.eservice, kind=Kind.CASE_SUBMITTED, language="sv",
        subject="Tack för ditt förslag {arendenummer}", sms="",
    )  # fmt: skip
    deliver_due()
    subjects = {m["headers"]["Subject"] for m in mailbox.wait_for(2)}
    assert f"Tack för ditt förslag {submitted.number}" in subjects


def test_with_smtp_down_every_mail_arrives_once_it_is_back_and_none_twice(
    submitted, mailbox, deliver_due, settings
):
    mailbox.down(None)
    outcome = deliver_due()
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert {outcome[pk] for pk in emails.values_list("pk", flat=True)} == {Delivery.State.PENDING}
    assert all(d.attempts == 1 and d.last_error for d in emails)
    assert all(d.next_attempt_at > timezone.now() for d in emails)
    due_now()
    deliver_due()
    assert mailbox.messages() == []
    mailbox.up()
    due_now()
    deliver_due()
    due_now()
    deliver_due()  # nothing left to send
    received = mailbox.wait_for(2)
    assert sorted(m["envelopeRecipients"][0] for m in received) == [
        "anna@example.se",
        "julia@skelleftea.example",
    ]
    assert len({m["headers"]["Message-ID"] for m in received}) == 2
    assert set(emails.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert set(emails.values_list("attempts", flat=True)) == {3}


def test_a_delivery_gives_up_after_the_last_attempt(submitted, mailbox, deliver_due, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    mailbox.down(None)
    deliver_due()
    due_now()
    deliver_due()
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert set(emails.values_list("state", flat=True)) == {Delivery.State.FAILED}


def test_a_refused_recipient_fails_at_once(submitted, mailbox, deliver_due):
    mailbox.reject(5, code=550)
    deliver_due()
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert set(emails.values_list("state", flat=True)) == {Delivery.State.FAILED}
    assert set(emails.values_list("attempts", flat=True)) == {1}


def test_the_backoff_grows_and_is_spread(settings):
    from sjalvservice.notifications.delivery import backoff

    settings.NOTIFICATION_RETRY_BASE = 10
    settings.NOTIFICATION_RETRY_MAX = 100
    waits = [backoff(attempt).total_seconds() for attempt in (1, 2, 3, 4, 5, 6)]
    for attempt, wait in enumerate(waits, start=1):
        full = min(100, 10 * 2 ** (attempt - 1))
        assert full / 2 <= wait <= full
    assert len({round(backoff(3).total_seconds(), 6) for _ in range(20)}) > 1


def test_a_delivery_someone_else_holds_is_left_alone(submitted, mailbox):
    delivery = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.SENDING, leased_until=timezone.now() + timezone.timedelta(minutes=1)
    )
    assert deliver(delivery.pk) is None
    assert deliver(delivery.pk) is None
    assert mailbox.messages() == []


def test_a_sent_delivery_is_never_sent_again(submitted, mailbox, deliver_due):
    deliver_due()
    delivery = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.EMAIL)
    assert deliver(delivery.pk) is None
    assert len(mailbox.wait_for(2)) == 2


def test_a_permanently_failing_sms_shows_as_failed_to_the_handler(
    submitted, sms_gateway, mailbox, deliver_due, client, staff_login, julia
):
    sms_gateway.fail(mode="reject")
    deliver_due()
    sms = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.SMS)
    assert sms.state == Delivery.State.FAILED
    staff_login(client, julia)
    page = client.get(f"/handlaggare/arenden/{submitted.number}/").content.decode()
    section = page.split('id="notiser"')[1].split('id="historik"')[0]
    assert "SMS kunde inte levereras" in section
    assert "E-post skickad" in section


def test_a_gateway_error_is_retried(submitted, sms_gateway, mailbox, deliver_due):
    sms_gateway.fail(count=1, mode="http500")
    deliver_due()
    sms = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.SMS)
    assert sms.state == Delivery.State.PENDING
    due_now()
    deliver_due()
    sms.refresh_from_db()
    assert sms.state == Delivery.State.SENT
    assert sms.provider_id
    assert len(sms_gateway.wait_for(1)) == 1


def test_tick_hands_stale_deliveries_to_the_worker(submitted, settings):
    from django_tasks_db.models import DBTaskResult

    stale = Delivery.objects.filter(channel=Channel.EMAIL)
    stale.update(
        state=Delivery.State.SENDING, leased_until=timezone.now() - timezone.timedelta(seconds=1)
    )
    DBTaskResult.objects.all().delete()
    call_command("tick", stdout=open("/dev/null", "w"))  # noqa: SIM115
    queued = DBTaskResult.objects.filter(task_path__endswith="notifications.tasks.deliver")
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted(
        stale.values_list("pk", flat=True)
    )


def test_tick_purges_old_task_results_only(db, settings):
    from django_tasks_db.models import DBTaskResult

    from sjalvservice.notifications.tasks import deliver as deliver_task

    old, recent = deliver_task.enqueue(1), deliver_task.enqueue(2)
    long_ago = timezone.now() - timezone.timedelta(days=settings.TASK_RESULT_RETENTION_DAYS + 1)
    DBTaskResult.objects.filter(pk=old.id).update(status="SUCCESSFUL", finished_at=long_ago)
    DBTaskResult.objects.filter(pk=recent.id).update(
        status="SUCCESSFUL", finished_at=timezone.now()
    )
    call_command("tick", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [str(recent.id)]


def test_the_status_notice_links_to_the_case_and_says_nothing_of_the_message(
    submitted, mailbox, deliver_due, julia
):
    awaiting = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(submitted, status=awaiting, by=julia, message="Bifoga ritningen, tack.")
    Delivery.objects.filter(kind__in=[Kind.CASE_SUBMITTED, Kind.NEW_CASE]).update(
        state=Delivery.State.CANCELLED
    )
    deliver_due()
    [message] = mailbox.wait_for(1)
    assert message["headers"]["Subject"] == f"Ditt ärende {submitted.number} behöver kompletteras"
    assert "ritningen" not in str(message)
    assert re.search(rf"/mina-sidor/arenden/{submitted.number}/", message["text"])

"""The outbox with real workers (``db_worker`` processes) and the gateway's delivery
reports over HTTP: a worker killed mid-delivery costs nothing but time."""

import copy
import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection

from sjalvservice.cases import services
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.notifications.kinds import Channel, Kind
from sjalvservice.notifications.models import Delivery

pytestmark = pytest.mark.django_db(transaction=True)

LEASE = 3


def database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    auth = f"{user}:{settings['PASSWORD']}" if settings["PASSWORD"] else user
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{settings['NAME']}"


def start_worker(mailbox, tmp_path, lease=LEASE):
    environ = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path),
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": mailbox.smtp_host,
        "EMAIL_PORT": str(mailbox.smtp_port),
        "EMAIL_TIMEOUT": "30",
        "NOTIFICATION_LEASE": str(lease),
        "TASKS_BACKEND": "database",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sjalvservice",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_until(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_worker_killed_mid_delivery_leads_to_exactly_one_mail_after_the_lease(
    suggestion, confirmed, mailbox, tmp_path, settings
):
    settings.NOTIFICATION_LEASE = LEASE
    given = copy.deepcopy(ANSWERS)
    given["kontakt"]["notify_sms"] = False
    mailbox.stall(60)  # the server takes the connection and then keeps it waiting
    case = services.submit(
        services.start_draft(suggestion, owner=confirmed), by=confirmed, answers=given
    )
    email = Delivery.objects.get(case=case, kind=Kind.CASE_SUBMITTED, channel=Channel.EMAIL)

    worker = start_worker(mailbox, tmp_path)
    try:
        wait_until(lambda: Delivery.objects.get(pk=email.pk).state == Delivery.State.SENDING)
        time.sleep(0.5)  # it is talking to the server now
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    mailbox.stall(0)
    assert mailbox.messages() == []

    call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115
    worker = start_worker(mailbox, tmp_path)
    try:
        time.sleep(1)
        # Held under the dead worker's lease: nobody touches it yet.
        assert Delivery.objects.get(pk=email.pk).state == Delivery.State.SENDING
        assert mailbox.messages() == []
        time.sleep(LEASE)
        call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115
        wait_until(lambda: Delivery.objects.get(pk=email.pk).state == Delivery.State.SENT)
        call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115
        time.sleep(1)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(10)
    received = mailbox.messages()
    assert [message["envelopeRecipients"] for message in received] == [["anna@example.se"]]
    assert Delivery.objects.get(pk=email.pk).attempts == 2


def test_the_gateways_delivery_report_reaches_the_portal_over_http(
    suggestion, confirmed, sms_gateway, live_server, settings
):
    from sjalvservice.notifications.delivery import deliver

    settings.SITE_URL = live_server.url
    given = copy.deepcopy(ANSWERS)
    given["kontakt"].update(notify_sms=True, notify_email=False)
    case = services.submit(
        services.start_draft(suggestion, owner=confirmed), by=confirmed, answers=given
    )
    sms = Delivery.objects.get(case=case, kind=Kind.CASE_SUBMITTED, channel=Channel.SMS)
    assert deliver(sms.pk) == Delivery.State.SENT
    wait_until(lambda: Delivery.objects.get(pk=sms.pk).state == Delivery.State.DELIVERED, 10)

    sms_gateway.fail(mode="failed")
    second = Delivery.objects.create(
        key="test:failing", kind=Kind.STATUS_CHANGED, channel=Channel.SMS, user=confirmed,
        address="0701234567", case=case, path="/", next_attempt_at=sms.next_attempt_at,
    )  # fmt: skip
    assert deliver(second.pk) == Delivery.State.SENT
    wait_until(lambda: Delivery.objects.get(pk=second.pk).state == Delivery.State.FAILED, 10)


def test_two_workers_deliver_every_notice_once(suggestion, confirmed, mailbox, tmp_path):
    """The short version of bench/notifications.py: two workers race for the same
    deliveries (each is enqueued twice) and each notice arrives exactly once."""
    from sjalvservice.notifications import outbox
    from sjalvservice.notifications.delivery import message_id

    given = copy.deepcopy(ANSWERS)
    given["kontakt"]["notify_sms"] = False
    case = services.submit(
        services.start_draft(suggestion, owner=confirmed), by=confirmed, answers=given
    )
    recipients = [
        outbox.Recipient(f"user-{i}", Channel.EMAIL, f"handlaggare{i}@example.se", "sv")
        for i in range(40)
    ]
    created = outbox.record(
        kind=Kind.NEW_CASE, source="race", case=case, path="/", recipients=recipients
    )
    outbox.enqueue([delivery.pk for delivery in created])  # a second task for each
    workers = [start_worker(mailbox, tmp_path, lease=60) for _ in range(2)]
    try:
        wait_until(lambda: not Delivery.objects.exclude(state=Delivery.State.SENT).exists(), 60)
        time.sleep(0.5)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(10)
    received = [message["headers"]["Message-ID"] for message in mailbox.messages()]
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    expected = [message_id(key) for key in emails.values_list("key", flat=True)]
    assert sorted(received) == sorted(expected)
    assert len(received) == 41  # the 40 and Anna's receipt
    assert set(
        Delivery.objects.filter(channel=Channel.EMAIL).values_list("attempts", flat=True)
    ) == {1}

"""A webhook survives its worker: killed while the receiver is answering, the delivery is
taken up again after its lease and reaches the receiver with the same webhook-id."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from standardwebhooks.webhooks import Webhook

from sjalvservice.notifications.kinds import Channel
from sjalvservice.notifications.models import Delivery
from sjalvservice.notifications.tests.test_worker import database_url, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

LEASE = 3


def start_worker(tmp_path):
    environ = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DATA_DIR": str(tmp_path),
        "NOTIFICATION_LEASE": str(LEASE),
        "TASKS_BACKEND": "database",
        "WEBHOOK_TIMEOUT": "30",
    }
    command = [sys.executable, "-m", "sjalvservice", "db_worker", "--no-reload",
               "--no-startup-delay", "--interval", "0.1"]  # fmt: skip
    return subprocess.Popen(
        command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def tick():
    call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_a_webhook_is_not_lost_when_its_worker_is_killed(
    api, annas_case, subscription, receiver, tmp_path, settings
):
    settings.NOTIFICATION_LEASE = LEASE
    receiver.delay = 30  # the receiver takes the request and keeps the worker waiting
    api.post(f"/api/v1/cases/{annas_case.number}/status", {"status": "IN_PROGRESS"},
             content_type="application/json")  # fmt: skip
    delivery = Delivery.objects.get(case=annas_case, channel=Channel.WEBHOOK)

    worker = start_worker(tmp_path)
    try:
        wait_until(lambda: Delivery.objects.get(pk=delivery.pk).state == Delivery.State.SENDING)
        time.sleep(0.5)  # posting now
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    receiver.delay = 0
    assert Delivery.objects.get(pk=delivery.pk).state == Delivery.State.SENDING

    worker = start_worker(tmp_path)
    try:
        time.sleep(LEASE + 0.5)
        tick()  # the lease has run out: the delivery goes to a worker again
        wait_until(lambda: Delivery.objects.get(pk=delivery.pk).state == Delivery.State.SENT)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(10)
    # The killed attempt's request may have arrived too: with the same webhook-id.
    answered = list(receiver.received)
    assert answered
    assert {headers["webhook-id"] for headers, _body in answered} == {answered[0][0]["webhook-id"]}
    headers, body = answered[-1]
    assert Webhook(subscription.secret).verify(body, headers)["type"] == "case.status_changed"
    assert Delivery.objects.get(pk=delivery.pk).attempts == 2

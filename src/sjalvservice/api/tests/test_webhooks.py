"""Webhooks: every event POSTed to the subscriptions, signed as Standard Webhooks says,
through the outbox, retried until the receiver answers."""

import json

from standardwebhooks.webhooks import Webhook

from sjalvservice.notifications.delivery import deliver
from sjalvservice.notifications.kinds import Channel
from sjalvservice.notifications.models import Delivery


def webhooks_of(case):
    return Delivery.objects.filter(case=case, channel=Channel.WEBHOOK).order_by("pk")


def test_an_event_is_posted_signed_and_verifies_with_another_implementation(
    api, annas_case, subscription, receiver
):
    api.post(f"/api/v1/cases/{annas_case.number}/status", {"status": "IN_PROGRESS"},
             content_type="application/json")  # fmt: skip
    delivery = webhooks_of(annas_case).get()
    assert deliver(delivery.pk) == Delivery.State.SENT

    headers, body = receiver.received[0]
    # The reference implementation of the specification, not ours.
    verified = Webhook(subscription.secret).verify(body, headers)
    assert verified["type"] == "case.status_changed"
    assert verified["data"]["case_number"] == annas_case.number
    assert verified["data"]["status"]["kind"] == "IN_PROGRESS"
    assert verified["data"]["person"] == "Diariet"
    assert json.loads(body) == verified


def test_a_tampered_body_does_not_verify(api, annas_case, subscription, receiver):
    import pytest
    from standardwebhooks.webhooks import WebhookVerificationError

    api.post(f"/api/v1/cases/{annas_case.number}/notes", {"text": "x"},
             content_type="application/json")  # fmt: skip
    api.post(f"/api/v1/cases/{annas_case.number}/messages", {"text": "Hej"},
             content_type="application/json")  # fmt: skip
    deliver(webhooks_of(annas_case).get().pk)
    headers, body = receiver.received[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(subscription.secret).verify(body.replace(b"Hej", b"Hoj"), headers)


def test_a_failing_receiver_is_tried_again_until_it_answers(
    api, annas_case, subscription, receiver
):
    receiver.answers = [503, 500]
    api.post(f"/api/v1/cases/{annas_case.number}/status", {"status": "IN_PROGRESS"},
             content_type="application/json")  # fmt: skip
    delivery = webhooks_of(annas_case).get()
    states = []
    for _ in range(3):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=delivery.created_at)
        states.append(deliver(delivery.pk))
    assert states == [Delivery.State.PENDING, Delivery.State.PENDING, Delivery.State.SENT]
    ids = {headers["webhook-id"] for headers, _body in receiver.received}
    assert len(receiver.received) == 3
    assert len(ids) == 1, "every attempt carries the same webhook-id"
    assert Delivery.objects.get(pk=delivery.pk).attempts == 3


def test_only_subscribed_event_types_and_scoped_clients_get_webhooks(
    api, annas_case, subscription, diarium
):
    subscription.event_types = ["message_to_citizen"]
    subscription.save(update_fields=["event_types"])
    path = f"/api/v1/cases/{annas_case.number}"
    api.post(f"{path}/status", {"status": "IN_PROGRESS"}, content_type="application/json")
    assert not webhooks_of(annas_case).exists()
    api.post(f"{path}/messages", {"text": "Hej"}, content_type="application/json")
    assert webhooks_of(annas_case).count() == 1

    diarium.scopes = ["read_cases", "write_messages"]
    diarium.save(update_fields=["scopes"])
    api.post(f"{path}/messages", {"text": "Igen"}, content_type="application/json")
    assert webhooks_of(annas_case).count() == 1


def test_the_citizens_submission_reaches_the_system(subscription, suggestion, anna):
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import ANSWERS

    case = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers=ANSWERS)
    delivery = webhooks_of(case).get()
    assert delivery.payload["type"] == "case.submitted"
    assert delivery.payload["data"]["case_number"] == case.number


def test_the_test_button_sends_a_signed_message(
    client, staff_login, karin, diarium, subscription, receiver
):
    staff_login(client, karin)
    page = client.post(
        f"/handlaggare/administrera/api-klienter/{diarium.pk}/webhooks/{subscription.pk}/testa/"
    )
    assert "Mottagaren svarade HTTP 200." in page.content.decode()
    headers, body = receiver.received[0]
    assert Webhook(subscription.secret).verify(body, headers)["type"] == "webhook.test"


def test_a_webhook_url_must_be_https_in_production(client, staff_login, karin, diarium, settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    staff_login(client, karin)
    page = client.post(
        f"/handlaggare/administrera/api-klienter/{diarium.pk}/webhooks/ny/",
        {"url": "http://diarium.example/hook"},
    )
    assert page.status_code == 200
    assert "Adressen ska börja med https://." in page.content.decode()
    assert not diarium.webhooks.exists()

"""Webhooks: each event of a client's cases POSTed to its subscriptions through the
notification outbox (leases, retries with backoff, a state per delivery), signed as the
Standard Webhooks specification says.

A delivery is written in the event's own transaction (``cases.signals.event_recorded``)
with its body fixed then; the worker signs and sends it. The headers are ``webhook-id``
(the same for every attempt of one delivery, so a receiver can drop repeats),
``webhook-timestamp`` (seconds since 1970, at the attempt) and ``webhook-signature``
(``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body`` under the secret's key).
Any answer but 2xx is tried again, up to ``NOTIFICATION_MAX_ATTEMPTS``; 410 Gone stops.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from sjalvservice.api.models import Scope, WebhookSubscription
from sjalvservice.notifications import outbox
from sjalvservice.notifications.delivery import DeliveryFailed
from sjalvservice.notifications.models import Delivery

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
USER_AGENT = "Sjalvservice-Webhooks/1"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one message."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def payload_of(case: Any, event: Any) -> dict[str, Any]:
    """What a webhook says of an event: enough to know what happened; the rest is read
    through the API (``GET /api/v1/cases/{number}``)."""
    status = event.status
    return {
        "type": f"case.{event.kind}",
        "timestamp": event.created_at.isoformat(),
        "data": {
            "event_id": event.pk,
            "case_number": case.number,
            "eservice_id": case.eservice_id,
            "status": {
                "id": status.pk,
                "name": status.name,
                "name_en": status.name_en,
                "kind": status.kind,
            },
            "person": event.person_name,
            "details": event.details,
        },
    }


def record(sender: Any, *, case: Any, event: Any, **kwargs: Any) -> None:
    """``event_recorded``'s receiver: the event's deliveries to the subscriptions of the
    clients that may see the case and asked for its type."""
    subscriptions = WebhookSubscription.objects.filter(
        is_active=True,
        client__is_active=True,
        client__municipality_id=case.municipality_id,
        client__eservices=case.eservice_id,
    ).select_related("client")
    targets = [
        subscription.pk
        for subscription in subscriptions
        if subscription.client.may(Scope.WEBHOOKS) and subscription.wants(event.kind)
    ]
    if targets:
        outbox.record_webhooks(
            source=f"event-{event.pk}", case=case, targets=targets, payload=payload_of(case, event)
        )


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (refused, timed out)
    error: str = ""


def post(subscription: WebhookSubscription, message_id: str, payload: dict[str, Any]) -> Answer:
    """POST one signed message to the subscription's URL; what came back."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": signature(subscription.secret, message_id, timestamp, body),
    }
    try:
        response = httpx.post(
            subscription.url,
            content=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT,
            follow_redirects=False,
        )
    except httpx.HTTPError as error:
        return Answer(None, type(error).__name__)
    return Answer(response.status_code)


def message_id(delivery: Delivery) -> str:
    return "msg_" + hashlib.sha256(delivery.key.encode()).hexdigest()[:32]


def send(delivery: Delivery) -> str:
    """The outbox's sender for ``Channel.WEBHOOK``: the HTTP status, or DeliveryFailed."""
    subscription = (
        WebhookSubscription.objects.select_related("client")
        .filter(pk=delivery.target_id or 0, is_active=True, client__is_active=True)
        .first()
    )
    if subscription is None or not subscription.client.may(Scope.WEBHOOKS):
        raise DeliveryFailed("the subscription is switched off or gone", permanent=True)
    answer = post(subscription, message_id(delivery), delivery.payload or {})
    if answer.status is None:
        raise DeliveryFailed(f"no answer: {answer.error}", permanent=False)
    if answer.status == 410:
        raise DeliveryFailed("HTTP 410 Gone", permanent=True)
    if not 200 <= answer.status < 300:
        raise DeliveryFailed(f"HTTP {answer.status}", permanent=False)
    return str(answer.status)


def send_test(subscription: WebhookSubscription) -> Answer:
    """ "Skicka test": a signed ``webhook.test`` message now, its answer shown at once."""
    now = timezone.now()
    payload = {
        "type": "webhook.test",
        "timestamp": now.isoformat(),
        "data": {"client": subscription.client.name},
    }
    return post(subscription, "msg_test_" + secrets.token_hex(12), payload)

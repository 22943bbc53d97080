"""Delivering the outbox: take a delivery under a lease, send it, record what happened.

A delivery is taken with one conditional UPDATE, so of two workers given the same
delivery one sends it and the other does nothing. A worker that dies while sending
leaves the lease to run out; ``tick`` then hands the delivery to a worker again. What a
crash can still cause is a second e-mail for one that reached the server just before
the crash: it carries the same Message-ID, by which mail systems recognise it.
"""

from __future__ import annotations

import hashlib
import logging
import random
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from sjalvservice.notifications import sms
from sjalvservice.notifications.kinds import STAFF_KINDS, Channel
from sjalvservice.notifications.models import Delivery
from sjalvservice.notifications.texts import render, texts_for, values_for

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """Sending failed; ``permanent`` when trying again cannot help."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def deliver(pk: int) -> Delivery.State | None:
    """Send one delivery if it is due and nobody holds it; the state it ends in (None:
    not taken)."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.NOTIFICATION_LEASE)
    taken = (
        Delivery.objects.filter(
            pk=pk,
            state__in=[Delivery.State.PENDING, Delivery.State.SENDING],
            next_attempt_at__lte=now,
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(state=Delivery.State.SENDING, leased_until=lease, attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    delivery = Delivery.objects.select_related("case__eservice", "case__municipality").get(pk=pk)
    mine = Delivery.objects.filter(pk=pk, state=Delivery.State.SENDING, leased_until=lease)
    try:
        provider_id = _send(delivery)
    except DeliveryFailed as failure:
        final = failure.permanent or delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        state = Delivery.State.FAILED if final else Delivery.State.PENDING
        retry_at = now if final else timezone.now() + backoff(delivery.attempts)
        mine.update(
            state=state,
            leased_until=None,
            last_error=failure.reason[:200],
            next_attempt_at=retry_at,
        )
        logger.warning(
            "Delivery %s (%s, %s) attempt %s failed: %s%s",
            pk, delivery.kind, delivery.channel, delivery.attempts, failure.reason,
            "" if state == Delivery.State.PENDING else "; giving up",
        )  # fmt: skip
        if state == Delivery.State.PENDING:
            from sjalvservice.notifications.outbox import enqueue

            enqueue([pk], run_after=retry_at)
        return state
    mine.update(
        state=Delivery.State.SENT,
        leased_until=None,
        sent_at=timezone.now(),
        provider_id=provider_id,
        last_error="",
    )
    return Delivery.State.SENT


def backoff(attempts: int) -> timedelta:
    """Exponential, capped, with jitter so that retries after an outage spread out."""
    delay = min(
        settings.NOTIFICATION_RETRY_MAX,
        settings.NOTIFICATION_RETRY_BASE * 2 ** max(0, attempts - 1),
    )
    return timedelta(seconds=delay * random.uniform(0.5, 1.0))  # noqa: S311


# Senders of channels whose receivers other apps keep (the integration API's webhooks):
# delivery -> the provider's id, or DeliveryFailed.
Sender = Callable[[Delivery], str]
_SENDERS: dict[str, Sender] = {}


def register_sender(channel: Channel, sender: Sender) -> None:
    """Let ``sender`` send the deliveries of ``channel`` (from an app's ``ready()``)."""
    _SENDERS[channel] = sender


def _send(delivery: Delivery) -> str:
    if delivery.channel == Channel.PORTAL:
        return ""  # a scheduled notice on Mina sidor: it shows from now on
    if delivery.channel in _SENDERS:
        return _SENDERS[delivery.channel](delivery)
    case = delivery.case
    for_staff = delivery.kind in STAFF_KINDS
    rendered = render(
        texts_for(case.eservice_id, delivery.kind, delivery.language),
        values_for(case, delivery.path),
        delivery.language,
        for_staff=for_staff,
    )
    if delivery.channel == Channel.EMAIL:
        _send_email(delivery, rendered.subject, rendered.text, rendered.html, for_staff=for_staff)
        return ""
    if delivery.channel == Channel.SMS:
        if settings.SMS_BACKEND == "off":
            raise DeliveryFailed("SMS are turned off (SMS_BACKEND=off)", permanent=True)
        try:
            sent = sms.get_backend().send(
                to=delivery.address, text=rendered.sms, status_callback=report_url(delivery)
            )
        except sms.SmsError as error:
            raise DeliveryFailed(error.reason, permanent=error.permanent) from error
        return sent.id
    raise DeliveryFailed(f"no channel {delivery.channel}", permanent=True)


def message_id(key: str) -> str:
    """The same Message-ID every time one delivery is sent, however often it is tried."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}@{settings.NOTIFICATION_MESSAGE_ID_DOMAIN}>"


def _send_email(delivery: Delivery, subject: str, text: str, html: str, *, for_staff: bool) -> None:
    unsubscribe = settings.SITE_URL + reverse(
        "backoffice:notification_settings" if for_staff else "accounts:my_details"
    )
    headers = {
        "Message-ID": message_id(delivery.key),
        "Auto-Submitted": "auto-generated",
        "Content-Language": delivery.language,
        "List-Unsubscribe": settings.NOTIFICATION_LIST_UNSUBSCRIBE or f"<{unsubscribe}>",
    }
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.NOTIFICATION_FROM_EMAIL,
        to=[delivery.address],
        reply_to=[settings.NOTIFICATION_REPLY_TO] if settings.NOTIFICATION_REPLY_TO else None,
        headers=headers,
        connection=get_connection(fail_silently=False),
    )
    email.attach_alternative(html, "text/html")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _message in error.recipients.values()]
        permanent = all(500 <= code < 600 for code in codes)
        raise DeliveryFailed(f"recipient refused ({codes})", permanent=permanent) from error
    except smtplib.SMTPResponseException as error:
        code = error.smtp_code
        raise DeliveryFailed(f"SMTP {code}", permanent=500 <= code < 600) from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(f"SMTP: {type(error).__name__}", permanent=False) from error


def report_url(delivery: Delivery) -> str:
    """Where the SMS gateway reports delivery; signed, so only it can tell of this one."""
    return settings.SITE_URL + reverse(
        "notifications:sms_report", args=[delivery.pk, report_signature(delivery.pk)]
    )


def report_signature(pk: int) -> str:
    return signing.Signer(salt="notifications.sms-report").signature(str(pk))


def record_report(pk: int, signature: str, report: sms.DeliveryReport) -> bool:
    """Apply the gateway's delivery report; False if it is not one of ours."""
    if not constant_time_compare(signature, report_signature(pk)):
        return False
    reported = Delivery.objects.filter(pk=pk, channel=Channel.SMS, provider_id=report.id).exclude(
        state=Delivery.State.CANCELLED
    )
    if report.status == "delivered":
        reported.update(
            state=Delivery.State.DELIVERED, delivered_at=report.delivered_at or timezone.now()
        )
    elif report.status == "failed":
        reported.update(state=Delivery.State.FAILED, last_error="gateway: failed")
    return reported.exists()


def stale(now: datetime) -> list[int]:
    """Deliveries a worker should have sent by now: due long enough ago that their task
    was lost, or held under a lease that ran out."""
    grace = now - timedelta(seconds=settings.NOTIFICATION_LEASE)
    return list(
        Delivery.objects.filter(
            Q(state=Delivery.State.PENDING, next_attempt_at__lte=grace)
            | Q(state=Delivery.State.SENDING, leased_until__lt=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.NOTIFICATION_TICK_BATCH]
    )

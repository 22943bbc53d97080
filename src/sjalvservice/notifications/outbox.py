"""Writing the outbox: called by the domain functions in ``cases.services`` inside the
transaction of the change they tell of, so a notice exists exactly when its change does.

Each recipient gets one ``Delivery`` per channel, keyed by ``source`` (the case event),
kind, channel and recipient; writing the same notice again changes nothing. The worker
is asked to deliver once the transaction has committed; should that request be lost,
``sjalvservice tick`` finds the delivery anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sjalvservice.notifications.kinds import CITIZEN_KINDS, Channel, Kind
from sjalvservice.notifications.models import Delivery, StaffEmailOptOut

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User


@dataclass(frozen=True)
class Recipient:
    """Someone a notice goes to on one channel: a person, or a group's shared address."""

    ref: str  # in the idempotency key: "user-12", "group-3"
    channel: str
    address: str
    language: str
    user: User | None = None


def citizen_recipients(user: User) -> list[Recipient]:
    """Mina sidor always; e-mail to a confirmed address and SMS, as the person chose."""
    from sjalvservice.accounts.models import Profile

    ref, language = f"user-{user.pk}", user.language
    recipients = [Recipient(ref, Channel.PORTAL, "", language, user)]
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        if profile.notification_email:
            recipients.append(
                Recipient(ref, Channel.EMAIL, profile.notification_email, language, user)
            )
        if profile.notification_mobile and settings.SMS_BACKEND != "off":
            recipients.append(
                Recipient(ref, Channel.SMS, profile.notification_mobile, language, user)
            )
    return recipients


def staff_recipients(
    kind: str,
    *,
    eservice_id: int | None = None,
    handler: User | None = None,
    exclude: User | None = None,
) -> list[Recipient]:
    """Staff who hear of ``kind`` by e-mail: ``handler`` alone, or else everyone who
    handles the e-service (a group with a shared address gets one e-mail there instead of
    one to each member). Nobody who turned the kind off, is inactive or has no address."""
    from sjalvservice.accounts.models import User
    from sjalvservice.eservices.models import EService

    if handler is not None:
        people = User.objects.filter(pk=handler.pk)
        groups: list[tuple[int, str]] = []
    else:
        assert eservice_id is not None
        people = User.objects.filter(
            Q(assignments__eservice_id=eservice_id)
            | Q(handler_groups__eservices__id=eservice_id, handler_groups__email="")
        )
        groups = list(
            EService.objects.filter(pk=eservice_id, handler_groups__email__gt="")
            .order_by("handler_groups__pk")
            .values_list("handler_groups__pk", "handler_groups__email")
        )
    people = (
        people.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .exclude(pk__in=StaffEmailOptOut.objects.filter(kind=kind).values("user_id"))
        .distinct()
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    recipients = [Recipient(f"group-{pk}", Channel.EMAIL, email, "sv") for pk, email in groups]
    seen = {recipient.address.lower() for recipient in recipients}
    for person in people.only("pk", "email", "language"):
        if person.email.lower() not in seen:
            seen.add(person.email.lower())
            recipients.append(
                Recipient(f"user-{person.pk}", Channel.EMAIL, person.email, person.language, person)
            )
    return recipients


def delivery_key(source: str, kind: str, channel: str, ref: str) -> str:
    """The idempotency key of one notice to one recipient on one channel."""
    return f"{source}:{kind}:{channel}:{ref}"


def record(
    *,
    kind: str,
    source: str,
    case: Any,
    path: str,
    recipients: Sequence[Recipient],
    not_before: datetime | None = None,
) -> list[Delivery]:
    """Write the deliveries of one notice (inside the caller's transaction)."""
    if not recipients:
        return []
    now = timezone.now()
    due = not_before or now
    rows = {
        delivery_key(source, kind, recipient.channel, recipient.ref): Delivery(
            key=delivery_key(source, kind, recipient.channel, recipient.ref),
            kind=kind,
            channel=recipient.channel,
            user=recipient.user,
            address=recipient.address,
            language=recipient.language,
            case=case,
            path=path,
            next_attempt_at=due,
            # On Mina sidor the notice is there as soon as the change is.
            **(
                {"state": Delivery.State.SENT, "sent_at": now}
                if recipient.channel == Channel.PORTAL and not_before is None
                else {}
            ),
        )
        for recipient in recipients
    }
    existing = set(Delivery.objects.filter(key__in=rows).values_list("key", flat=True))
    created = Delivery.objects.bulk_create(
        [row for key, row in rows.items() if key not in existing]
    )
    to_send = [row.pk for row in created if row.state == Delivery.State.PENDING]
    if to_send:
        transaction.on_commit(lambda: enqueue(to_send, run_after=not_before))
    return created


def record_webhooks(
    *, source: str, case: Any, targets: Iterable[int], payload: dict[str, Any]
) -> list[Delivery]:
    """Write a webhook delivery of ``payload`` to each subscription in ``targets``
    (inside the caller's transaction); the sender registered for the channel sends it."""
    rows = {
        delivery_key(source, Kind.CASE_EVENT, Channel.WEBHOOK, f"subscription-{target}"): target
        for target in targets
    }
    if not rows:
        return []
    existing = set(Delivery.objects.filter(key__in=rows).values_list("key", flat=True))
    now = timezone.now()
    created = Delivery.objects.bulk_create(
        [
            Delivery(
                key=key,
                kind=Kind.CASE_EVENT,
                channel=Channel.WEBHOOK,
                target_id=target,
                case=case,
                path="",
                next_attempt_at=now,
                payload=payload,
            )
            for key, target in rows.items()
            if key not in existing
        ]
    )
    to_send = [row.pk for row in created]
    if to_send:
        transaction.on_commit(lambda: enqueue(to_send))
    return created


def notify_citizen(
    kind: str, *, source: str, case: Any, path: str, not_before: datetime | None = None
) -> list[Delivery]:
    """A notice to the case's owner (none for a case sent in without logging in)."""
    assert kind in CITIZEN_KINDS
    if case.owner_id is None:
        return []
    return record(
        kind=kind,
        source=source,
        case=case,
        path=path,
        recipients=citizen_recipients(case.owner),
        not_before=not_before,
    )


def cancel(case: Any, kinds: Iterable[str]) -> int:
    """Withdraw the notices of ``kinds`` not yet sent (a reminder once the case moved on)."""
    return Delivery.objects.filter(
        case=case, kind__in=list(kinds), state=Delivery.State.PENDING
    ).update(state=Delivery.State.CANCELLED, leased_until=None)


def enqueue(pks: Iterable[int], *, run_after: datetime | None = None) -> None:
    """Ask the worker to deliver; a lost request is made up for by ``tick``."""
    from sjalvservice.notifications.tasks import deliver

    task = deliver.using(run_after=run_after) if run_after else deliver
    for pk in pks:
        task.enqueue(pk)


def mark_notices_read(user: User, case: Any) -> int:
    """The person opened the case: its notices on Mina sidor are seen."""
    return Delivery.objects.unread_notices(user).filter(case=case).update(read_at=timezone.now())


__all__ = [
    "Kind",
    "Recipient",
    "cancel",
    "citizen_recipients",
    "delivery_key",
    "enqueue",
    "mark_notices_read",
    "notify_citizen",
    "record",
    "record_webhooks",
    "staff_recipients",
]

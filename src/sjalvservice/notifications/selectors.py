"""Reads of the outbox for the pages that show notices."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from sjalvservice.notifications.kinds import CITIZEN_KINDS
from sjalvservice.notifications.models import Delivery


def notices_to_citizen(case: Any) -> QuerySet[Delivery]:
    """What the case's citizen was told and how it went, newest first, for the handler."""
    return (
        Delivery.objects.filter(case=case, kind__in=CITIZEN_KINDS)
        # Not the reminder that will go out only if nothing happens before then.
        .exclude(state=Delivery.State.PENDING, next_attempt_at__gt=timezone.now())
        .only("kind", "channel", "state", "created_at", "read_at")
        .order_by("-created_at", "-pk")
    )


def unread_notices_per_case(user: Any) -> dict[int, int]:
    """Mina sidor: how many notices of each case the person has not seen."""
    return dict(
        Delivery.objects.unread_notices(user)
        .values("case_id")
        .annotate(count=Count("pk"))
        .values_list("case_id", "count")
    )

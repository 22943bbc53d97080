"""Drafts ("påbörjade ärenden") that nobody goes on with are deleted, so they do not pile up.

A draft started without logging in is deleted ``ANONYMOUS_DRAFT_HOURS`` after it was last
saved. A person's draft is deleted ``DRAFT_RETENTION_DAYS`` after it was last saved, but
never before they were told: ``DRAFT_EXPIRY_NOTICE_DAYS`` before, they get the notice
"Ditt påbörjade ärende tas snart bort" (``expiry_noticed_at``), and a notice that went out
late (the tick was down) still gives them those days. Saving the draft again
(``services.save_draft``) clears the notice and starts the time again.

``sjalvservice tick`` runs ``expire_drafts`` once a minute, at most ``RETENTION_TICK_BATCH``
drafts a run: the notices due first, then the drafts to delete, the longest waiting first.
Each draft is decided again under its row lock, so one saved meanwhile is left alone and
two runs at once do each thing once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Case
from sjalvservice.notifications import outbox
from sjalvservice.notifications.kinds import Kind

logger = logging.getLogger(__name__)


def deletion_due(noticed_at: datetime | None) -> datetime | None:
    """When a draft whose owner was told it is about to expire will be deleted (None for
    one they were not told of): ``DRAFT_EXPIRY_NOTICE_DAYS`` after the notice. A draft is
    told of once its last save is ``DRAFT_RETENTION_DAYS`` less those days old, or later
    (the tick was down), so by then its own time is up too."""
    if noticed_at is None:
        return None
    return noticed_at + timedelta(days=settings.DRAFT_EXPIRY_NOTICE_DAYS)


def kept_until(case: Case) -> datetime | None:
    """The earliest a person's draft can be deleted if it is not saved again: its last save
    and ``DRAFT_RETENTION_DAYS`` (later if it is told of late, see ``deletion_due``). None
    for a draft without login: it lasts only while the browser's session does."""
    if case.owner_id is None or case.last_saved_at is None:
        return None
    due = case.last_saved_at + timedelta(days=settings.DRAFT_RETENTION_DAYS)
    told = deletion_due(case.expiry_noticed_at)
    return max(due, told) if told else due


def resume_path(case: Case) -> str:
    """Where "Fortsätt" takes a draft: the step it was last saved on, else the preview."""
    if case.current_step:
        return reverse("cases:step", args=[case.reference, case.current_step])
    return reverse("cases:preview", args=[case.reference])


def expire_drafts(now: datetime) -> dict[str, int]:
    """Delete the drafts whose time has run out and tell the owners of those about to
    expire; how many of each. Each rule reads an index that holds only the drafts it may
    find (``case_draft_anonymous``, ``case_draft_unnoticed``, ``case_draft_noticed``), so
    a run costs what it finds, not how many drafts wait."""
    rules = _Rules(now)
    drafts = Case.objects.drafts()
    # Notices first: a person must be told in time, and the deleting can wait a minute.
    found = [
        drafts.filter(rules.to_notice).order_by("last_saved_at", "pk"),
        drafts.filter(rules.expired).order_by("expiry_noticed_at", "pk"),
        drafts.filter(rules.anonymous_expired).order_by("last_saved_at", "pk"),
    ]
    budget = settings.RETENTION_TICK_BATCH
    done = {"deleted": 0, "noticed": 0}
    for queryset in found:
        due = list(queryset.values_list("pk", flat=True)[:budget])
        budget -= len(due)
        for pk in due:
            try:
                outcome = _expire(pk, rules)
            except Exception:
                # One draft that cannot be dealt with must not hold up all those after it.
                logger.exception("Draft %s could not be expired; it is tried again next time.", pk)
                continue
            if outcome is not None:
                done[outcome] += 1
        if budget <= 0:
            break
    if any(done.values()):
        logger.info("Drafts: %(deleted)s deleted, %(noticed)s owners told of expiry.", done)
    return done


class _Rules:
    """Which drafts are due at ``now``, as conditions on the case (its status aside)."""

    def __init__(self, now: datetime) -> None:
        retention = timedelta(days=settings.DRAFT_RETENTION_DAYS)
        notice = timedelta(days=settings.DRAFT_EXPIRY_NOTICE_DAYS)
        self.now = now
        self.anonymous_expired = Q(
            owner__isnull=True,
            last_saved_at__lt=now - timedelta(hours=settings.ANONYMOUS_DRAFT_HOURS),
        )
        self.to_notice = Q(
            owner__isnull=False,
            expiry_noticed_at__isnull=True,
            last_saved_at__lt=now - max(retention - notice, timedelta(0)),
        )
        self.expired = Q(
            owner__isnull=False,
            last_saved_at__lt=now - retention,
            expiry_noticed_at__lte=now - notice,
        )


@transaction.atomic
def _expire(pk: int, rules: _Rules) -> str | None:
    """Delete the draft, or tell its owner, if it is still due under its row lock."""
    # No joins in the locking query (see services._lock).
    found = Case.objects.drafts().select_for_update().filter(pk=pk)
    case = found.filter(rules.anonymous_expired | rules.expired).first()
    if case is not None:
        services.delete_draft(case)
        return "deleted"
    case = found.filter(rules.to_notice).first()
    if case is not None:
        _tell_owner(case, rules.now)
        return "noticed"
    return None


def _tell_owner(case: Case, now: datetime) -> None:
    """The notice that the draft is about to expire, once per save: to Mina sidor and as
    the person chose, linking to where "Fortsätt" on Mina sidor goes."""
    outbox.notify_citizen(
        Kind.DRAFT_EXPIRING,
        source=f"draft-{case.pk}-{case.last_saved_at:%Y%m%d%H%M%S}",
        case=case,
        path=resume_path(case),
    )
    case.expiry_noticed_at = now
    case.save(update_fields=["expiry_noticed_at"])

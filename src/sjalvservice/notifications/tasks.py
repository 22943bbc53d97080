"""The worker's part of the outbox."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver(delivery_id: int) -> None:
    """Send one notice (nothing if another worker has it or it is already sent)."""
    from sjalvservice.notifications.delivery import deliver as send

    send(delivery_id)

"""A fixed-window rate limit, counted in the database so that every process and machine
shares one count: logins started from one address (eid), drafts started without login
(cases)."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from sjalvservice.core.models import RateLimitWindow


def allow(key: str, per_minute: int) -> bool:
    """Count one attempt for ``key``; False once it exceeds ``per_minute`` in this minute.

    The count goes up in one UPDATE (atomic in the database whichever process makes it);
    the first attempt of a minute inserts the row, and a concurrent first attempt that
    loses that race counts with the UPDATE instead.
    """
    window = int(time.time() // 60)
    # Hash the key: it may hold a client address, which is personal data.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    this_minute = RateLimitWindow.objects.filter(key=digest, window=window)
    with transaction.atomic():
        if not this_minute.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitWindow.objects.create(key=digest, window=window, count=1)
            except IntegrityError:
                this_minute.update(count=F("count") + 1)
        count = this_minute.values_list("count", flat=True).get()
    return count <= per_minute


def purge(now: Any = None, **kwargs: Any) -> int:
    """Forget the windows before the last two minutes (run by ``tick``)."""
    window = int(time.time() // 60)
    deleted, _by_model = RateLimitWindow.objects.filter(window__lt=window - 1).delete()
    return deleted

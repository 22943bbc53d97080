"""A fixed-window rate limit on the shared cache (Redis when several servers run)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def allow(key: str, per_minute: int) -> bool:
    """Count one attempt for ``key``; False once it exceeds ``per_minute`` in this minute."""
    window = int(time.time() // 60)
    # Hash the key: it may hold a client address, which is personal data.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{digest}:{window}"
    cache.add(cache_key, 0, timeout=120)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=120)
        count = 1
    return count <= per_minute

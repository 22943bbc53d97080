"""A fixed-window rate limit on the shared cache (Redis when several servers run)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.http import client_ip


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


def login_start_allowed(request: HttpRequest) -> bool:
    """Count a login started from this client address (every e-ID method shares the
    limit); when it is exceeded, say so to the person and return False."""
    if allow(f"login-start:{client_ip(request)}", settings.LOGIN_START_LIMIT):
        return True
    messages.error(
        request, _("Du har försökt logga in för många gånger. Vänta en minut och försök igen.")
    )
    return False

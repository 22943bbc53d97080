"""Bearer tokens of the API's clients: made, kept as a hash, checked, revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from sjalvservice.api.models import ApiClient, ApiToken

# Every token starts so, which lets secret scanners recognise one that leaked.
TOKEN_PREFIX = "sjs_"  # noqa: S105 (a prefix, not a secret)
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
# "Senast använd" is written at most this often per token, not on every call.
LAST_USE_PRECISION = timedelta(minutes=1)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(client: ApiClient, *, created_by_name: str) -> tuple[ApiToken, str]:
    """A new token of ``client``: the stored record and the token itself, to show once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        client=client,
        prefix=token[:PREFIX_LENGTH],
        digest=digest_of(token),
        created_by_name=created_by_name,
    )
    return record, token


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def authenticate(token: str) -> ApiToken | None:
    """The valid token ``token`` with its active client, or None (wrong, revoked, or the
    client switched off). A token is high-entropy, so looking up its hash is safe."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    found = (
        ApiToken.objects.select_related("client", "client__user", "client__municipality")
        .filter(digest=digest_of(token), revoked_at__isnull=True, client__is_active=True)
        .first()
    )
    if found is None:
        return None
    now = timezone.now()
    if found.last_used_at is None or found.last_used_at < now - LAST_USE_PRECISION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found

"""``Idempotency-Key``: a write sent again with the same key is made once and answered
as the first time.

The key's row is inserted first, in the write's own transaction: a second request with
the same key waits on that insert until the first one commits, then finds the key taken,
rolls its own attempt back and answers with what the first one stored. A request whose
write fails (4xx) stores nothing, so the same key may be tried again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError

from sjalvservice.api.access import client_of
from sjalvservice.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
# How long a key is remembered: a client retries within minutes, not days.
KEPT_FOR = dt.timedelta(hours=24)


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    multipart = request.content_type == "multipart/form-data"
    digest.update(_form_fingerprint(request) if multipart else request.body)
    return digest.hexdigest()


def _form_fingerprint(request: HttpRequest) -> bytes:
    # The body of a form with files has been read into files by now: its fields, names
    # and sizes stand for it.
    parts = [f"{key}={value}" for key, value in sorted(request.POST.items())]
    parts += [f"{upload.name}:{upload.size}" for upload in request.FILES.getlist("files")]
    return "\n".join(parts).encode()


def _replay(stored: IdempotentRequest, fingerprint: str) -> HttpResponse:
    if stored.fingerprint != fingerprint:
        raise HttpError(422, "The Idempotency-Key was used for another request.")
    response = JsonResponse(stored.body, status=stored.status_code, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view: Callable[..., tuple[int, Any]]) -> Callable[..., HttpResponse]:
    """Make a write endpoint answer a repeated ``Idempotency-Key`` from what it stored.

    ``view`` returns ``(status, body)``, the body as JSON data already checked against
    its schema (``model_dump(mode="json")``); the answer is that, the first time and
    every time after, byte for byte.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None:
            status, body = view(request, *args, **kwargs)
            return JsonResponse(body, status=status, safe=False)
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise HttpError(400, f"An {HEADER} is 1 to {MAX_KEY_LENGTH} printable characters.")
        client = client_of(request)
        fingerprint = _fingerprint(request)
        stored = IdempotentRequest.objects.filter(client=client, key=key).first()
        if stored is not None:
            return _replay(stored, fingerprint)
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    client=client, key=key, fingerprint=fingerprint
                )
                status, body = view(request, *args, **kwargs)
                record.status_code, record.body = status, body
                record.save(update_fields=["status_code", "body"])
        except IntegrityError:
            stored = IdempotentRequest.objects.filter(client=client, key=key).first()
            if stored is None:
                raise
            return _replay(stored, fingerprint)
        return JsonResponse(body, status=status, safe=False)

    return wrapped


def forget(sender: Any, now: dt.datetime, **kwargs: Any) -> int:
    """``tick``'s chore: forget the keys older than ``KEPT_FOR``."""
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted

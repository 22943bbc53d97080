"""The SMS gateway's delivery reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sjalvservice.notifications import sms
from sjalvservice.notifications.delivery import record_report


@csrf_exempt  # the gateway posts here; the signature in the path authenticates it
@require_POST
def sms_report(request: HttpRequest, delivery_id: int, signature: str) -> HttpResponse:
    """46elks' ``whendelivered``: 204 once applied (or for a report it sends again), so
    the gateway stops retrying; 404 for anything not ours, 400 for a malformed report."""
    try:
        report = sms.parse_delivery_report(request.POST)
    except ValueError:
        return HttpResponse(status=400)
    if not record_report(delivery_id, signature, report):
        return HttpResponse(status=404)
    return HttpResponse(status=204)

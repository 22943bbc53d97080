"""Logging in and out, and the session policy's pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.eid.middleware import remaining_seconds
from sjalvservice.eid.providers import enabled_providers


@require_safe
def login(request: HttpRequest) -> HttpResponse:
    """The start of "Logga in": the e-legitimation methods this installation offers."""
    return render(
        request,
        "eid/login.html",
        {"providers": enabled_providers(), "next": safe_next(request, request.GET.get("next", ""))},
    )


@require_safe
def logged_out(request: HttpRequest) -> HttpResponse:
    """Tells the person why they are no longer logged in."""
    reason = request.GET.get("orsak")
    return render(
        request,
        "eid/logged_out.html",
        {
            "reason": reason if reason in {"inaktivitet", "tid"} else "",
            # Staff log in again at the back office's login, citizens with e-legitimation.
            "staff": request.GET.get("vem") == "personal",
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        },
    )


@never_cache
@require_safe
def session_status(request: HttpRequest) -> JsonResponse:
    """How long the session has left; asked by the timeout dialog as background work."""
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "remaining": 0})
    return JsonResponse({"authenticated": True, "remaining": remaining_seconds(request)})


@never_cache
@require_POST
@login_required
def session_extend(request: HttpRequest) -> JsonResponse:
    """'Fortsätt vara inloggad': this request itself counts as activity."""
    return JsonResponse({"authenticated": True, "remaining": remaining_seconds(request)})

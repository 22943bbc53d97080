"""Logging in and out, and the session policy's pages."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout as end_session
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.eid.middleware import remaining_seconds
from sjalvservice.eid.providers import enabled_providers
from sjalvservice.eid.saml.logout import federation_session, logout_request_url


@require_safe
def login(request: HttpRequest) -> HttpResponse:
    """The start of "Logga in": the e-legitimation methods this installation offers.

    A method that is the only one and needs no choice of ours (the federation: the IdP
    shows the choice) is started at once."""
    providers = enabled_providers()
    next_url = safe_next(request, request.GET.get("next", ""))
    if len(providers) == 1 and providers[0].direct:
        return redirect(providers[0].start_url() + (f"?next={quote(next_url)}" if next_url else ""))
    return render(request, "eid/login.html", {"providers": providers, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """'Logga ut': ends the portal's session, and the IdP's too where it offers that, and
    says so on the logged-out page (settings.LOGOUT_REDIRECT_URL)."""
    federation = federation_session(request)
    staff = request.user.is_staff
    end_session(request)
    if federation is not None:
        location = logout_request_url(request, *federation)
        if location:
            return redirect(location)
    if staff:  # from the timeout dialog, which every page has
        return redirect(reverse("eid:logged_out") + "?vem=personal")
    return redirect(settings.LOGOUT_REDIRECT_URL)


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

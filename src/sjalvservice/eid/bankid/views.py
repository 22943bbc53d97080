from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.eid import ratelimit
from sjalvservice.eid.bankid import client, flow
from sjalvservice.eid.bankid import messages as rfa
from sjalvservice.eid.bankid.device import on_phone_or_tablet


class StartForm(forms.Form):
    method = forms.ChoiceField(choices=[("qr", "qr"), ("same_device", "same_device")])
    next = forms.CharField(required=False)


@require_safe
def choose(request: HttpRequest) -> HttpResponse:
    """'Logga in med e-legitimation': Mobilt BankID or BankID on this device, the one
    BankID's guidelines put first on this kind of device as the main choice."""
    return render(
        request,
        "eid/bankid/choose.html",
        {
            "next": safe_next(request, request.GET.get("next", "")),
            "configured": flow.is_configured(),
            "same_device_first": on_phone_or_tablet(request),
        },
    )


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid() or not flow.is_configured():
        return redirect("eid:bankid")
    next_url = safe_next(request, form.cleaned_data["next"])
    if not ratelimit.login_start_allowed(request):
        return redirect("eid:bankid")
    try:
        flow.start(request, form.cleaned_data["method"], next_url)
    except client.BankIdError as error:
        messages.error(request, rfa.error(error))
        return redirect("eid:bankid")
    return redirect("eid:bankid_wait")


@never_cache
@require_safe
def wait(request: HttpRequest) -> HttpResponse:
    """The page the person watches while the BankID app does its part.

    With JavaScript it polls the status and the QR code; without, its buttons ask for
    this page again, which collects the order once more and draws a new QR code."""
    order = flow.current(request)
    if order is None:
        return redirect("eid:bankid")
    outcome = flow.poll(request)
    if outcome.state == "complete":
        return redirect(outcome.redirect_to)
    return render(
        request,
        "eid/bankid/wait.html",
        {
            "method": order["method"],
            "next": order["next"],
            "outcome": outcome,
            **_qr_context(request),
            "autostart_url": flow.autostart_url(request),
        },
    )


def keeps_session_cookie(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the waiting page's background polls: never let them delete the session cookie.

    The poll that completes a login gives the browser a new session cookie. A poll sent
    just before, with the old cookie, finds that session gone; Django's session middleware
    would answer by deleting the cookie, and if that answer arrives last the person is
    logged out again. Such a poll has nothing to say about the cookie, so it leaves it be.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.session.is_empty():
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        return response

    return wrapped


@never_cache
@require_safe
@keeps_session_cookie
def status(request: HttpRequest) -> HttpResponse:
    """Polled by the waiting page every two seconds (htmx): the current message."""
    outcome = flow.poll(request)
    if outcome.state == "complete":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = outcome.redirect_to
        return response
    return render(request, "eid/bankid/status.html", {"outcome": outcome})


@never_cache
@require_safe
@keeps_session_cookie
def qr(request: HttpRequest) -> HttpResponse:
    """The animated QR code, regenerated every second from the secret kept in the session."""
    return render(
        request,
        "eid/bankid/qr.html",
        _qr_context(request),
    )


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    flow.cancel_current(request)
    messages.info(request, rfa.RFA["RFA6"])
    return redirect("eid:bankid")


def _qr_context(request: HttpRequest) -> dict[str, str | None]:
    content = flow.current_qr(request)
    if content is None:
        return {"qr_image": None}
    test_app = settings.BANKID_TEST_APP_URL
    return {
        "qr_image": segno.make(content, error="l").svg_data_uri(scale=5, border=4),
        # Only the simulator's test app: a real app scans the image.
        "qr_text": content if test_app else None,
        "test_app_url": test_app,
    }

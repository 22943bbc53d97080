"""Staff login: password, then the second factor (TOTP); django-axes counts every failure.

The password step logs nobody in. It leaves a short-lived marker in the session (who, since
when, where to go afterwards) that only a correct code from the person's authenticator app
turns into a login. Whoever has no confirmed device yet enrols one first.
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import dataclass
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.access import is_back_office_user
from sjalvservice.backoffice.forms import CodeForm, LoginForm
from sjalvservice.core.http import safe_next

logger = logging.getLogger(__name__)

PENDING_LOGIN = "backoffice_pending_login"
# How long the second step may take after a correct password.
PENDING_LOGIN_SECONDS = 5 * 60


@dataclass(frozen=True)
class PendingLogin:
    """Someone who gave a correct password and still has to give a code."""

    user: User
    backend: str
    next: str


def _start_pending_login(request: HttpRequest, user: Any, next_url: str) -> None:
    request.session[PENDING_LOGIN] = {
        "user": user.pk,
        "at": time.time(),
        "backend": user.backend,  # set by authenticate()
        "next": next_url,
    }


def _pending_login(request: HttpRequest) -> PendingLogin | None:
    data = request.session.get(PENDING_LOGIN)
    if not data:
        return None
    if time.time() - data["at"] > PENDING_LOGIN_SECONDS:
        del request.session[PENDING_LOGIN]
        return None
    user = User.objects.filter(pk=data["user"], is_active=True, is_staff=True).first()
    if user is None:
        del request.session[PENDING_LOGIN]
        return None
    return PendingLogin(user=user, backend=data["backend"], next=data["next"])


def _start_again(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Inloggningen avbröts eller tog för lång tid. Logga in igen."))
    return redirect("backoffice:login")


def _home(user: User) -> str:
    """Where staff land after login: the inbox, or the admin for platform administrators."""
    return reverse("backoffice:inbox" if user.municipality_id else "admin:index")


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


def _lockout(request: HttpRequest, user: User) -> HttpResponse | None:
    """The lockout page if too many attempts failed for this username from this address."""
    if not AxesProxyHandler.is_locked(request, _credentials(user)):
        return None
    request.session.pop(PENDING_LOGIN, None)
    response: HttpResponse = get_lockout_response(request, None, _credentials(user))
    return response


def _count_failure(request: HttpRequest, user: User) -> None:
    """A wrong code counts as a failed login, like a wrong password."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        # AxesMiddleware answers with the lockout page; the attempt ends here.
        request.session.pop(PENDING_LOGIN, None)


def _log_in(request: HttpRequest, pending: PendingLogin, device: TOTPDevice) -> HttpResponse:
    del request.session[PENDING_LOGIN]
    # Django's login() gives the session a new key: nothing from before carries a login.
    auth_login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    logger.info("staff %s logged in", pending.user.pk)
    return redirect(pending.next or _home(pending.user))


def _check_code(request: HttpRequest, user: User, *, confirmed: bool) -> CodeForm:
    """The posted code checked against the user's devices, one check at a time."""
    with transaction.atomic():
        # Locked, so that two requests cannot both pass the devices' throttling.
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=confirmed)
        form = CodeForm(request.POST, devices=devices.order_by("pk"))
        form.is_valid()
    if form.has_error("code", "wrong_code"):
        _count_failure(request, user)
    return form


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Step one: username and password."""
    if request.method == "POST":
        form = LoginForm(request, request.POST)
        if form.is_valid():
            user = form.user
            assert user is not None
            _start_pending_login(request, user, safe_next(request, form.cleaned_data["next"]))
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            return redirect("backoffice:verify" if has_device else "backoffice:enrol")
    elif is_back_office_user(request.user) and "next" not in request.GET:
        return redirect("backoffice:inbox")
    else:
        form = LoginForm(request, initial={"next": safe_next(request, request.GET.get("next", ""))})
    return render(request, "backoffice/auth/login.html", {"form": form})


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the authenticator app."""
    pending = _pending_login(request)
    if pending is None:
        return _start_again(request)
    user = pending.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("backoffice:enrol")
    if locked := _lockout(request, user):
        return locked
    if request.method == "POST":
        form = _check_code(request, user, confirmed=True)
        if form.device is not None:
            return _log_in(request, pending, form.device)
    else:
        form = CodeForm(devices=[])
    return render(request, "backoffice/auth/verify.html", {"form": form})


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Step two at the first login: add the authenticator app, then confirm with a code."""
    pending = _pending_login(request)
    if pending is None:
        return _start_again(request)
    user = pending.user
    # Whoever has a device proves it with a code: a password alone never adds another.
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("backoffice:verify")
    if locked := _lockout(request, user):
        return locked
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Autentiseringsapp"), confirmed=False)
    if request.method == "POST":
        form = _check_code(request, user, confirmed=False)
        if form.device is not None:
            form.device.confirmed = True
            form.device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            messages.success(request, _("Tvåstegsverifieringen är aktiverad."))
            return _log_in(request, pending, form.device)
    else:
        form = CodeForm(devices=[])
    context = {
        "form": form,
        "qr_code": _qr_svg(device.config_url, _("QR-kod att skanna med autentiseringsappen")),
        "secret": _grouped(base64.b32encode(device.bin_key).decode().rstrip("=")),
    }
    return render(request, "backoffice/auth/enrol.html", context)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, _("Du är utloggad."))
    return redirect("backoffice:login")


def _qr_svg(content: str, label: str) -> SafeString:
    """The QR code as inline SVG, an image with a text alternative for screen readers."""
    svg = segno.make(content, error="m").svg_inline(scale=4, omitsize=True, svgclass="sjs-qr")
    # segno writes only numbers and paths; the label is escaped here.
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    )


def _grouped(secret: str, size: int = 4) -> str:
    """The secret in groups of four letters, as authenticator apps show them."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))

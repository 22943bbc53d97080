"""The portal's own middleware: the language, and the security headers of every page."""

import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class LanguageMiddleware:
    """Activate the language the person chose, or the portal's default (Swedish).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a Swedish public service speaks Swedish until the person switches.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class SecurityHeadersMiddleware:
    """The headers that keep a page to itself: Content-Security-Policy, Permissions-Policy
    and, for everything a person sees of their own, ``Cache-Control: no-store, private``.

    The policy allows scripts, styles, fonts and fetches from the portal only, images also
    as ``data:`` (BankID's QR code), no plugins, no framing and forms posted only to the
    portal. An inline ``<style>`` or ``<script>`` needs the request's nonce
    (``request.csp_nonce``). A response with ``csp_inline_styles`` set allows inline styles
    (never scripts): the preview of an e-mail, whose HTML must carry its styles inline, in
    a sandboxed frame that inherits the page's policy. A response with
    ``csp_framed_by_self`` set may be framed by the portal's own pages (the form builder's
    phone-width preview; X-Frame-Options says SAMEORIGIN for it too). ``CSP_REPORT_ONLY``
    sends the policy as report-only, to try a change on a live site first;
    ``CSP_REPORT_URI`` says where browsers report breaches.

    A page is private when the person is logged in or has a session (an anonymous draft):
    no-store keeps it out of the browser's and any proxy's cache, so the back button after
    logging out on a shared computer shows nothing. Static files never reach this (they
    are served before it, by WhiteNoise).
    """

    PERMISSIONS = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        header = "Content-Security-Policy"
        if settings.CSP_REPORT_ONLY:
            header += "-Report-Only"
        inline_styles = bool(getattr(response, "csp_inline_styles", False))
        framed = bool(getattr(response, "csp_framed_by_self", False))
        response.headers.setdefault(
            header, self.policy(nonce, inline_styles=inline_styles, framed_by_self=framed)
        )
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        if _is_private(request):
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def policy(nonce: str, *, inline_styles: bool = False, framed_by_self: bool = False) -> str:
        # With a nonce in the list a browser ignores 'unsafe-inline', so it is one or the other.
        styles = "'unsafe-inline'" if inline_styles else f"'nonce-{nonce}'"
        directives = [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' {styles}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'self'" if framed_by_self else "frame-ancestors 'none'",
        ]
        if settings.CSP_REPORT_URI:
            directives.append(f"report-uri {settings.CSP_REPORT_URI}")
        return "; ".join(directives)


def _is_private(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.session_key)


class CitizenSideMiddleware:
    """Staff accounts stay out of the citizen side: Mina sidor, e-service forms, queues and
    bookings are for people logged in with e-legitimation.

    A member of staff who opens one gets a page saying so (403), with the way to the back
    office and to logging out, instead of a draft or a Mina sidor of a staff account.
    """

    CITIZEN_APPS = frozenset({"cases", "accounts", "reservations"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or not user.is_staff or match is None:
            return None
        if match.namespaces[:1] and match.namespaces[0] in self.CITIZEN_APPS:
            return render(request, "core/staff_on_citizen_side.html", status=403)
        return None

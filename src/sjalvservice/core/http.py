"""Small helpers about the HTTP request itself."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request: HttpRequest) -> str:
    """The address of the person's device, as far as our own proxies can vouch for it.

    Each of the ``TRUSTED_PROXY_COUNT`` reverse proxies in front of the portal appends the
    address it received the request from to X-Forwarded-For, so the client is the entry
    that many places from the end. Entries further left were written by the client and
    prove nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            candidate = forwarded[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def is_mobile(request: HttpRequest) -> bool:
    """Whether the browser says it runs on a phone or tablet (wording of BankID messages)."""
    agent = request.headers.get("User-Agent", "")
    return any(word in agent for word in ("Mobi", "Android", "iPhone", "iPad"))


def safe_next(request: HttpRequest, target: str) -> str:
    """``target`` if it stays on this site, else an empty string (no open redirects).

    Only a path from the root or a whole URL counts: ``redirect()`` takes anything else
    (``next=0``) for the name of a view, and a control character has no place in a
    Location header.
    """
    if not target or not target.isprintable():
        return ""
    try:
        parts = urlsplit(target)
    except ValueError:  # such as an unclosed [ of an IPv6 address
        return ""
    if not (target.startswith("/") or (parts.scheme and parts.netloc)):
        return ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""

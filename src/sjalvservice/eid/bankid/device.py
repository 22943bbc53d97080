"""Which way of using BankID the person meets first."""

from __future__ import annotations

from django.http import HttpRequest

from sjalvservice.core.http import is_mobile


def on_phone_or_tablet(request: HttpRequest) -> bool:
    """Whether the browser runs on a phone or tablet.

    BankID's guidelines for relying parties: there, start the BankID app on the same
    device first; on a computer, show the QR code for Mobilt BankID first. A Chromium
    browser's ``Sec-CH-UA-Mobile: ?1`` says "phone" even where its User-Agent is trimmed;
    ``?0`` proves nothing, since Chrome on an Android tablet sends it too, so then the
    User-Agent decides.
    """
    if request.headers.get("Sec-CH-UA-Mobile", "").strip() == "?1":
        return True
    return is_mobile(request)

"""Deployment checks (``sjalvservice check --deploy``): settings that only work on a laptop.

Registered with ``deploy=True``, so they run only when asked for at deployment and never
trouble development, where the files are made on first use and the site is on loopback.
"""

from __future__ import annotations

import ipaddress
import os
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

# Every setting that names a certificate, key or other file the portal reads at run time.
FILE_SETTINGS = [
    "BANKID_CLIENT_CERT",
    "BANKID_CLIENT_KEY",
    "BANKID_CA_CERT",
    "SAML_IDP_METADATA_CERT",
    "SAML_SP_KEY",
    "SAML_SP_CERT",
    "SAML_SP_ENCRYPTION_KEY",
    "SAML_SP_ENCRYPTION_CERT",
]
# The addresses mail goes out from or asks replies to.
SENDER_SETTINGS = [
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "NOTIFICATION_FROM_EMAIL",
    "NOTIFICATION_REPLY_TO",
]


@register(Tags.security, deploy=True)
def check_files(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """An error for each configured file that is missing or that the portal cannot read."""
    by_path: dict[str, list[str]] = {}
    for name in FILE_SETTINGS:
        value = getattr(settings, name, None)
        if value:
            by_path.setdefault(str(value), []).append(name)
    metadata = getattr(settings, "SAML_IDP_METADATA", None)
    if metadata and not str(metadata).startswith(("https://", "http://")):
        by_path.setdefault(str(metadata), []).append("SAML_IDP_METADATA")

    messages: list[CheckMessage] = []
    for path, names in by_path.items():
        # The encryption pair falls back to the signing pair: one file, one message.
        named = _enumerate(names)
        hint = f"Point {named} at the file, readable by the user the portal runs as."
        if not Path(path).exists():
            messages.append(Error(f"{named}: {path} does not exist.", hint=hint, id="core.E001"))
        elif not Path(path).is_file() or not os.access(path, os.R_OK):
            messages.append(
                Error(
                    f"{named}: {path} is not a file the portal can read.",
                    hint=hint,
                    id="core.E002",
                )
            )
    return messages


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """SITE_URL goes into every link in e-mail and SMS notices and into the SAML metadata."""
    site_url = str(settings.SITE_URL)
    parts = urlsplit(site_url)
    hint = "Set SITE_URL to the portal's public https address, e.g. https://e-tjanster.example.se."
    messages: list[CheckMessage] = []
    if parts.scheme != "https":
        messages.append(
            Warning(f"SITE_URL {site_url!r} is not an https address.", hint=hint, id="core.W001")
        )
    host = parts.hostname or ""
    if not host or is_local_host(host):
        messages.append(
            Warning(
                f"SITE_URL {site_url!r} does not name a public host.",
                hint=hint,
                id="core.W002",
            )
        )
    return messages


@register(Tags.security, deploy=True)
def check_senders(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Mail from a local address is refused or filed as spam by the receiving servers."""
    by_address: dict[str, list[str]] = {}
    for name in SENDER_SETTINGS:
        value = getattr(settings, name, "")
        if value:
            by_address.setdefault(str(value), []).append(name)

    messages: list[CheckMessage] = []
    for value, names in by_address.items():
        _display, address = parseaddr(value)
        _local, at, domain = address.rpartition("@")
        if not at or is_local_host(domain):
            named = _enumerate(names)
            messages.append(
                Warning(
                    f"{named}: {value!r} is not an address at a public domain.",
                    hint=f"Set {named} to an address at the municipality's mail domain, "
                    "e.g. Självservice <noreply@e-tjanster.example.se>.",
                    id="core.W003",
                )
            )
    return messages


def is_local_host(host: str) -> bool:
    """Whether ``host`` (a name, an IP address or an [address literal]) is this machine."""
    host = host.strip().strip("[]").rstrip(".").lower().removeprefix("ipv6:")
    if host in {"localhost", "localhost.localdomain"} or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _enumerate(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} and {names[-1]}"

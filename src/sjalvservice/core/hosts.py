"""Host names of the municipalities' own sites (no models here: ``core.models`` uses it)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
HOST_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*")


def normalise_host(host: str) -> str:
    """The host name of a request's host (``Lycksele.Localhost:8000`` -> ``lycksele.localhost``)."""
    name = host.strip().lower()
    if name.startswith("["):  # an IPv6 literal is nobody's site
        return name
    return name.rsplit(":", 1)[0].rstrip(".")


def validate_host_name(value: str) -> None:
    if len(value) > 253 or not HOST_NAME.fullmatch(value):
        raise ValidationError(
            _("Skriv bara värdnamnet med små bokstäver, till exempel sjalvservice.lycksele.se."),
            code="invalid",
        )

"""Colours a municipality chooses for its own site, and the contrast WCAG 2.1 asks of them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
WHITE = "#ffffff"
# White text on the header (WCAG 2.1 1.4.3, normal text).
TEXT_CONTRAST = 4.5


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour written as ``#rrggbb``."""
    channels = []
    for start in (1, 3, 5):
        value = int(colour[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_brand_colour(value: str) -> None:
    """A colour for the header, which carries white text: ``#rrggbb`` at 4.5:1 or more."""
    if not HEX_COLOUR.fullmatch(value):
        raise ValidationError(
            _("Skriv färgen som # och sex hexadecimala tecken, till exempel #1d5a6e."),
            code="invalid",
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < TEXT_CONTRAST:
        raise ValidationError(
            _(
                "Vit text på färgen har kontrasten %(ratio)s:1, men det behövs minst 4,5:1. "
                "Välj en mörkare färg."
            ),
            code="contrast",
            params={"ratio": f"{ratio:.1f}".replace(".", ",")},
        )

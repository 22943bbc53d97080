"""How many SMS a text costs: GSM 03.38 (7-bit) when every character has a GSM code, UCS-2
otherwise, as the networks count it.

An SMS carries 140 bytes: 160 GSM-7 characters or 70 UCS-2 ones. A longer text is split
into parts that each give up six bytes to the concatenation header, leaving 153 and 67.
Characters of the GSM extension table (``€``, ``[``, ``{`` ...) take an escape plus a code,
so they count twice, and phones never split such a pair, nor a UTF-16 surrogate pair (an
emoji), between two parts: the counting below does not either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

# The GSM 03.38 basic table in code order, without 0x1B (the escape to the extension table).
GSM7_BASIC: Final = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
# The extension table: each of these is sent as ESC plus a code, two septets.
GSM7_EXTENSION: Final = "\f^{}\\[]~|€"

_BASIC: Final = frozenset(GSM7_BASIC)
_EXTENSION: Final = frozenset(GSM7_EXTENSION)

EncodingName = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class Encoding:
    """An alphabet and how many of its units fit a single SMS and a part of a longer one."""

    name: EncodingName
    single: int
    per_part: int


GSM7: Final = Encoding("GSM-7", 160, 153)
UCS2: Final = Encoding("UCS-2", 70, 67)


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` has a GSM 03.38 code (basic or extension)."""
    return all(char in _BASIC or char in _EXTENSION for char in text)


def encoding_of(text: str) -> Encoding:
    """GSM-7 when the text allows it; a single other character makes the whole SMS UCS-2."""
    return GSM7 if is_gsm7(text) else UCS2


def _units(text: str, encoding: Encoding) -> list[int]:
    """The units each character takes: septets for GSM-7, UTF-16 code units for UCS-2."""
    if encoding is GSM7:
        return [2 if char in _EXTENSION else 1 for char in text]
    # Strictly UCS-2 has no characters beyond the BMP; phones send them as UTF-16 pairs.
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def count_parts(text: str) -> int:
    """The number of SMS ``text`` is sent as (at least 1)."""
    encoding = encoding_of(text)
    units = _units(text, encoding)
    if sum(units) <= encoding.single:
        return 1
    parts, used = 1, 0
    for size in units:
        if used + size > encoding.per_part:
            parts, used = parts + 1, 0
        used += size
    return parts

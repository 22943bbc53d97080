"""Swedish telephone numbers: what the portal accepts, how it stores and sends them.

A number is kept in its national form ("0701234567") and sent to SMS gateways in E.164
("+46701234567"). People may type spaces, hyphens, parentheses, "+46" or "0046".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s\-()/.]")
# Swedish mobile series: 070, 072, 073, 076 and 079, then seven digits.
_MOBILE = re.compile(r"07[02369][0-9]{7}")
# Any Swedish number: a trunk 0, an area or service code and the subscriber number,
# eight to ten digits in all (the shortest are old numbers in Stockholm, 08-123 45).
_ANY = re.compile(r"0[1-9][0-9]{6,8}")


class InvalidPhoneNumber(ValueError):
    """``code``: "format" (not a Swedish number) or "not_mobile" (no mobile number)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PhoneNumber:
    national: str

    @property
    def e164(self) -> str:
        return "+46" + self.national[1:]

    @property
    def is_mobile(self) -> bool:
        return bool(_MOBILE.fullmatch(self.national))

    def formatted(self) -> str:
        """ "070-123 45 67" for a mobile number; other numbers as their digits (where the
        area code ends depends on the area, so no grouping is guessed)."""
        if self.is_mobile:
            rest = self.national[3:]
            return f"{self.national[:3]}-{rest[:3]} {rest[3:5]} {rest[5:]}"
        return self.national


def parse_phone_number(value: str, *, mobile: bool = False) -> PhoneNumber:
    """The Swedish number in ``value``; ``InvalidPhoneNumber`` when it is none (or, with
    ``mobile``, no mobile number)."""
    text = _SEPARATORS.sub("", value.strip())
    if text.startswith("+46"):
        text = "0" + text[3:]
    elif text.startswith("0046"):
        text = "0" + text[4:]
    if text.startswith("00"):  # "+46 (0)70..." written as +460...
        text = text[1:]
    if not _ANY.fullmatch(text):
        raise InvalidPhoneNumber("format")
    number = PhoneNumber(text)
    if mobile and not number.is_mobile:
        raise InvalidPhoneNumber("not_mobile")
    return number

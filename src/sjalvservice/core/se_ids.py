"""Swedish identity numbers: personnummer, samordningsnummer and organisationsnummer.

Pure Python on purpose (no Django import), so that the rules can be used and tested anywhere:
login providers, the API and management commands all normalise through this module.

The rules are Skatteverket's.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "IdKind",
    "InvalidIdentityNumber",
    "OrganisationGroup",
    "OrganisationNumber",
    "PersonalIdentityNumber",
    "is_valid_organisation_number",
    "is_valid_personal_identity_number",
    "luhn_checksum_ok",
    "normalize_organisation_number",
    "normalize_personal_identity_number",
    "parse_organisation_number",
    "parse_personal_identity_number",
]

# Samordningsnummer add 60 to the day of birth, so days 61-91 mark one.
COORDINATION_DAY_OFFSET = 60

# `[0-9]`, not `\d`: `\d` also matches other scripts' digits (e.g. Arabic-Indic), which
# int() would happily convert; a stored number must only ever contain ASCII digits.
_PERSONAL_RE = re.compile(
    r"(?P<century>[0-9]{2})?"
    r"(?P<yy>[0-9]{2})(?P<mm>[0-9]{2})(?P<dd>[0-9]{2})"
    r"(?P<sep>[-+]?)"
    r"(?P<serial>[0-9]{3})(?P<check>[0-9])"
)
# The 12-digit form of an organisation number is the 10 digits prefixed with "16".
_ORGANISATION_RE = re.compile(r"(?:16)?(?P<head>[0-9]{6})-?(?P<tail>[0-9]{4})")


class InvalidIdentityNumber(ValueError):
    """A string is not a valid Swedish identity number.

    ``code`` says why, in a short machine-readable form that the Django glue maps to a
    message for citizens:

    - ``format``: not one of the accepted shapes (wrong length, letters, stray characters);
    - ``date``: the date part is not a real calendar date;
    - ``future_date``: the birth date lies after today;
    - ``serial``: the birth number (the three digits after the date) is 000;
    - ``checksum``: the Luhn check digit is wrong;
    - ``coordination``: a samordningsnummer where only a personnummer is allowed;
    - ``orgnr_third_digit``: an organisation number whose third digit is 0 or 1.
    """

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(message or code)
        self.code = code


class IdKind(enum.Enum):
    """What kind of personal identity number a number is."""

    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"


class OrganisationGroup(enum.StrEnum):
    """The legal-form group given by the first digit of an organisation number (SKV 709).

    The values are the Swedish labels, so a member can be shown as it is.
    """

    DODSBO = "Dödsbo"
    STAT_KOMMUN_REGION = "Stat, region, kommun eller församling"
    UTLANDSKT_FORETAG = "Utländskt företag"
    AKTIEBOLAG = "Aktiebolag"
    ENKELT_BOLAG = "Enkelt bolag"
    EKONOMISK_FORENING = "Ekonomisk förening eller bostadsrättsförening"
    IDEELL_FORENING_STIFTELSE = "Ideell förening eller stiftelse"
    HANDELSBOLAG_KOMMANDITBOLAG = "Handelsbolag eller kommanditbolag"


_GROUP_BY_FIRST_DIGIT: dict[str, OrganisationGroup] = {
    "1": OrganisationGroup.DODSBO,
    "2": OrganisationGroup.STAT_KOMMUN_REGION,
    "3": OrganisationGroup.UTLANDSKT_FORETAG,
    "5": OrganisationGroup.AKTIEBOLAG,
    "6": OrganisationGroup.ENKELT_BOLAG,
    "7": OrganisationGroup.EKONOMISK_FORENING,
    "8": OrganisationGroup.IDEELL_FORENING_STIFTELSE,
    "9": OrganisationGroup.HANDELSBOLAG_KOMMANDITBOLAG,
}


def luhn_checksum_ok(digits: str) -> bool:
    """Return whether ``digits`` (ending in its check digit) passes the Luhn mod-10 check.

    Counting from the right, every second digit is doubled (and 9 subtracted when the result
    has two digits). For the 10 digits of a Swedish number this is the same as the weights
    2,1,2,1,... from the left. Anything but a non-empty string of ASCII digits fails.
    """
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@dataclass(frozen=True)
class PersonalIdentityNumber:
    """A valid personnummer or samordningsnummer.

    ``number`` is the normalised 12-digit form ``YYYYMMDDNNNC`` used for storage, BankID and
    SAML. For a samordningsnummer the day in ``number`` keeps its +60; ``birth_date`` does not.
    """

    number: str
    kind: IdKind
    birth_date: date

    def __str__(self) -> str:
        return self.number

    @property
    def is_coordination_number(self) -> bool:
        """Whether this is a samordningsnummer."""
        return self.kind is IdKind.SAMORDNINGSNUMMER

    @property
    def is_male(self) -> bool:
        """Legal gender: the second-to-last digit is odd for men."""
        return int(self.number[-2]) % 2 == 1

    @property
    def is_female(self) -> bool:
        """Legal gender: the second-to-last digit is even for women."""
        return not self.is_male

    @property
    def formatted(self) -> str:
        """The 12-digit form with a hyphen, ``YYYYMMDD-NNNC``, for display."""
        return f"{self.number[:8]}-{self.number[8:]}"

    @property
    def short(self) -> str:
        """The 10-digit form with separator as of today; see :meth:`short_on`."""
        return self.short_on(date.today())

    def short_on(self, today: date) -> str:
        """The 10-digit form ``YYMMDD-NNNC`` as written on ``today``.

        Folkbokföringslagen 18 § changes the hyphen to a plus from the calendar year in which
        the person turns 100, so the separator depends on the year only, not on whether the
        birthday has passed yet. (The 10-digit form cannot tell a person of 200 from one of
        100; nobody alive is affected.)
        """
        separator = "+" if today.year - self.birth_date.year >= 100 else "-"
        return f"{self.number[2:8]}{separator}{self.number[8:]}"


def parse_personal_identity_number(
    value: str, *, today: date | None = None, allow_coordination: bool = True
) -> PersonalIdentityNumber:
    """Parse and validate a personnummer or samordningsnummer.

    Accepted forms (surrounding whitespace is ignored): ``YYMMDD-NNNC``, ``YYMMDD+NNNC``,
    ``YYMMDDNNNC``, ``YYYYMMDDNNNC`` and ``YYYYMMDD-NNNC`` (a ``+`` in the 12-digit form is
    accepted and ignored, since the full year already says everything).

    For the 10-digit forms the century is the most recent one that puts the year at or before
    ``today``'s year; ``+`` moves it back 100 years, and so does a date that would otherwise lie
    later this year (a person born in December 1925 still writes ``251231-`` in June 2025).

    ``today`` defaults to :func:`datetime.date.today`; pass it for a fixed reference date.
    With ``allow_coordination=False`` a samordningsnummer is rejected with code
    ``coordination``.

    Raises :class:`InvalidIdentityNumber` for anything that is not a valid number.
    """
    if not isinstance(value, str):
        raise InvalidIdentityNumber("format", "An identity number must be given as a string.")
    match = _PERSONAL_RE.fullmatch(value.strip())
    if match is None:
        # This also rejects interim numbers ("T-numbers", a letter in the serial) and every
        # other shape; those are not accepted at login and must be stored elsewhere if needed.
        raise InvalidIdentityNumber("format", f"Not a personal identity number: {value!r}.")

    if today is None:
        today = date.today()
    century, yy, mm, dd, sep, serial, check = match.group(
        "century", "yy", "mm", "dd", "sep", "serial", "check"
    )

    day = int(dd)
    kind = IdKind.PERSONNUMMER
    if day > COORDINATION_DAY_OFFSET:
        kind = IdKind.SAMORDNINGSNUMMER
        day -= COORDINATION_DAY_OFFSET

    if century is not None:
        birth_date = _real_date(int(century + yy), int(mm), day)
    else:
        year = today.year - (today.year - int(yy)) % 100
        if sep == "+":
            year -= 100
        birth_date = _real_date(year, int(mm), day)
        if birth_date > today:
            # Only a hyphen can get here ("+" is always at least 100 years back): the person
            # was born later in the year a century ago and is still 99.
            birth_date = _real_date(year - 100, int(mm), day)
    if birth_date > today:
        raise InvalidIdentityNumber("future_date", f"Birth date {birth_date} is in the future.")

    if serial == "000":
        raise InvalidIdentityNumber("serial", "The birth number 000 is never assigned.")

    # Luhn always runs over the 10-digit form YYMMDDNNNC, never over the 12 digits: the
    # century is not part of the checksum.
    if not luhn_checksum_ok(f"{yy}{mm}{dd}{serial}{check}"):
        raise InvalidIdentityNumber("checksum", "The check digit does not match.")

    if kind is IdKind.SAMORDNINGSNUMMER and not allow_coordination:
        raise InvalidIdentityNumber("coordination", "A samordningsnummer is not allowed here.")

    number = f"{birth_date.year:04d}{mm}{dd}{serial}{check}"
    return PersonalIdentityNumber(number=number, kind=kind, birth_date=birth_date)


def _real_date(year: int, month: int, day: int) -> date:
    """Build a date, turning an impossible one (31 April, 29 February 2023) into an error."""
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidIdentityNumber(
            "date", f"{year:04d}-{month:02d}-{day:02d} is not a calendar date."
        ) from None


def normalize_personal_identity_number(
    value: str, *, today: date | None = None, allow_coordination: bool = True
) -> str:
    """Return the 12-digit form of a personnummer or samordningsnummer.

    Takes the same arguments as :func:`parse_personal_identity_number` and raises
    :class:`InvalidIdentityNumber` the same way.
    """
    return parse_personal_identity_number(
        value, today=today, allow_coordination=allow_coordination
    ).number


def is_valid_personal_identity_number(
    value: str, *, today: date | None = None, allow_coordination: bool = True
) -> bool:
    """Return whether ``value`` is a valid personnummer (or samordningsnummer, if allowed)."""
    try:
        parse_personal_identity_number(value, today=today, allow_coordination=allow_coordination)
    except InvalidIdentityNumber:
        return False
    return True


@dataclass(frozen=True)
class OrganisationNumber:
    """A valid organisationsnummer; ``number`` is the normalised 10-digit form."""

    number: str

    def __str__(self) -> str:
        return self.number

    @property
    def formatted(self) -> str:
        """The usual display form ``NNNNNN-NNNC``."""
        return f"{self.number[:6]}-{self.number[6:]}"

    @property
    def group(self) -> OrganisationGroup | None:
        """The legal-form group from the first digit, or None for a digit with no group."""
        return _GROUP_BY_FIRST_DIGIT.get(self.number[0])


def parse_organisation_number(value: str) -> OrganisationNumber:
    """Parse and validate an organisationsnummer.

    Accepted forms (surrounding whitespace is ignored): ``NNNNNN-NNNC``, ``NNNNNNNNNC`` and
    the 12-digit ``16NNNNNNNNNC`` (also ``16NNNNNN-NNNC``). The Luhn check runs over the 10
    digits. The third digit must be at least 2: that is what keeps organisation numbers apart
    from personnummer, whose third digit (the first digit of the month) is 0 or 1. An enskild
    firma has no organisation number of its own (it uses the owner's personnummer), so a
    personnummer is rejected here with code ``orgnr_third_digit``.

    Raises :class:`InvalidIdentityNumber` for anything that is not a valid number.
    """
    if not isinstance(value, str):
        raise InvalidIdentityNumber("format", "An organisation number must be given as a string.")
    match = _ORGANISATION_RE.fullmatch(value.strip())
    if match is None:
        raise InvalidIdentityNumber("format", f"Not an organisation number: {value!r}.")
    number = match["head"] + match["tail"]
    # Checked before the checksum: a personnummer typed into an organisation-number field is
    # a likelier mistake than a typo, and deserves the more helpful message.
    if number[2] < "2":
        raise InvalidIdentityNumber(
            "orgnr_third_digit", "The third digit of an organisation number is at least 2."
        )
    if not luhn_checksum_ok(number):
        raise InvalidIdentityNumber("checksum", "The check digit does not match.")
    return OrganisationNumber(number=number)


def normalize_organisation_number(value: str) -> str:
    """Return the 10-digit form of an organisationsnummer, or raise InvalidIdentityNumber."""
    return parse_organisation_number(value).number


def is_valid_organisation_number(value: str) -> bool:
    """Return whether ``value`` is a valid organisationsnummer."""
    try:
        parse_organisation_number(value)
    except InvalidIdentityNumber:
        return False
    return True

"""The organisations the simulator knows: invented fixtures in ``fixtures/``, one per file.

Each fixture is one ``Organisation`` object as ``POST /organisationer`` returns it, named by
its identitetsbeteckning. Tests may add organisations through the control API; a reset
brings back exactly the fixtures.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from pathlib import Path
from typing import Any, Final, Literal

FIXTURE_DIR: Final = Path(__file__).parent / "fixtures"
# `[0-9]`, not `\d`: `\d` also matches digits of other scripts.
_TEN_DIGITS: Final = re.compile(r"[0-9]{10}")

NotFoundAnswer = Literal["404", "empty"]


def luhn_ok(digits: str) -> bool:
    """Whether ten digits end in the right Luhn check digit (weights 2,1,2,1,... from the left)."""
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_identitetsbeteckning(value: object) -> bool:
    """Whether ``value`` is ten ASCII digits with a valid check digit, as the API wants it."""
    return isinstance(value, str) and bool(_TEN_DIGITS.fullmatch(value)) and luhn_ok(value)


def identitetsbeteckning_of(organisation: Any) -> str:
    """The number an Organisation object is filed under; ValueError when it has none."""
    try:
        number = organisation["organisationsidentitet"]["identitetsbeteckning"]
    except (KeyError, TypeError):
        raise ValueError("organisationsidentitet.identitetsbeteckning is missing") from None
    if not is_identitetsbeteckning(number):
        raise ValueError("organisationsidentitet.identitetsbeteckning must be 10 valid digits")
    return str(number)


def load_fixtures(directory: Path = FIXTURE_DIR) -> dict[str, dict[str, Any]]:
    """Every ``*.json`` in ``directory`` by identitetsbeteckning."""
    organisations: dict[str, dict[str, Any]] = {}
    for path in sorted(directory.glob("*.json")):
        organisation = json.loads(path.read_text(encoding="utf-8"))
        number = identitetsbeteckning_of(organisation)
        if path.stem != number:
            raise ValueError(f"{path.name} holds the organisation {number}")
        organisations[number] = organisation
    return organisations


class OrganisationStore:
    """Organisations by number, and how a number nobody knows is answered."""

    def __init__(self, fixtures: dict[str, dict[str, Any]] | None = None) -> None:
        self._lock = threading.Lock()
        self._fixtures = load_fixtures() if fixtures is None else copy.deepcopy(fixtures)
        self._organisations = copy.deepcopy(self._fixtures)
        self._not_found: NotFoundAnswer = "404"

    def get(self, number: str) -> dict[str, Any] | None:
        """A copy of the organisation filed under ``number``, or None."""
        with self._lock:
            organisation = self._organisations.get(number)
            return copy.deepcopy(organisation) if organisation is not None else None

    def put(self, organisation: dict[str, Any]) -> str:
        """Add or replace an organisation; return its number."""
        number = identitetsbeteckning_of(organisation)
        with self._lock:
            self._organisations[number] = copy.deepcopy(organisation)
        return number

    def numbers(self) -> list[str]:
        with self._lock:
            return sorted(self._organisations)

    @property
    def not_found(self) -> NotFoundAnswer:
        """``404`` (an error answer) or ``empty`` (200 with an empty list) for unknown numbers."""
        with self._lock:
            return self._not_found

    @not_found.setter
    def not_found(self, answer: NotFoundAnswer) -> None:
        with self._lock:
            self._not_found = answer

    def reset(self) -> None:
        """Back to exactly the fixtures, unknown numbers answered with 404."""
        with self._lock:
            self._organisations = copy.deepcopy(self._fixtures)
            self._not_found = "404"

"""Problems in an e-service definition, in plain Swedish, each at a path like
``steps[1].fields[0].max_length``.

Pydantic reports what is wrong with the structure in English; this module says the same in
Swedish, keyed by pydantic's error type, so that the person writing a definition can fix it.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError
from pydantic_core import ErrorDetails

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Problem(NamedTuple):
    """One thing wrong with a definition; ``path`` is empty for the definition as a whole."""

    path: str
    message: str


class DefinitionError(Exception):
    """A definition (or its YAML/JSON text) cannot be used; ``problems`` says why and where.

    Deliberately not a ``ValueError``: raised from inside a pydantic validator, it must pass
    through pydantic unchanged instead of being wrapped as one more "value error".
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(
            "; ".join(f"{path}: {message}" if path else message for path, message in self.problems)
        )


def format_path(loc: Iterable[int | str]) -> str:
    """``("steps", 1, "fields", 0, "label")`` -> ``"steps[1].fields[0].label"``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def problems_from_validation_error(
    error: ValidationError, *, union_tags: Collection[str], known_keys: Collection[str]
) -> list[Problem]:
    """Pydantic's errors as Swedish problems.

    ``union_tags`` are the field types: pydantic puts the chosen type into the location of
    errors inside a field (``fields.0.text.max_length``), which says nothing to a reader who
    wrote ``fields[0].max_length``. ``known_keys`` are the keys the format has, for a "did you
    mean" on typos.
    """
    errors = error.errors()
    return [
        Problem(_path(details["loc"], union_tags), _message(details, known_keys))
        for details in errors
        # A list whose every item is wrong is also "too short" after validation; the items'
        # own problems are the ones worth reading.
        if not (details["type"] == "too_short" and _has_failed_item(details["loc"], errors))
    ]


def _has_failed_item(loc: tuple[int | str, ...], errors: list[ErrorDetails]) -> bool:
    return any(len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in errors)


def _path(loc: tuple[int | str, ...], union_tags: Collection[str]) -> str:
    parts: list[int | str] = []
    for index, part in enumerate(loc):
        after_list_item = (
            index >= 2 and loc[index - 2] == "fields" and isinstance(loc[index - 1], int)
        )
        if after_list_item and isinstance(part, str) and part in union_tags:
            continue
        parts.append(part)
    return format_path(parts)


def _quoted(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)


def _expected(details: ErrorDetails) -> str:
    # pydantic writes the choices as "'a', 'b' or 'c'".
    return str(details.get("ctx", {}).get("expected", "")).replace(" or ", " eller ")


def _message(details: ErrorDetails, known_keys: Collection[str]) -> str:
    kind = details["type"]
    ctx = details.get("ctx", {})
    value = details.get("input")
    last = details["loc"][-1] if details["loc"] else ""
    if kind == "missing":
        return _("Uppgiften %(key)s saknas.") % {"key": _quoted(last)}
    if kind == "extra_forbidden":
        message = _("Okänd uppgift: %(key)s.") % {"key": _quoted(last)}
        close = difflib.get_close_matches(str(last), known_keys, n=1)
        if close:
            message += " " + _("Menade du %(key)s?") % {"key": _quoted(close[0])}
        elif value is None:
            # `{value: a, label: Garage, carport}`: in YAML's {...} form a comma ends the value.
            message += " " + _("Har en text ett kommatecken? Sätt den inom citattecken.")
        return message
    if kind == "union_tag_invalid":
        return _("Okänd fälttyp: %(type)s.") % {"type": _quoted(ctx.get("tag"))}
    if kind == "union_tag_not_found":
        return _("Fältet saknar uppgiften 'type' (fälttypen).")
    if kind == "value_error":
        return str(ctx.get("error", _("Ogiltigt värde.")))
    if kind in {"literal_error", "enum"}:
        return _("Ogiltigt värde: %(value)s. Tillåtna värden: %(expected)s.") % {
            "value": _quoted(value),
            "expected": _expected(details),
        }
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return _("Får inte vara tom.")
    if kind == "too_short" and ctx.get("min_length") == 1:
        return _("Listan får inte vara tom.")
    if kind == "string_too_long":
        return _("Får vara högst %(limit)s tecken.") % {"limit": ctx.get("max_length")}
    if kind == "string_pattern_mismatch":
        return _(
            "Ogiltig nyckel: %(value)s. En nyckel börjar med en liten bokstav a–z och har "
            "sedan bara små bokstäver a–z, siffror och _, högst 50 tecken."
        ) % {"value": _quoted(value)}
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        return str(_LIMITS[kind]) % {"limit": next(iter(ctx.values()), "")}
    return str(_SIMPLE.get(kind, _("Ogiltigt värde.")))


_LIMITS: dict[str, StrPromise] = {
    "greater_than_equal": gettext_lazy("Värdet måste vara minst %(limit)s."),
    "greater_than": gettext_lazy("Värdet måste vara större än %(limit)s."),
    "less_than_equal": gettext_lazy("Värdet får vara högst %(limit)s."),
    "less_than": gettext_lazy("Värdet måste vara mindre än %(limit)s."),
}

_SIMPLE: dict[str, StrPromise] = {
    "string_type": gettext_lazy("Ange en text."),
    "int_type": gettext_lazy("Ange ett heltal."),
    "int_parsing": gettext_lazy("Ange ett heltal."),
    "int_from_float": gettext_lazy("Ange ett heltal."),
    "float_type": gettext_lazy("Ange ett tal."),
    "float_parsing": gettext_lazy("Ange ett tal."),
    "finite_number": gettext_lazy("Ange ett tal."),
    "bool_type": gettext_lazy("Ange true eller false."),
    "bool_parsing": gettext_lazy("Ange true eller false."),
    "list_type": gettext_lazy("Ange en lista."),
    "tuple_type": gettext_lazy("Ange en lista."),
    "too_short": gettext_lazy("Listan har för få element."),
    "too_long": gettext_lazy("Listan har för många element."),
    "string_too_short": gettext_lazy("Texten är för kort."),
    "dict_type": gettext_lazy("Ange ett objekt med nycklar och värden."),
    "model_type": gettext_lazy("Ange ett objekt med nycklar och värden."),
    "model_attributes_type": gettext_lazy("Ange ett objekt med nycklar och värden."),
    "date_type": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_parsing": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
}

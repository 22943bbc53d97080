"""The form builder's edits of a draft: plain definition data in, plain data out.

The builder and the text editor work on the same draft (``EServiceDraft.text``, YAML), so
an e-service built here exports, imports and publishes exactly as a written file does.
Every edit is made on a copy; the view keeps it only if it brings no problem the draft did
not already have (``new_problems``), in the words of the definition checks, so that an
invalid construction is refused where it was made. English texts are kept where the format
keeps them, under ``translations.en``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from sjalvservice.eservices.definitions import DefinitionError, load_definition_text
from sjalvservice.eservices.definitions.problems import Problem
from sjalvservice.eservices.definitions.schema import parse_definition
from sjalvservice.eservices.search import fold

Data = dict[str, Any]

# The operators of a condition, as the format writes them.
EQUALS, IN, NOT_EMPTY = "equals", "in", "not_empty"
# English texts of a field that the builder edits beside the Swedish ones.
FIELD_TEXTS = ("label", "hint", "text")
KEY_LENGTH = 50


class UnreadableDraft(Exception):
    """The draft is not a definition the builder can show (its text has to be fixed)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def read(text: str) -> Data:
    """The draft's definition data; ``UnreadableDraft`` if it is not shaped as a definition
    the builder can show (steps and fields as objects with keys, and so on): what the
    checks would say of its values, the builder shows in place, but it needs the shape."""
    try:
        data = load_definition_text(text) if text.strip() else {}
    except DefinitionError as error:
        raise UnreadableDraft(list(error.problems)) from None
    problem = _shape_problem(data)
    if problem:
        raise UnreadableDraft([problem])
    data.setdefault("schema_version", 1)
    data.setdefault("steps", [])
    return data


_KEY = re.compile(r"^[A-Za-z0-9_-]{1,50}$")


def _bad_translations() -> tuple[str, str]:
    return "translations", _("Översättningarna måste vara objekt per språk, steg och fält.")


def _objects(entry: Any, *parts: str) -> bool:
    """Whether ``entry`` is an object (or absent) whose ``parts`` are objects (or absent)."""
    entry = entry or {}
    return isinstance(entry, dict) and all(
        isinstance(entry.get(part) or {}, dict) for part in parts
    )


def _shape_problem(data: Any) -> tuple[str, str] | None:
    if not isinstance(data, dict):
        return "", _("Definitionen är inte ett objekt med en lista av steg.")
    if not isinstance(data.get("steps", []), list):
        return "steps", _("Definitionen är inte ett objekt med en lista av steg.")
    for number, each in enumerate(data.get("steps", [])):
        path = f"steps[{number}]"
        if not isinstance(each, dict) or not isinstance(each.get("fields", []), list):
            return path, _("Varje steg måste vara ett objekt med fält.")
        for field_number, found in enumerate([each, *each.get("fields", [])]):
            where = path if field_number == 0 else f"{path}.fields[{field_number - 1}]"
            if not isinstance(found, dict) or not _KEY.match(str(found.get("key", ""))):
                return where, _("Varje steg och fält behöver en nyckel av bokstäver, siffror "
                                "och understreck.")  # fmt: skip
            choices = found.get("choices") or []
            if (
                not _objects(found, "condition", "errors")
                or not isinstance(choices, list)
                or not all(isinstance(choice, dict) for choice in choices)
            ):
                return where, _("Villkoret och svarsalternativen måste vara objekt.")
    statuses = data.get("statuses") or []
    if not isinstance(statuses, list) or not all(isinstance(each, dict) for each in statuses):
        return "statuses", _("Statusarna måste vara en lista av objekt.")
    translations = data.get("translations") or {}
    if not isinstance(translations, dict):
        return _bad_translations()
    for texts in [data, *translations.values()]:
        texts = texts or {}
        if not isinstance(texts, dict) or not isinstance(texts.get("on_submit") or {}, dict):
            return _bad_translations()
        if texts is data:
            continue
        for part in ("steps", "fields", "statuses"):
            section = texts.get(part) or {}
            if not isinstance(section, dict):
                return _bad_translations()
            if part != "statuses" and not all(
                _objects(entry, "choices", "errors") for entry in section.values()
            ):
                return _bad_translations()
    return None


def problems(data: Data) -> list[Problem]:
    try:
        parse_definition(data)
    except DefinitionError as error:
        return [Problem(path, message) for path, message in error.problems]
    return []


def new_problems(before: Data, after: Data) -> list[Problem]:
    """The problems of ``after`` that ``before`` did not have (compared by their words, as
    paths shift when things move)."""
    known = {problem.message for problem in problems(before)}
    return [problem for problem in problems(after) if problem.message not in known]


# --- Finding things --------------------------------------------------------------------------


def steps(data: Data) -> list[Data]:
    return data["steps"]


def step(data: Data, key: str) -> Data:
    for each in steps(data):
        if each.get("key") == key:
            return each
    raise KeyError(key)


def fields(data: Data) -> Iterator[tuple[Data, Data]]:
    """(step, field) for every field, in order."""
    for each in steps(data):
        for field in each.get("fields", []):
            yield each, field


def field(data: Data, key: str) -> tuple[Data, Data]:
    for each, found in fields(data):
        if found.get("key") == key:
            return each, found
    raise KeyError(key)


def earlier_fields(data: Data, *, step_key: str, field_key: str | None = None) -> list[Data]:
    """The fields before a field (or before a step, ``field_key`` None): what a condition
    may name."""
    found: list[Data] = []
    for each in steps(data):
        for candidate in each.get("fields", []):
            if candidate.get("key") == field_key or (field_key is None and each["key"] == step_key):
                return found
            found.append(candidate)
        if field_key is None and each.get("key") == step_key:
            return found
    return found


def new_key(text: str, taken: set[str]) -> str:
    """A key for a new step or field from its title: "Var finns felet?" -> "var_finns_felet"."""
    base = re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")[:KEY_LENGTH].rstrip("_")
    if not base or not base[0].isalpha():
        base = f"f_{base}".rstrip("_")[:KEY_LENGTH]
    key, number = base, 2
    while key in taken:
        suffix = f"_{number}"
        key, number = base[: KEY_LENGTH - len(suffix)] + suffix, number + 1
    return key


def step_keys(data: Data) -> set[str]:
    return {each.get("key", "") for each in steps(data)}


def field_keys(data: Data) -> set[str]:
    return {found.get("key", "") for _step, found in fields(data)}


# --- English texts ---------------------------------------------------------------------------


def english(data: Data) -> Data:
    """``translations.en``, made if missing (``tidy`` drops it again when empty)."""
    translations = data.get("translations") or {}
    data["translations"] = translations
    if not translations.get("en"):
        translations["en"] = {}
    texts: Data = translations["en"]
    return texts


def english_of_step(data: Data, key: str) -> Data:
    texts = (data.get("translations") or {}).get("en") or {}
    return (texts.get("steps") or {}).get(key) or {}


def english_of_field(data: Data, key: str) -> Data:
    texts = (data.get("translations") or {}).get("en") or {}
    return (texts.get("fields") or {}).get(key) or {}


def set_english(data: Data, part: str, key: str, texts: Data) -> None:
    """The English texts of one step or field (``part`` "steps" or "fields"); empty ones
    are left out."""
    language = english(data)
    section = language.get(part) or {}
    language[part] = section
    kept = {name: value for name, value in texts.items() if value}
    if kept:
        section[key] = kept
    else:
        section.pop(key, None)
    tidy(data)


def tidy(data: Data) -> None:
    """Drop empty parts of the translations, so that a definition without English texts
    has no ``translations`` at all."""
    translations = data.get("translations") or {}
    for language, texts in list(translations.items()):
        texts = texts or {}
        for part in ("steps", "fields", "statuses"):
            if part in texts and not texts[part]:
                del texts[part]
        if not texts:
            del translations[language]
    if "translations" in data and not translations:
        del data["translations"]


def _rename_english(data: Data, part: str, old: str, new: str | None) -> None:
    section = ((data.get("translations") or {}).get("en") or {}).get(part) or {}
    if old in section:
        texts = section.pop(old)
        if new is not None:
            section[new] = texts
    tidy(data)


# --- Edits -----------------------------------------------------------------------------------


def edited(data: Data) -> Data:
    return copy.deepcopy(data)


def add_step(data: Data, *, title: str, title_en: str = "") -> tuple[Data, str]:
    result = edited(data)
    key = new_key(title, step_keys(result))
    steps(result).append({"key": key, "title": title, "fields": []})
    if title_en:
        set_english(result, "steps", key, {"title": title_en})
    return result, key


def change_step(data: Data, key: str, *, title: str, title_en: str, condition: Data | None) -> Data:
    result = edited(data)
    changed = step(result, key)
    changed["title"] = title
    _set_condition(changed, condition)
    set_english(result, "steps", key, {**english_of_step(result, key), "title": title_en})
    return result


def remove_step(data: Data, key: str) -> Data:
    result = edited(data)
    removed = step(result, key)
    steps(result).remove(removed)
    _rename_english(result, "steps", key, None)
    for each in removed.get("fields", []):
        _rename_english(result, "fields", each.get("key", ""), None)
    return result


def move_step(data: Data, key: str, offset: int) -> Data:
    result = edited(data)
    _move(steps(result), step(result, key), offset)
    return result


def add_field(
    data: Data,
    step_key: str,
    *,
    type: str,
    label: str,
    label_en: str = "",
    choices: list[tuple[str, str, str]] | None = None,
) -> tuple[Data, str]:
    result = edited(data)
    key = new_key(label, field_keys(result))
    added: Data = {"key": key, "type": type, "label": label}
    if type in ("info",):
        added["text"] = label
    if choices is not None:
        added["choices"] = [{"value": value, "label": text} for value, text, _en in choices]
    step(result, step_key).setdefault("fields", []).append(added)
    texts: Data = {"label": label_en}
    if choices:
        texts["choices"] = {value: en for value, _text, en in choices if en}
    set_english(result, "fields", key, texts)
    return result, key


def change_field(data: Data, key: str, values: Data, texts_en: Data) -> Data:
    """Set the field's properties (None removes one, so that its default applies) and its
    English texts."""
    result = edited(data)
    _step, changed = field(result, key)
    renamed = values.get("key")
    if renamed and renamed != key:
        _rename_field(result, key, renamed)
        key = renamed
    for name, value in values.items():
        if name == "key":
            continue
        if name == "condition":
            _set_condition(changed, value)
        elif value is None or value == "" or value == []:
            changed.pop(name, None)
        else:
            changed[name] = value
    set_english(result, "fields", key, texts_en)
    return result


def _rename_field(data: Data, old: str, new: str) -> None:
    """A field's new key, in its conditions' references and its translations too."""
    _step, renamed = field(data, old)
    renamed["key"] = new
    for target in [*steps(data), *(found for _owner, found in fields(data))]:
        condition = target.get("condition")
        if isinstance(condition, dict) and condition.get("field") == old:
            condition["field"] = new
    _rename_english(data, "fields", old, new)


def remove_field(data: Data, key: str) -> Data:
    result = edited(data)
    owner, removed = field(result, key)
    owner["fields"].remove(removed)
    _rename_english(result, "fields", key, None)
    return result


def move_field(data: Data, key: str, offset: int) -> Data:
    """One place up (-1) or down (1) in its step; from the first or last place of a step,
    to the end of the step before or the start of the step after."""
    result = edited(data)
    owner, moved = field(result, key)
    siblings = owner["fields"]
    position = siblings.index(moved)
    if 0 <= position + offset < len(siblings):
        _move(siblings, moved, offset)
        return result
    order = steps(result)
    neighbour = order.index(owner) + offset
    if not 0 <= neighbour < len(order):
        return result
    siblings.remove(moved)
    target = order[neighbour].setdefault("fields", [])
    if offset < 0:
        target.append(moved)
    else:
        target.insert(0, moved)
    return result


def change_texts(data: Data, *, title: str, title_en: str, receipt: str, receipt_en: str) -> Data:
    """The form's title and the receipt's message ("on_submit"), in both languages."""
    result = edited(data)
    result["title"] = title
    if receipt:
        result["on_submit"] = {"message": receipt}
    else:
        result.pop("on_submit", None)
    texts = english(result)
    if title_en:
        texts["title"] = title_en
    else:
        texts.pop("title", None)
    if receipt_en:
        texts["on_submit"] = {"message": receipt_en}
    else:
        texts.pop("on_submit", None)
    tidy(result)
    return result


def set_statuses(data: Data, statuses: list[tuple[str, str, str]]) -> Data:
    """The e-service's own statuses as (name, English name, kind); none: the shared ones."""
    result = edited(data)
    if statuses:
        result["statuses"] = [{"name": name, "kind": kind} for name, _en, kind in statuses]
    else:
        result.pop("statuses", None)
    english(result)["statuses"] = {name: en for name, en, _kind in statuses if en}
    tidy(result)
    return result


def _set_condition(target: Data, condition: Data | None) -> None:
    if condition:
        target["condition"] = condition
    else:
        target.pop("condition", None)


def _move(items: list[Any], item: Any, offset: int) -> None:
    position = items.index(item)
    new = max(0, min(len(items) - 1, position + offset))
    items.insert(new, items.pop(position))


def condition_of(target: Data) -> tuple[str, str, str]:
    """(field, operator, value) of a step's or field's condition, for the builder's form."""
    condition = target.get("condition") or {}
    if not condition:
        return "", "", ""
    if condition.get("not_empty"):
        return condition.get("field", ""), NOT_EMPTY, ""
    if condition.get("in") is not None:
        return condition.get("field", ""), IN, ", ".join(str(v) for v in condition["in"])
    return condition.get("field", ""), EQUALS, str(condition.get("equals", ""))


def condition_from(field_key: str, operator: str, value: str) -> Data | None:
    if not field_key:
        return None
    if operator == NOT_EMPTY:
        return {"field": field_key, "not_empty": True}
    if operator == IN:
        return {
            "field": field_key,
            "in": [part.strip() for part in value.split(",") if part.strip()],
        }
    return {"field": field_key, "equals": value.strip()}

"""The rules of the definition format that span several parts: unique keys, conditions that
look back at an earlier field, limits that fit together, and the statuses a case needs.

They run once the structure is valid, and report every problem with its path.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from sjalvservice.eservices.definitions.problems import Problem
from sjalvservice.eservices.definitions.translations import problems_of_translations

if TYPE_CHECKING:
    from sjalvservice.eservices.definitions.schema import Condition, Definition, FieldSpec

# Kinds a case moves through whatever the e-service (IN_PROGRESS is optional).
NEEDED_KINDS = ("DRAFT", "SUBMITTED", "AWAITING_SUPPLEMENT", "SUPPLEMENTED", "CLOSED")
BLOCK_TYPES = frozenset({"file", "address", "contact", "organisation", "booking"})
# Field types that take no input: they may share a step with a booking field.
NO_INPUT_TYPES = frozenset({"info"})


def problems_of(definition: Definition) -> Iterator[Problem]:
    yield from _keys(definition)
    yield from _conditions(definition)
    for step_index, step in enumerate(definition.steps):
        for field_index, field in enumerate(step.fields):
            yield from _options(field, f"steps[{step_index}].fields[{field_index}]")
    yield from _statuses(definition)
    yield from _reservations(definition)
    yield from problems_of_translations(definition)


def _keys(definition: Definition) -> Iterator[Problem]:
    steps: set[str] = set()
    fields: dict[str, str] = {}
    contact: str | None = None
    for step_index, step in enumerate(definition.steps):
        if step.key in steps:
            yield Problem(
                f"steps[{step_index}].key",
                _("Det finns redan ett steg med nyckeln %(key)s. Varje steg behöver en egen.")
                % {"key": _quoted(step.key)},
            )
        steps.add(step.key)
        for field_index, field in enumerate(step.fields):
            path = f"steps[{step_index}].fields[{field_index}]"
            if field.key in fields:
                yield Problem(
                    f"{path}.key",
                    _(
                        "Nyckeln %(key)s används redan av fältet %(other)s. Varje fält behöver "
                        "en egen nyckel i hela e-tjänsten."
                    )
                    % {"key": _quoted(field.key), "other": fields[field.key]},
                )
            fields.setdefault(field.key, path)
            if field.type == "contact":
                if contact is not None:
                    yield Problem(
                        f"{path}.type",
                        _(
                            "Det får bara finnas ett kontaktuppgiftsblock (contact) i en "
                            "e-tjänst; det första är %(other)s."
                        )
                        % {"other": contact},
                    )
                contact = contact or path


def _conditions(definition: Definition) -> Iterator[Problem]:
    earlier: dict[str, FieldSpec] = {}
    for step_index, step in enumerate(definition.steps):
        path = f"steps[{step_index}]"
        if step.condition is not None:
            yield from _condition(step.condition, f"{path}.condition", earlier, in_step=False)
        for field_index, field in enumerate(step.fields):
            if field.condition is not None:
                yield from _condition(
                    field.condition,
                    f"{path}.fields[{field_index}].condition",
                    earlier,
                    in_step=True,
                )
            earlier.setdefault(field.key, field)


def _condition(
    condition: Condition, path: str, earlier: Mapping[str, FieldSpec], *, in_step: bool
) -> Iterator[Problem]:
    target = earlier.get(condition.field)
    key = _quoted(condition.field)
    if target is None:
        if in_step:
            message = _(
                "Villkoret hänvisar till fältet %(key)s, som inte finns före det här fältet."
            )
        else:
            message = _(
                "Villkoret hänvisar till fältet %(key)s, som inte finns i ett tidigare steg."
            )
        yield Problem(f"{path}.field", message % {"key": key})
        return
    if target.type == "info":
        yield Problem(
            f"{path}.field",
            _("Fältet %(key)s är en informationstext och har inget svar att jämföra med.")
            % {"key": key},
        )
        return
    if condition.not_empty is not None:
        return
    operator = f"{path}.equals" if condition.equals is not None else f"{path}.in"
    paths = (
        [operator]
        if condition.equals is not None
        else [f"{operator}[{index}]" for index in range(len(condition.values))]
    )
    if target.type in BLOCK_TYPES:
        yield Problem(
            operator,
            _("Fältet %(key)s kan bara användas med not_empty i ett villkor.") % {"key": key},
        )
        return
    if target.type in {"choice", "multiple_choice"}:
        allowed = [choice.value for choice in target.choices]
        for value_path, value in zip(paths, condition.values, strict=True):
            if isinstance(value, bool) or str(value) not in allowed:
                yield Problem(
                    value_path,
                    _("Fältet %(key)s har inget alternativ %(value)s. Alternativen är %(choices)s.")
                    % {
                        "key": key,
                        "value": _quoted(value),
                        "choices": ", ".join(_quoted(choice) for choice in allowed),
                    },
                )
    elif target.type == "yes_no":
        for value_path, value in zip(paths, condition.values, strict=True):
            if value not in {"ja", "nej"}:
                yield Problem(
                    value_path,
                    _("Fältet %(key)s är en ja/nej-fråga: jämför med 'ja' eller 'nej'.")
                    % {"key": key},
                )


def _options(field: FieldSpec, path: str) -> Iterator[Problem]:
    if field.type in {"text", "textarea"} and (
        field.min_length is not None and field.min_length > field.max_length
    ):
        yield Problem(
            f"{path}.min_length",
            _("min_length får inte vara större än max_length (%(max)s).")
            % {"max": field.max_length},
        )
    if field.type == "text":
        if field.pattern is not None and field.pattern_message is None:
            yield Problem(
                f"{path}.pattern_message",
                _("Ange pattern_message, meddelandet som visas när svaret inte passar pattern."),
            )
        if field.pattern is None and field.pattern_message is not None:
            yield Problem(f"{path}.pattern_message", _("pattern_message kräver pattern."))
    elif field.type == "number":
        if field.min is not None and field.max is not None and field.min > field.max:
            yield Problem(f"{path}.min", _("min får inte vara större än max."))
    elif field.type == "date":
        if isinstance(field.min, date) and isinstance(field.max, date) and field.min > field.max:
            yield Problem(f"{path}.min", _("min får inte vara senare än max."))
    elif field.type in {"choice", "multiple_choice"}:
        seen: set[str] = set()
        for index, choice in enumerate(field.choices):
            if choice.value in seen:
                yield Problem(
                    f"{path}.choices[{index}].value",
                    _("Värdet %(value)s finns redan bland alternativen.")
                    % {"value": _quoted(choice.value)},
                )
            seen.add(choice.value)
        if field.type == "multiple_choice":
            yield from _choice_counts(
                field.min_choices, field.max_choices, len(field.choices), path
            )
    elif field.type == "info" and field.required:
        yield Problem(f"{path}.required", _("En informationstext kan inte vara obligatorisk."))


def _choice_counts(least: int | None, most: int | None, count: int, path: str) -> Iterator[Problem]:
    if least is not None and least > count:
        yield Problem(
            f"{path}.min_choices",
            _("min_choices får inte vara större än antalet alternativ (%(count)s).")
            % {"count": count},
        )
    if least is not None and most is not None and least > most:
        yield Problem(f"{path}.min_choices", _("min_choices får inte vara större än max_choices."))


def _statuses(definition: Definition) -> Iterator[Problem]:
    kinds = {status.kind for status in definition.statuses}
    missing = [kind for kind in NEEDED_KINDS if kind not in kinds]
    if missing:
        yield Problem(
            "statuses",
            _(
                "Statuslistan saknar en status av typen %(kinds)s. Det behövs minst en status "
                "av varje typ DRAFT, SUBMITTED, AWAITING_SUPPLEMENT, SUPPLEMENTED och CLOSED."
            )
            % {"kinds": ", ".join(missing)},
        )
    # Imported here: the schema module imports this one.
    from sjalvservice.eservices.definitions.schema import DEFAULT_STATUSES

    shared_kinds = {status.name: status.kind for status in DEFAULT_STATUSES}
    names: set[str] = set()
    for index, status in enumerate(definition.statuses):
        if status.name in names:
            yield Problem(
                f"statuses[{index}].name",
                _("Det finns redan en status som heter %(name)s.") % {"name": _quoted(status.name)},
            )
        elif shared_kinds.get(status.name, status.kind) != status.kind:
            # A status with a shared default's name is that shared status: handlers would
            # otherwise see two statuses with one name.
            yield Problem(
                f"statuses[{index}].kind",
                _(
                    "%(name)s är en av standardstatusarna och har typen %(kind)s. Ge statusen "
                    "ett annat namn eller typen %(kind)s."
                )
                % {"name": _quoted(status.name), "kind": shared_kinds[status.name]},
            )
        names.add(status.name)


def _reservations(definition: Definition) -> Iterator[Problem]:
    """One booking field per e-service, alone on its step (the week's slots fill a phone's
    screen, and changing week must lose nothing typed); a queue joined at a status the
    e-service has."""
    first: str | None = None
    for step_index, step in enumerate(definition.steps):
        for field_index, field in enumerate(step.fields):
            if field.type != "booking":
                continue
            path = f"steps[{step_index}].fields[{field_index}]"
            if first is not None:
                yield Problem(
                    f"{path}.type",
                    _(
                        "Det får bara finnas en tidsbokning (booking) i en e-tjänst; den "
                        "första är %(other)s."
                    )
                    % {"other": first},
                )
            first = first or path
            others = [f for f in step.fields if f is not field and f.type not in NO_INPUT_TYPES]
            if others:
                yield Problem(
                    f"{path}.type",
                    _(
                        "En tidsbokning ska ha ett eget steg; flytta %(keys)s till ett annat "
                        "steg (informationstexter går bra)."
                    )
                    % {"keys": ", ".join(_quoted(other.key) for other in others)},
                )
    rule = definition.queue
    if rule is not None and rule.status is not None:
        kinds = {status.name: status.kind for status in definition.statuses}
        if kinds.get(rule.status) in (None, "DRAFT"):
            yield Problem(
                "queue.status",
                _(
                    "Kön kan inte knytas till statusen %(name)s. Välj en av e-tjänstens "
                    "statusar %(names)s, eller ta bort status för att ställa personen i kö när "
                    "ärendet skickas in."
                )
                % {
                    "name": _quoted(rule.status),
                    "names": ", ".join(
                        _quoted(name) for name, kind in kinds.items() if kind != "DRAFT"
                    ),
                },
            )


def _quoted(value: object) -> str:
    return f"'{value}'" if isinstance(value, str) else str(value)

"""Which steps and fields are shown, given the answers so far: the one evaluator of conditions.

A hidden step or field is not validated and its answer is dropped. Hiding a field can hide the
fields that depend on it; the definition format only lets a condition look at an EARLIER field,
so one pass in definition order, dropping hidden answers as it goes, reaches the fixed point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sjalvservice.eservices.definitions.schema import (
    Condition,
    Definition,
    FieldSpec,
    StepSpec,
)


def has_answer(answer: Any) -> bool:
    """Whether an answer counts as given: not None, blank, False or empty; a block if any part."""
    if answer is None or answer is False:
        return False
    if isinstance(answer, str):
        return bool(answer.strip())
    if isinstance(answer, Mapping):
        return any(has_answer(part) for part in answer.values())
    if isinstance(answer, list | tuple):
        return any(has_answer(part) for part in answer)
    return True


def _same(answer: Any, value: str | bool | int | float) -> bool:
    # True == 1 in Python; here a yes/no is never a number.
    if isinstance(answer, bool) or isinstance(value, bool):
        return answer is value
    if isinstance(answer, str) and isinstance(value, int | float):
        # Posted data and choice values are text; `equals: 5` in YAML is a number.
        return answer.strip() == str(value)
    return bool(answer == value)


def is_met(condition: Condition | None, answers: Mapping[str, Any]) -> bool:
    """Whether the condition holds (no condition always does).

    ``equals`` on a list (multiple choice) means "includes"; ``in`` means "equals one of".
    """
    if condition is None:
        return True
    answer = answers.get(condition.field)
    if condition.not_empty is not None:
        return has_answer(answer) == condition.not_empty
    given = answer if isinstance(answer, list | tuple) else [answer]
    return any(_same(item, value) for item in given for value in condition.values)


def _shown_fields(step: StepSpec, known: dict[str, Any]) -> list[FieldSpec]:
    shown = []
    for field in step.fields:
        if is_met(field.condition, known):
            shown.append(field)
        else:
            known.pop(field.key, None)
    return shown


def _walk(
    definition: Definition, answers: Mapping[str, Any]
) -> tuple[list[StepSpec], dict[str, Any]]:
    """The visible steps and the answers of visible fields, in one pass in definition order."""
    known = dict(answers)
    steps = []
    for step in definition.steps:
        if is_met(step.condition, known):
            steps.append(step)
            _shown_fields(step, known)
        else:
            for field in step.fields:
                known.pop(field.key, None)
    keys = {field.key for step in steps for field in step.fields}
    return steps, {key: value for key, value in known.items() if key in keys}


# The field types whose choices can reveal a follow-up in place (GOV.UK conditional reveal).
REVEALING_TYPES = ("choice", "multiple_choice", "yes_no")


def revealed_in_place(step: StepSpec) -> dict[str, tuple[str, str]]:
    """The fields of a step asked right under one choice of an earlier field of the step:
    ``{follow_up_key: (choice_field_key, choice_value)}``.

    A follow-up is revealed in place when its condition names one value of a radio, check box
    or yes/no field of the same step, which is not itself revealed in place. Other conditions
    (``in`` with several values, ``not_empty``, a select list, a field of an earlier step) keep
    the follow-up where it is, shown once the step is posted with its condition met.
    """
    choosers: dict[str, FieldSpec] = {}
    revealed: dict[str, tuple[str, str]] = {}
    for field in step.fields:
        condition = field.condition
        chooser = choosers.get(condition.field) if condition is not None else None
        if condition is not None and chooser is not None and len(condition.values) == 1:
            value = condition.values[0]
            if isinstance(value, str) and value in _choice_values(chooser):
                revealed[field.key] = (chooser.key, value)
                continue
        if field.type in REVEALING_TYPES and getattr(field, "widget", "radio") == "radio":
            choosers[field.key] = field
    return revealed


def _choice_values(field: FieldSpec) -> list[str]:
    if field.type == "yes_no":
        return ["ja", "nej"]
    return [choice.value for choice in getattr(field, "choices", ())]


def visible_steps(definition: Definition, answers: Mapping[str, Any]) -> list[StepSpec]:
    """The steps shown, in order, once hidden answers are dropped."""
    return _walk(definition, answers)[0]


def visible_fields(step: StepSpec, answers: Mapping[str, Any]) -> list[FieldSpec]:
    """The fields of a step that are shown; a hidden field's answer does not count for later ones.

    ``answers`` should already be free of hidden answers from earlier steps (``drop_hidden``).
    """
    return _shown_fields(step, dict(answers))


def drop_hidden(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers of visible fields of visible steps (unknown keys are dropped too)."""
    return _walk(definition, answers)[1]

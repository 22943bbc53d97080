"""The answers as the "Förhandsgranska" step (and the PDF) shows them: per visible step, a row
per visible field that takes input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from sjalvservice.eservices.definitions.conditions import drop_hidden, visible_fields, visible_steps
from sjalvservice.eservices.definitions.fields import FIELD_TYPES
from sjalvservice.eservices.definitions.schema import Definition


class SummaryRow(NamedTuple):
    key: str
    label: str
    display: str  # plain text; several lines for a block


class StepSummary(NamedTuple):
    key: str
    title: str
    rows: list[SummaryRow]


def summarise(definition: Definition, answers: Mapping[str, Any]) -> list[StepSummary]:
    """The visible steps with their answers; a step without any input field is left out."""
    shown = drop_hidden(definition, answers)
    summary = []
    for step in visible_steps(definition, shown):
        rows = [
            SummaryRow(
                field.key, field.label, FIELD_TYPES[field.type].display(field, shown.get(field.key))
            )
            for field in visible_fields(step, shown)
            if FIELD_TYPES[field.type].takes_input
        ]
        if rows:
            summary.append(StepSummary(step.key, step.title, rows))
    return summary

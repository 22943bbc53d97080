"""Field types where the person picks: one choice, several choices, yes or no."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sjalvservice.eservices.definitions.fields.base import (
    FieldContext,
    SingleFieldType,
    message,
    say,
)
from sjalvservice.eservices.definitions.schema import ChoiceSpec, MultipleChoiceSpec, YesNoSpec


def _label(spec: ChoiceSpec | MultipleChoiceSpec, value: Any) -> str:
    for choice in spec.choices:
        if choice.value == value:
            return choice.label
    return str(value)


def _invalid_choice() -> str:
    # Only a changed page posts a value that is not offered.
    return say(_("Välj ett av alternativen som visas"))


class ChoiceType(SingleFieldType[ChoiceSpec]):
    name = "choice"

    def template(self, spec: ChoiceSpec) -> str:
        return (
            "core/fields/input.html" if spec.widget == "select" else "eservices/fields/radios.html"
        )

    def field(self, spec: ChoiceSpec, context: FieldContext) -> forms.Field:
        options = [(choice.value, choice.label) for choice in spec.choices]
        widget: forms.Widget
        if spec.widget == "select":
            options.insert(0, ("", _("Välj")))
            widget = forms.Select(attrs={"class": "govuk-select"})
        else:
            widget = forms.RadioSelect(attrs={"class": "govuk-radios__input"})
        return forms.ChoiceField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            choices=options,
            widget=widget,
            error_messages={
                "required": message(spec, "required", _("Välj ett av alternativen")),
                "invalid_choice": _invalid_choice(),
            },
        )

    def display(self, spec: ChoiceSpec, answer: Any) -> str:
        return "" if answer is None else _label(spec, answer)

    def export(self, spec: ChoiceSpec, answer: Any) -> Any:
        return None if answer is None else {"value": answer, "label": _label(spec, answer)}


class MultipleChoiceType(SingleFieldType[MultipleChoiceSpec]):
    """Check boxes; the answer lists the chosen values in the order of the choices."""

    name = "multiple_choice"
    template_name = "eservices/fields/checkboxes.html"

    def field(self, spec: MultipleChoiceSpec, context: FieldContext) -> forms.Field:
        validators: list[CountValidator] = []
        if spec.min_choices:
            fewest = message(
                spec,
                "min_choices",
                _("Välj minst %(count)s alternativ") % {"count": spec.min_choices},
            )
            validators.append(CountValidator(spec.min_choices, fewest, "min_choices"))
        if spec.max_choices:
            most = message(
                spec,
                "max_choices",
                _("Välj högst %(count)s alternativ") % {"count": spec.max_choices},
            )
            validators.append(CountValidator(spec.max_choices, most, "max_choices"))
        return forms.MultipleChoiceField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            choices=[(choice.value, choice.label) for choice in spec.choices],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            validators=validators,
            error_messages={
                "required": message(spec, "required", _("Välj minst ett alternativ")),
                "invalid_choice": _invalid_choice(),
                "invalid_list": _invalid_choice(),
            },
        )

    def answer(self, spec: MultipleChoiceSpec, value: list[str]) -> list[str]:
        return [choice.value for choice in spec.choices if choice.value in value]

    def display(self, spec: MultipleChoiceSpec, answer: Any) -> str:
        if not isinstance(answer, list):
            return super().display(spec, answer)
        return ", ".join(_label(spec, value) for value in answer)

    def export(self, spec: MultipleChoiceSpec, answer: Any) -> Any:
        if not isinstance(answer, list):
            return answer
        return [{"value": value, "label": _label(spec, value)} for value in answer]


@dataclass(frozen=True)
class CountValidator:
    """At least (``min_choices``) or at most (``max_choices``) ``count`` boxes ticked."""

    count: int
    message: str
    code: str

    def __call__(self, value: list[str]) -> None:
        fewer = self.code == "min_choices" and len(value) < self.count
        more = self.code == "max_choices" and len(value) > self.count
        if fewer or more:
            raise ValidationError(self.message, code=self.code)


class YesNoType(SingleFieldType[YesNoSpec]):
    """Two radio buttons; the answer is "ja" or "nej"."""

    name = "yes_no"
    template_name = "eservices/fields/radios.html"

    def field(self, spec: YesNoSpec, context: FieldContext) -> forms.Field:
        return forms.ChoiceField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            choices=[("ja", _("Ja")), ("nej", _("Nej"))],
            widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
            error_messages={
                "required": message(spec, "required", _("Välj ja eller nej")),
                "invalid_choice": _invalid_choice(),
            },
        )

    def display(self, spec: YesNoSpec, answer: Any) -> str:
        return {"ja": _("Ja"), "nej": _("Nej")}.get(answer, "") if answer else ""

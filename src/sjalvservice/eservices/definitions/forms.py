"""The Django form of one step of an e-service, built from its definition.

The form holds the step's visible fields, given the answers so far and what was just posted:
a condition on an earlier field of the same step is evaluated on the posted value. A follow-up
revealed in place (``conditions.revealed_in_place``) is rendered inside its choice's GOV.UK
conditional container even while its condition is not met, so that it can be shown as soon as
the choice is made; until then it is not one of the form's fields: it keeps what was typed but
is neither validated nor answered.

The runner renders the form with ``eservices/fields/step_fields.html`` and
``core/includes/error_summary.html``, and stores ``form.answers(store_upload)`` once
``form.is_valid()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.datastructures import MultiValueDict

from sjalvservice.core.forms import GovukForm
from sjalvservice.eservices.definitions.conditions import (
    drop_hidden,
    revealed_in_place,
    visible_fields,
)
from sjalvservice.eservices.definitions.fields import (
    FIELD_TYPES,
    Calendar,
    FieldContext,
    FieldType,
    Organisation,
    StoreUpload,
)
from sjalvservice.eservices.definitions.fields.blocks import CONTACT_NOTE
from sjalvservice.eservices.definitions.schema import Definition, FieldSpec, StepSpec


@dataclass(frozen=True)
class ChoiceOption:
    """One radio button or check box of a field, with the follow-ups it reveals in place."""

    widget: BoundWidget
    follow_ups: list[FieldGroup]

    @property
    def conditional_id(self) -> str:
        return f"conditional-{self.widget.id_for_label}"


@dataclass(frozen=True)
class FieldGroup:
    """One field of the step with its bound Django fields (several for a block), and for a
    choice the follow-ups that its choices reveal in place, by choice value."""

    spec: FieldSpec
    field_type: FieldType[Any]
    fields: list[BoundField]
    follow_ups: dict[str, list[FieldGroup]] = field(default_factory=dict)

    @property
    def options(self) -> list[ChoiceOption]:
        """The radio buttons or check boxes of a choice, each with its follow-ups."""
        bound = self.field
        if bound is None:
            return []
        return [
            ChoiceOption(widget, self.follow_ups.get(str(widget.data["value"]), []))
            for widget in bound.subwidgets
        ]

    @property
    def template_name(self) -> str:
        return self.field_type.template(self.spec)

    @property
    def field(self) -> BoundField | None:
        """The first (for most types the only) bound field."""
        return self.fields[0] if self.fields else None

    @property
    def sub(self) -> dict[str, BoundField]:
        """A block's bound fields by part: ``group.sub.postal_code``."""
        return {getattr(bound.field, "sub", ""): bound for bound in self.fields}

    @property
    def id(self) -> str:
        return f"id_{self.spec.key}"

    @property
    def hint_id(self) -> str:
        return f"{self.id}_helptext"

    @property
    def optional(self) -> bool:
        return not self.spec.required

    @property
    def inline(self) -> bool:
        # GOV.UK: radios that reveal a follow-up are never inline.
        return self.spec.type == "yes_no" and not self.follow_ups

    @property
    def note(self) -> str:
        return str(CONTACT_NOTE) if self.spec.type == "contact" else ""


class StepForm(GovukForm):
    """The visible fields of one step; see ``build_step_form``."""

    def __init__(
        self,
        definition: Definition,
        step: StepSpec,
        *,
        answers: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        files: MultiValueDict[str, UploadedFile] | None = None,
        prefill: Mapping[str, Any] | None = None,
        organisations: Iterable[Any] = (),
        find_organisation: Callable[[str], str | None] | None = None,
        calendar: Calendar | None = None,
        week: date | None = None,
        all_fields: bool = False,
    ) -> None:
        super().__init__(data=data, files=files)
        self.definition = definition
        self.step = step
        answers = dict(answers or {})
        prefill = prefill or {}
        people = tuple(Organisation.of(organisation) for organisation in organisations)
        self.contexts = {
            spec.key: FieldContext(
                answer=answers.get(spec.key),
                organisations=people,
                find_organisation=find_organisation,
                calendar=calendar,
                week=week,
            )
            for spec in step.fields
        }
        known = drop_hidden(definition, answers)
        if self.is_bound:
            for spec in step.fields:
                field_type = FIELD_TYPES[spec.type]
                if field_type.takes_input:
                    known[spec.key] = field_type.posted(
                        spec,
                        self.data,
                        self.files,
                        prefix=spec.key,
                        context=self.contexts[spec.key],
                    )
        self.specs = list(step.fields) if all_fields else visible_fields(step, known)
        self.in_place = {} if all_fields else revealed_in_place(step)
        shown = {spec.key for spec in self.specs}
        # Follow-ups waiting for their choice: rendered (hidden), never validated or answered.
        self.waiting = [
            spec
            for spec in step.fields
            if spec.key not in shown and self.in_place.get(spec.key, ("",))[0] in shown
        ]
        self.names: dict[str, list[str]] = {}
        self.waiting_fields: dict[str, BoundField] = {}
        waiting = {spec.key for spec in self.waiting}
        for spec in [spec for spec in step.fields if spec.key in shown | waiting]:
            field_type, context = FIELD_TYPES[spec.type], self.contexts[spec.key]
            fields = field_type.form_fields(spec, spec.key, context)
            if spec.key in waiting:
                self.waiting_fields.update(
                    (name, field.get_bound_field(self, name)) for name, field in fields.items()
                )
            else:
                self.fields.update(fields)
            self.names[spec.key] = list(fields)
            answer = answers.get(spec.key)
            if answer is None:
                answer = prefill.get(spec.key)
            self.initial.update(field_type.initial(spec, answer, prefix=spec.key, context=context))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for spec in self.specs:
            errors = FIELD_TYPES[spec.type].clean(
                spec, cleaned, prefix=spec.key, context=self.contexts[spec.key]
            )
            for field_name, error in errors.items():
                self.add_error(field_name, error)
        return cleaned

    def answers(self, store_upload: StoreUpload | None = None) -> dict[str, Any]:
        """``{field_key: answer}`` for the visible fields of the step (None: no answer).

        Call once, after ``is_valid()``: ``store_upload(uploaded_file)`` stores each new file
        and returns its description, ``{"key": ...}`` at least. Merge the result into the
        case's answers and pass them through ``drop_hidden``: fields hidden now are not here.
        """
        if not self.is_valid():
            raise ValueError("A step form has answers only when it is valid.")
        result = {}
        for spec in self.specs:
            field_type = FIELD_TYPES[spec.type]
            if field_type.takes_input:
                context = replace(self.contexts[spec.key], store_upload=store_upload)
                result[spec.key] = field_type.to_answer(
                    spec, self.cleaned_data, prefix=spec.key, context=context
                )
        return result

    def field_groups(self) -> list[FieldGroup]:
        """Per field shown, in order, its bound fields (for rendering blocks as fieldsets);
        a follow-up revealed in place is in its choice's group, not in the list itself."""
        groups: dict[str, FieldGroup] = {}
        top: list[FieldGroup] = []
        for spec in self.step.fields:
            if spec.key not in self.names:
                continue
            bound = [
                self.waiting_fields[name] if name in self.waiting_fields else self[name]
                for name in self.names[spec.key]
            ]
            group = FieldGroup(spec, FIELD_TYPES[spec.type], bound)
            groups[spec.key] = group
            chooser, value = self.in_place.get(spec.key, ("", ""))
            if chooser in groups:
                groups[chooser].follow_ups.setdefault(value, []).append(group)
            else:
                top.append(group)
        return top


def build_step_form(
    definition: Definition,
    step_key: str,
    *,
    answers: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    files: MultiValueDict[str, UploadedFile] | None = None,
    prefill: Mapping[str, Any] | None = None,
    organisations: Iterable[Any] = (),
    find_organisation: Callable[[str], str | None] | None = None,
    calendar: Calendar | None = None,
    week: date | None = None,
    all_fields: bool = False,
) -> StepForm:
    """The form of the step ``step_key`` (``KeyError`` if there is none).

    ``answers`` are the case's answers so far; they give the initial values and, with the
    posted ``data``, decide which fields are visible. ``prefill`` gives initial answers where
    there is none yet, such as ``{"kontakt": <contact details from Mina uppgifter>}``.
    ``organisations`` are the person's, as ``{id, name, organisation_number}``;
    ``find_organisation(number)`` gives a registered name, so a typed-in organisation
    needs only its number. ``calendar`` gives a booking field its resource's slots, and
    ``week`` the Monday of the week to show (None: the chosen slot's, or the first with a
    free slot).
    ``all_fields`` shows every field whatever the conditions say (for a preview).
    """
    return StepForm(
        definition,
        definition.step(step_key),
        answers=answers,
        data=data,
        files=files,
        prefill=prefill,
        organisations=organisations,
        find_organisation=find_organisation,
        calendar=calendar,
        week=week,
        all_fields=all_fields,
    )

"""What every field type can do, and small helpers the types share.

A field type turns a field spec into Django form fields for a step form, the cleaned values
into the stored answer (JSON-able), a stored answer back into initial form data, and an answer
into text for the preview and PDF and data for the export.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict

from sjalvservice.eservices.definitions.schema import BaseFieldSpec

if TYPE_CHECKING:
    import datetime

    from sjalvservice.eservices.definitions.fields.booking import Calendar

SpecT = TypeVar("SpecT", bound=BaseFieldSpec)

StoreUpload = Callable[[UploadedFile], dict[str, Any]]


@dataclass(frozen=True)
class Organisation:
    """One of the person's organisations, as the caller passes them in."""

    id: int
    name: str
    organisation_number: str

    @classmethod
    def of(cls, value: Mapping[str, Any] | Any) -> Organisation:
        """From a mapping ``{id, name, organisation_number}`` or an object with those attributes."""

        def get(name: str) -> Any:
            return value[name] if isinstance(value, Mapping) else getattr(value, name)

        return cls(int(get("id")), str(get("name")), str(get("organisation_number")))


@dataclass(frozen=True)
class FieldContext:
    """What a field needs besides its spec: the stored answer (files already uploaded), the
    person's organisations, where new uploads go, how to find an organisation's
    registered name by its number (Bolagsverket, where the installation has it), and for a
    booking the resource's calendar and the week asked for."""

    answer: Any = None
    organisations: tuple[Organisation, ...] = ()
    store_upload: StoreUpload | None = None
    find_organisation: Callable[[str], str | None] | None = None
    calendar: Calendar | None = None
    week: datetime.date | None = None


NO_CONTEXT = FieldContext()


def name(prefix: str, sub: str = "") -> str:
    """The form field name of a field (``rubrik``) or of a part of a block (``kontakt__city``)."""
    return f"{prefix}__{sub}" if sub else prefix


class Finished(str):
    """A message that is complete: Django's ``message % params`` leaves it as it is.

    Django's validators format their messages with their own parameters; a label with a "%"
    in it (a definition author's text) must not be read as a %-formatting directive.
    """

    __slots__ = ()

    def __mod__(self, params: Any) -> Finished:
        return self


def say(message: str) -> str:
    """A finished message; a label that is a question must not end in "?."."""
    return Finished(message.replace("?.", "?"))


def label_of(spec: BaseFieldSpec) -> str:
    return spec.label.rstrip(" :")


def message(spec: BaseFieldSpec, key: str, default: str) -> str:
    """The field's own message for ``key`` (``errors:`` in the definition), else ``default``.

    Defaults never name the field: the label sits right above the message and the error
    summary links to the field, so "Skriv ett tal" reads well whatever the label says.
    """
    return say((spec.errors or {}).get(key) or default)


def annotate(
    field: forms.Field, spec: BaseFieldSpec, sub: str = "", *, optional: bool
) -> forms.Field:
    """Tell the template which spec (and part of a block) a Django field shows."""
    # Plain attributes on the field instance: the template reads them as field.field.spec.
    vars(field).update(spec=spec, field_type=spec.type, sub=sub, optional=optional)
    for attribute in ("maxlength", "minlength"):
        # GOV.UK: a browser that silently stops typing hides the limit; the error message says it.
        field.widget.attrs.pop(attribute, None)
    return field


class FieldType(ABC, Generic[SpecT]):
    """One field type; subclasses are registered in ``FIELD_TYPES`` under ``name``."""

    name: ClassVar[str]
    template_name: ClassVar[str] = "core/fields/input.html"
    takes_input: ClassVar[bool] = True

    def template(self, spec: SpecT) -> str:
        """The template that renders the field's group in a step form."""
        return self.template_name

    @abstractmethod
    def form_fields(
        self, spec: SpecT, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        """The Django fields for a step form, by form field name (``prefix`` or ``prefix__sub``)."""

    def clean(
        self, spec: SpecT, cleaned: Mapping[str, Any], *, prefix: str, context: FieldContext
    ) -> dict[str, ValidationError]:
        """Checks across the parts of a field, after each part is clean; errors by field name."""
        return {}

    @abstractmethod
    def to_answer(
        self,
        spec: SpecT,
        cleaned: Mapping[str, Any],
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> Any:
        """The answer to store, from the form's cleaned data (None: no answer)."""

    @abstractmethod
    def initial(
        self,
        spec: SpecT,
        answer: Any,
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any]:
        """Initial form data, by form field name, for a stored answer."""

    def display(self, spec: SpecT, answer: Any) -> str:
        """The answer as plain text for the preview and the PDF (several lines for blocks)."""
        return "" if answer is None else str(answer)

    def export(self, spec: SpecT, answer: Any) -> Any:
        """The answer as JSON-able data for the API and other systems."""
        return answer

    def posted(
        self,
        spec: SpecT,
        data: Mapping[str, Any],
        files: MultiValueDict[str, UploadedFile],
        *,
        prefix: str,
        context: FieldContext,
    ) -> Any:
        """The answer the posted data would give, for conditions on later fields of the step.

        A valid part counts as its clean value, an invalid one as what was typed.
        """
        fields = self.form_fields(spec, prefix, context)
        cleaned: dict[str, Any] = {}
        raw: dict[str, Any] = {}
        for field_name, field in fields.items():
            raw[field_name] = field.widget.value_from_datadict(data, files, field_name)
            try:
                cleaned[field_name] = field.clean(raw[field_name])
            except ValidationError:
                cleaned[field_name] = None
        if any(cleaned[field_name] is None and raw[field_name] for field_name in fields):
            return raw.get(prefix, raw)
        return self.to_answer(spec, cleaned, prefix=prefix, context=context)


class SingleFieldType(FieldType[SpecT]):
    """A field with one input; its form field is named by the key."""

    @abstractmethod
    def field(self, spec: SpecT, context: FieldContext) -> forms.Field:
        """The one Django field of this type."""

    def form_fields(
        self, spec: SpecT, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        return {prefix: annotate(self.field(spec, context), spec, optional=not spec.required)}

    def to_answer(
        self,
        spec: SpecT,
        cleaned: Mapping[str, Any],
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> Any:
        value = cleaned.get(prefix or spec.key)
        return None if value in (None, "", [], ()) else self.answer(spec, value)

    def answer(self, spec: SpecT, value: Any) -> Any:
        """The stored answer for a clean, non-empty value."""
        return value

    def initial(
        self,
        spec: SpecT,
        answer: Any,
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any]:
        return {} if answer is None else {prefix or spec.key: self.initial_value(spec, answer)}

    def initial_value(self, spec: SpecT, answer: Any) -> Any:
        return answer

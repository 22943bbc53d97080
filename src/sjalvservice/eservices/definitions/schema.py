"""The e-service definition format: pydantic models, parsing with Swedish problems, and the
content hash that identifies a published version.

The format is the shared contract in schema.md; this module is its executable form. A
``Definition`` that exists has passed every check: the structure (pydantic) and the rules that
span several parts, such as unique keys and conditions that look back (``checks``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

import yaml
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from sjalvservice.eservices.definitions.checks import problems_of
from sjalvservice.eservices.definitions.problems import (
    DefinitionError,
    Problem,
    problems_from_validation_error,
)

SLUG_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"
DEFAULT_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "heic", "docx", "xlsx", "odt", "txt")

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
# The short name of a municipality's queue or bookable resource (a Django slug).
ReservationSlug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,79}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _empty_to_none(value: Any) -> Any:
    # `hint: ""` and a missing hint mean the same; one spelling keeps the hash the same too.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(_("Ange ett tal."))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("Ange ett tal."))
        if value.is_integer():
            return int(value)  # 5.0 and 5 are the same limit, and hash the same
    return value


def _date_limit(value: Any) -> Any:
    if value == "today" or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_("Ange ett datum som ÅÅÅÅ-MM-DD eller ordet today."))


def _scalar(value: Any) -> Any:
    if isinstance(value, str | bool | int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    raise ValueError(_("Ange en text, ett tal eller true/false."))


def _extension(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9]{1,10}", value.lower().lstrip(".")):
        raise ValueError(
            _("Ogiltig filändelse: %(value)s. Skriv till exempel pdf eller jpg.") % {"value": value}
        )
    return value.lower().lstrip(".")


OptionalText = Annotated[Text | None, BeforeValidator(_empty_to_none)]
Number = Annotated[int | float, BeforeValidator(_number)]
DateLimit = Annotated[date | Literal["today"], BeforeValidator(_date_limit)]
ConditionValue = Annotated[str | bool | int | float, BeforeValidator(_scalar)]
Extension = Annotated[str, BeforeValidator(_extension)]


class _Spec(BaseModel):
    # Frozen: a published definition never changes. Unknown keys are errors: a misspelt
    # option would otherwise be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Condition(_Spec):
    """Show a step or field only when an earlier field's answer matches; exactly one operator.

    ``not_empty: false`` means the field has no answer.
    """

    field: Slug
    equals: ConditionValue | None = None
    in_: Annotated[tuple[ConditionValue, ...], Field(min_length=1)] | None = Field(
        default=None, alias="in"
    )
    not_empty: bool | None = None

    @model_validator(mode="after")
    def _exactly_one_operator(self) -> Self:
        if sum(value is not None for value in (self.equals, self.in_, self.not_empty)) != 1:
            raise ValueError(_("Ett villkor ska ha exakt en av equals, in och not_empty."))
        return self

    @model_serializer(mode="wrap")
    def _only_the_operator(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}

    @property
    def values(self) -> tuple[str | bool | int | float, ...]:
        """The values compared with (one for ``equals``; none for ``not_empty``)."""
        if self.equals is not None:
            return (self.equals,)
        return self.in_ or ()


class BaseFieldSpec(_Spec):
    key: Slug
    type: str
    label: Text
    hint: OptionalText = None
    required: bool = False
    condition: Condition | None = None
    # The field's own error messages, by kind of error; the kinds each type has are in
    # ``error_keys`` (and in docs/eservice-definitions.md). Omitted: the type's defaults.
    errors: dict[str, Text] | None = None

    error_keys: ClassVar[tuple[str, ...]] = ("required",)

    @field_validator("errors")
    @classmethod
    def _known_error_keys(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        unknown = [key for key in value if key not in cls.error_keys]
        if unknown:
            if cls.error_keys:
                raise ValueError(
                    _("Okänd sorts fel i errors: %(keys)s. Fälttypen har: %(known)s.")
                    % {"keys": ", ".join(unknown), "known": ", ".join(cls.error_keys)}
                )
            raise ValueError(
                _("Fälttypen har inga egna felmeddelanden; ta bort errors (fel: %(keys)s).")
                % {"keys": ", ".join(unknown)}
            )
        return dict(value) or None

    @model_serializer(mode="wrap")
    def _no_errors_no_key(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Written out only when set: fields without messages of their own keep the hash.
        data: dict[str, Any] = handler(self)
        if data.get("errors") is None:
            data.pop("errors", None)
        return data


class TextSpec(BaseFieldSpec):
    type: Literal["text"] = "text"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "min_length", "max_length")
    min_length: NonNegativeInt | None = None
    max_length: PositiveInt = 200
    pattern: str | None = None
    pattern_message: OptionalText = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(
                    _(
                        "Mönstret är inte ett giltigt reguljärt uttryck "
                        "(tecken %(position)s: %(error)s)."
                    )
                    % {"position": (error.pos or 0) + 1, "error": error.msg}
                ) from error
        return value


class TextareaSpec(BaseFieldSpec):
    type: Literal["textarea"] = "textarea"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "min_length", "max_length")
    min_length: NonNegativeInt | None = None
    max_length: PositiveInt = 10000
    rows: int = Field(default=5, ge=1, le=50)


class NumberSpec(BaseFieldSpec):
    type: Literal["number"] = "number"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "invalid", "decimals", "min", "max")
    min: Number | None = None
    max: Number | None = None
    decimals: int = Field(default=0, ge=0, le=6)


class EmailSpec(BaseFieldSpec):
    type: Literal["email"] = "email"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "invalid")


class PhoneSpec(BaseFieldSpec):
    type: Literal["phone"] = "phone"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "invalid")


class DateSpec(BaseFieldSpec):
    type: Literal["date"] = "date"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "invalid", "min", "max")
    min: DateLimit | None = None
    max: DateLimit | None = None


class PersonalIdentityNumberSpec(BaseFieldSpec):
    type: Literal["personal_identity_number"] = "personal_identity_number"


class ConsentSpec(BaseFieldSpec):
    type: Literal["consent"] = "consent"
    text: OptionalText = None


class Choice(_Spec):
    value: Text
    label: Text


class ChoiceSpec(BaseFieldSpec):
    type: Literal["choice"] = "choice"
    choices: tuple[Choice, ...] = Field(min_length=1)
    widget: Literal["radio", "select"] = "radio"


class MultipleChoiceSpec(BaseFieldSpec):
    type: Literal["multiple_choice"] = "multiple_choice"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "min_choices", "max_choices")
    choices: tuple[Choice, ...] = Field(min_length=1)
    min_choices: PositiveInt | None = None
    max_choices: PositiveInt | None = None


class YesNoSpec(BaseFieldSpec):
    type: Literal["yes_no"] = "yes_no"


class FileSpec(BaseFieldSpec):
    type: Literal["file"] = "file"
    error_keys: ClassVar[tuple[str, ...]] = ("required", "max_files")
    max_files: int = Field(default=5, ge=1, le=100)
    max_size_mb: PositiveInt = 50
    extensions: tuple[Extension, ...] = Field(default=DEFAULT_EXTENSIONS, min_length=1)

    @field_validator("extensions")
    @classmethod
    def _once_each(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))


class InfoSpec(BaseFieldSpec):
    type: Literal["info"] = "info"
    error_keys: ClassVar[tuple[str, ...]] = ()
    text: Text


class AddressSpec(BaseFieldSpec):
    type: Literal["address"] = "address"
    error_keys: ClassVar[tuple[str, ...]] = ()


class ContactSpec(BaseFieldSpec):
    type: Literal["contact"] = "contact"
    error_keys: ClassVar[tuple[str, ...]] = ()


class OrganisationSpec(BaseFieldSpec):
    type: Literal["organisation"] = "organisation"


class BookingSpec(BaseFieldSpec):
    """ "Tidsbokning": the person picks a free slot of the municipality's resource by week;
    submitting the case books it."""

    type: Literal["booking"] = "booking"
    resource: ReservationSlug


FieldSpec = Annotated[
    TextSpec
    | TextareaSpec
    | NumberSpec
    | EmailSpec
    | PhoneSpec
    | DateSpec
    | PersonalIdentityNumberSpec
    | ConsentSpec
    | ChoiceSpec
    | MultipleChoiceSpec
    | YesNoSpec
    | FileSpec
    | InfoSpec
    | AddressSpec
    | ContactSpec
    | OrganisationSpec
    | BookingSpec,
    Field(discriminator="type"),
]

FIELD_SPECS: dict[str, type[BaseFieldSpec]] = {
    model.model_fields["type"].default: model
    for model in (
        TextSpec, TextareaSpec, NumberSpec, EmailSpec, PhoneSpec, DateSpec,
        PersonalIdentityNumberSpec, ConsentSpec, ChoiceSpec, MultipleChoiceSpec, YesNoSpec,
        FileSpec, InfoSpec, AddressSpec, ContactSpec, OrganisationSpec, BookingSpec,
    )
}  # fmt: skip


class StepSpec(_Spec):
    key: Slug
    title: Text
    condition: Condition | None = None
    fields: tuple[FieldSpec, ...] = Field(min_length=1)


class StatusKind(models.TextChoices):
    """What a status means to the portal; the statuses themselves are named freely.

    The one list of kinds: the ``Status`` model stores them and definitions name them.
    """

    DRAFT = "DRAFT", gettext_lazy("Sparat")
    SUBMITTED = "SUBMITTED", gettext_lazy("Inskickat")
    IN_PROGRESS = "IN_PROGRESS", gettext_lazy("Under behandling")
    AWAITING_SUPPLEMENT = "AWAITING_SUPPLEMENT", gettext_lazy("Väntar på komplettering")
    SUPPLEMENTED = "SUPPLEMENTED", gettext_lazy("Kompletterat")
    CLOSED = "CLOSED", gettext_lazy("Avslutat")


class StatusSpec(_Spec):
    name: Text
    kind: StatusKind


# The shared default statuses, one per kind in the kinds' order: every definition that names
# no statuses of its own has these, and a status with one of these names is the shared one.
DEFAULT_STATUSES: tuple[StatusSpec, ...] = (
    StatusSpec(name="Sparat", kind=StatusKind.DRAFT),
    StatusSpec(name="Inskickat", kind=StatusKind.SUBMITTED),
    StatusSpec(name="Under behandling", kind=StatusKind.IN_PROGRESS),
    StatusSpec(name="Väntar på komplettering", kind=StatusKind.AWAITING_SUPPLEMENT),
    StatusSpec(name="Kompletterat", kind=StatusKind.SUPPLEMENTED),
    StatusSpec(name="Avslutat", kind=StatusKind.CLOSED),
)


class OnSubmitSpec(_Spec):
    message: OptionalText = None


class QueueRule(_Spec):
    """Put the applicant in the municipality's queue ``slug``: when the case is submitted, or
    when a handler sets the status named ``status`` (such as "Beviljat")."""

    slug: ReservationSlug
    status: OptionalText = None


class FieldTexts(_Spec):
    """A field's texts in another language; what is left out is shown in Swedish."""

    label: OptionalText = None
    hint: OptionalText = None
    text: OptionalText = None
    pattern_message: OptionalText = None
    choices: dict[str, Text] | None = None  # choice value -> label
    errors: dict[str, Text] | None = None  # kind of error -> message


class StepTexts(_Spec):
    title: OptionalText = None


class LanguageTexts(_Spec):
    """The texts of a definition in one other language, keyed by the keys of its steps,
    fields and choices and by the names of its own statuses (``translations.en``)."""

    title: OptionalText = None
    steps: dict[Slug, StepTexts] | None = None
    fields: dict[Slug, FieldTexts] | None = None
    statuses: dict[str, Text] | None = None  # Swedish name -> name in the language
    on_submit: OnSubmitSpec | None = None


def _other_languages() -> tuple[str, ...]:
    from django.conf import settings

    return tuple(code for code, _name in settings.LANGUAGES if code != "sv")


class Definition(_Spec):
    """A whole e-service form. Create one with ``parse_definition``."""

    schema_version: Literal[1]
    title: Text
    steps: tuple[StepSpec, ...] = Field(min_length=1)
    statuses: tuple[StatusSpec, ...] = DEFAULT_STATUSES
    on_submit: Annotated[OnSubmitSpec, BeforeValidator(lambda v: {} if v is None else v)] = (
        OnSubmitSpec()
    )
    queue: QueueRule | None = None
    # The texts in the portal's other languages (``en``); see translations.py.
    translations: dict[str, LanguageTexts] | None = None

    @field_validator("translations")
    @classmethod
    def _known_languages(
        cls, value: dict[str, LanguageTexts] | None
    ) -> dict[str, LanguageTexts] | None:
        if value is None:
            return None
        unknown = [code for code in value if code not in _other_languages()]
        if unknown:
            raise ValueError(
                _("Okänt språk i translations: %(codes)s. Texterna kan översättas till: %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(_other_languages())}
            )
        return dict(value) or None

    @model_serializer(mode="wrap")
    def _no_queue_no_key(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Written out only when set: definitions without a queue or translations keep their
        # content hash; so do translations without the parts they leave out.
        data: dict[str, Any] = handler(self)
        for key in ("queue", "translations"):
            if data.get(key) is None:
                data.pop(key, None)
        if "translations" in data:
            data["translations"] = without_nulls(data["translations"])
        return data

    @model_validator(mode="after")
    def _rules_across_parts(self) -> Self:
        problems = list(problems_of(self))
        if problems:
            raise DefinitionError(problems)
        return self

    def to_document(self) -> dict[str, Any]:
        """The definition as JSON-able data, every default written out (for a JSONField)."""
        return self.model_dump(mode="json", by_alias=True)

    def step(self, key: str) -> StepSpec:
        """The step with this key; ``KeyError`` if there is none."""
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def fields(self) -> Iterator[FieldSpec]:
        """Every field of every step, in order."""
        for step in self.steps:
            yield from step.fields

    def booking_field(self) -> BookingSpec | None:
        """The one booking field, if the e-service books a resource."""
        return next((f for f in self.fields() if isinstance(f, BookingSpec)), None)

    def field(self, key: str) -> FieldSpec:
        """The field with this key; ``KeyError`` if there is none."""
        for field in self.fields():
            if field.key == key:
                return field
        raise KeyError(key)

    def case_title(self, answers: dict[str, Any], *, limit: int = 80) -> str:
        """A short name for a case from its first answered one-line text field, such as
        "Bänk vid älven": what tells a person's drafts of one e-service apart, and a
        handler's cases in the inbox. Empty when no such field has an answer yet.

        Cut at a word boundary, with an ellipsis, when longer than ``limit``.
        """
        for field in self.fields():
            if not isinstance(field, TextSpec):
                continue
            value = answers.get(field.key)
            if not isinstance(value, str):
                continue
            text = " ".join(value.split())
            if not text:
                continue
            if len(text) <= limit:
                return text
            cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
            return cut.rstrip(" ,.;:-") + "…"
        return ""


def without_nulls(data: Any) -> Any:
    """``data`` without the keys whose value is null (the defaults, or what is left out),
    for people to read and for the parts that keep the hash. Parsing fills the defaults in
    again, so the content hash does not change."""
    if isinstance(data, dict):
        return {key: without_nulls(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [without_nulls(item) for item in data]
    return data


def _known_keys() -> set[str]:
    models: list[type[BaseModel]] = [
        Definition, StepSpec, StatusSpec, OnSubmitSpec, QueueRule, Condition, Choice,
        LanguageTexts, StepTexts, FieldTexts, *FIELD_SPECS.values(),
    ]  # fmt: skip
    return {info.alias or name for model in models for name, info in model.model_fields.items()}


def parse_definition(data: Any) -> Definition:
    """Validate YAML/JSON data as a definition; ``DefinitionError`` lists every problem found.

    The structure is checked first; the rules across parts (unique keys, conditions, statuses)
    only once the structure is right, since they need it.
    """
    if isinstance(data, Definition):
        return data
    if not isinstance(data, Mapping):
        raise DefinitionError(
            [
                Problem(
                    "", _("Definitionen ska vara ett objekt med schema_version, title och steps.")
                )
            ]
        )
    try:
        return Definition.model_validate(data)
    except ValidationError as error:
        problems = problems_from_validation_error(
            error, union_tags=FIELD_SPECS.keys(), known_keys=_known_keys()
        )
        raise DefinitionError(problems) from error


class _DuplicateKey(yaml.MarkedYAMLError):
    def __init__(self, key: Any, mark: yaml.Mark) -> None:
        super().__init__(problem=f"duplicate key {key!r}", problem_mark=mark)
        self.key = key
        self.line = mark.line + 1


# How deep lists and objects may nest in a definition's text. A definition needs about ten
# levels; the parser goes one level deeper per call, and a text nested thousands of levels
# deep would exhaust Python's stack (RecursionError) instead of getting an answer.
MAX_DEPTH = 50


class _TooDeep(yaml.MarkedYAMLError):
    def __init__(self, mark: yaml.Mark) -> None:
        super().__init__(problem=f"nested deeper than {MAX_DEPTH} levels", problem_mark=mark)
        self.line = mark.line + 1


class _Loader(yaml.SafeLoader):
    """The safe loader, except that a key given twice is an error instead of the last
    winning, and that nesting deeper than ``MAX_DEPTH`` is refused."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:
                continue  # an unhashable key; the safe loader itself refuses it
            if duplicate:
                raise _DuplicateKey(key, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def dump_yaml(data: Any) -> str:
    """YAML for people: keys in the given order, å/ä/ö as they are, long texts as blocks
    (what ``load_definition_text`` reads back)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def load_definition_text(text: str) -> Any:
    """Parse YAML (JSON is YAML too) into plain data; ``DefinitionError`` on a syntax error
    or on nesting deeper than ``MAX_DEPTH``."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except _DuplicateKey as error:
        message = _("Nyckeln %(key)s finns två gånger i samma objekt (rad %(line)s).") % {
            "key": f"'{error.key}'",
            "line": error.line,
        }
    except _TooDeep as error:
        message = _(
            "Texten har fler än %(limit)s nivåer av listor och objekt inuti varandra (rad "
            "%(line)s). En definition behöver långt färre."
        ) % {"limit": MAX_DEPTH, "line": error.line}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if mark is None:
            message = _("Texten går inte att läsa som YAML eller JSON.")
        else:
            message = _(
                "Texten går inte att läsa som YAML eller JSON. Felet finns på rad %(line)s, "
                "tecken %(column)s."
            ) % {"line": mark.line + 1, "column": mark.column + 1}
    except yaml.YAMLError:
        message = _("Texten går inte att läsa som YAML eller JSON.")
    except ValueError:
        # YAML reads 2026-13-45 as a date, one that does not exist.
        message = _(
            "Texten har ett datum som inte finns, till exempel 2026-13-45. Sätt det inom "
            "citattecken om det ska vara en text."
        )
    raise DefinitionError([Problem("", message)])


def canonical_json(definition: Definition) -> str:
    """One text per meaning: sorted keys, no spaces, every default written out."""
    return json.dumps(
        definition.to_document(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def content_hash(definition: Definition) -> str:
    """The SHA-256 (hex) of the canonical JSON: equal definitions hash equally."""
    return hashlib.sha256(canonical_json(definition).encode()).hexdigest()

"""A definition's texts in the portal's other languages (``translations.en``).

A definition is written in Swedish; ``translations`` gives any of its texts in English, keyed by
the keys of its steps, fields and choices and by the names of its own statuses. A page in
English shows the English text where there is one and the Swedish text, marked as Swedish
(``core.languages.SwedishText``), where there is none. ``untranslated`` lists what is missing,
for the people who write e-services.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sjalvservice.core.languages import SwedishText, is_swedish
from sjalvservice.eservices.definitions.problems import Problem

if TYPE_CHECKING:
    from sjalvservice.eservices.definitions.schema import (
        Definition,
        FieldSpec,
        FieldTexts,
        LanguageTexts,
    )

# Field options that are texts a resident reads, besides label and hint.
_TEXT_OPTIONS = ("text", "pattern_message")


def in_language(definition: Definition, language: str | None) -> Definition:
    """``definition`` with its texts in ``language`` (the current language when None): the
    translation where there is one, else the Swedish text as a ``SwedishText`` (an error
    message, else the field type's own message in the language). Keys, values,
    conditions and status names stay as they are, so answers and cases are the same whatever
    language they were given in."""
    if is_swedish(language):
        return definition
    texts = (definition.translations or {}).get(language or get_language())
    field_texts = (texts.fields if texts else None) or {}
    step_texts = (texts.steps if texts else None) or {}
    steps = []
    for step in definition.steps:
        fields = tuple(_field(field, field_texts.get(field.key)) for field in step.fields)
        own = step_texts.get(step.key)
        title = _text(step.title, own.title if own else None)
        steps.append(step.model_copy(update={"title": title, "fields": fields}))
    message = texts.on_submit.message if texts and texts.on_submit else None
    on_submit = definition.on_submit.model_copy(
        update={"message": _text(definition.on_submit.message, message)}
    )
    return definition.model_copy(
        update={
            "title": _text(definition.title, texts.title if texts else None),
            "steps": tuple(steps),
            "on_submit": on_submit,
        }
    )


def _field(field: FieldSpec, texts: FieldTexts | None) -> FieldSpec:
    update: dict[str, Any] = {
        "label": _text(field.label, texts.label if texts else None),
        "hint": _text(field.hint, texts.hint if texts else None),
    }
    for name in _TEXT_OPTIONS:
        if name in type(field).model_fields:
            update[name] = _text(getattr(field, name), getattr(texts, name) if texts else None)
    if field.errors:
        # An error message without a translation gives way to the type's own message in
        # the language ("Enter your answer"), not to the Swedish one.
        own = (texts.errors if texts else None) or {}
        update["errors"] = {kind: own[kind] for kind in field.errors if own.get(kind)} or None
    choices = getattr(field, "choices", None)
    if choices:
        labels = (texts.choices if texts else None) or {}
        update["choices"] = tuple(
            choice.model_copy(update={"label": _text(choice.label, labels.get(choice.value))})
            for choice in choices
        )
    return field.model_copy(update=update)


def _text(swedish: Any, translated: str | None) -> Any:
    if translated:
        return translated
    if isinstance(swedish, str):
        return SwedishText(swedish)
    return swedish


@dataclass(frozen=True)
class Missing:
    """A text of the definition without a translation: where it is and what it says."""

    path: str  # as in translations.en, e.g. "fields.plats.hint"
    swedish: str

    @property
    def parts(self) -> list[str]:
        return self.path.split(".")


def untranslated(definition: Definition, language: str) -> list[Missing]:
    """Every text of ``definition`` that has no ``language`` translation, in the order of the
    form."""
    texts = (definition.translations or {}).get(language)
    return list(_missing(definition, texts))


def _missing(definition: Definition, texts: LanguageTexts | None) -> Iterator[Missing]:
    def given(value: str | None) -> bool:
        return bool(value)

    if not given(texts.title if texts else None):
        yield Missing("title", definition.title)
    steps = (texts.steps if texts else None) or {}
    fields = (texts.fields if texts else None) or {}
    for step in definition.steps:
        step_texts = steps.get(step.key)
        if not given(step_texts.title if step_texts else None):
            yield Missing(f"steps.{step.key}.title", step.title)
        for field in step.fields:
            own = fields.get(field.key)
            path = f"fields.{field.key}"
            for name in ("label", "hint", *_TEXT_OPTIONS):
                swedish = getattr(field, name, None)
                if swedish and not given(getattr(own, name) if own else None):
                    yield Missing(f"{path}.{name}", swedish)
            for value, label in ((c.value, c.label) for c in getattr(field, "choices", ()) or ()):
                if not given(((own.choices if own else None) or {}).get(value)):
                    yield Missing(f"{path}.choices.{value}", label)
            for kind, message in (field.errors or {}).items():
                if not given(((own.errors if own else None) or {}).get(kind)):
                    yield Missing(f"{path}.errors.{kind}", message)
    statuses = (texts.statuses if texts else None) or {}
    for name in own_status_names(definition):
        if not given(statuses.get(name)):
            yield Missing(f"statuses.{name}", name)
    receipt = definition.on_submit.message
    if receipt and not given(texts.on_submit.message if texts and texts.on_submit else None):
        yield Missing("on_submit.message", receipt)


def own_status_names(definition: Definition) -> list[str]:
    """The names of the definition's statuses that are not shared defaults (those are
    translated with the portal)."""
    from sjalvservice.eservices.definitions.schema import DEFAULT_STATUSES

    shared = {status.name for status in DEFAULT_STATUSES}
    return [status.name for status in definition.statuses if status.name not in shared]


def problems_of_translations(definition: Definition) -> Iterator[Problem]:
    """A translation must name parts the definition has, and texts those parts have."""
    for language, texts in (definition.translations or {}).items():
        path = f"translations.{language}"
        steps = {step.key for step in definition.steps}
        for key in texts.steps or {}:
            if key not in steps:
                yield Problem(f"{path}.steps.{key}", _unknown(_("steg"), key))
        fields = {field.key: field for field in definition.fields()}
        for key, own in (texts.fields or {}).items():
            field = fields.get(key)
            if field is None:
                yield Problem(f"{path}.fields.{key}", _unknown(_("fält"), key))
                continue
            yield from _field_problems(field, own, f"{path}.fields.{key}")
        own_statuses = own_status_names(definition)
        for name in texts.statuses or {}:
            if name not in own_statuses:
                yield Problem(
                    f"{path}.statuses.{name}",
                    _(
                        "E-tjänsten har ingen egen status som heter %(name)s. Översätt bara "
                        "e-tjänstens egna statusar; standardstatusarna är redan översatta."
                    )
                    % {"name": f"'{name}'"},
                )
        if texts.on_submit and texts.on_submit.message and not definition.on_submit.message:
            yield Problem(f"{path}.on_submit.message", _nothing_to_translate())


def _field_problems(field: FieldSpec, texts: FieldTexts, path: str) -> Iterator[Problem]:
    for name in ("hint", *_TEXT_OPTIONS):
        if getattr(texts, name) and not getattr(field, name, None):
            yield Problem(f"{path}.{name}", _nothing_to_translate())
    values = [choice.value for choice in getattr(field, "choices", ()) or ()]
    for value in texts.choices or {}:
        if value not in values:
            yield Problem(f"{path}.choices.{value}", _unknown(_("alternativ"), value))
    for kind in texts.errors or {}:
        if kind not in (field.errors or {}):
            yield Problem(
                f"{path}.errors.{kind}",
                _(
                    "Fältet har inget eget felmeddelande av sorten %(kind)s att översätta. "
                    "Ge det på svenska i fältets errors först."
                )
                % {"kind": kind},
            )


def _nothing_to_translate() -> str:
    return _("Det finns ingen svensk text här att översätta.")


def _unknown(part: str, key: str) -> str:
    return _("E-tjänsten har inget %(part)s med nyckeln %(key)s.") % {
        "part": part,
        "key": f"'{key}'",
    }

"""The forms of the form builder: a step, a new field, one field's options, the statuses.

Each form only reads what was typed; ``eservices.builder`` makes the change and the view
keeps it only if the definition checks find nothing new wrong, showing what they found on
the form otherwise. Swedish and English texts stand side by side.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sjalvservice.backoffice.forms import BackOfficeForm
from sjalvservice.eservices import builder
from sjalvservice.eservices.definitions import StatusKind
from sjalvservice.eservices.definitions.schema import BaseFieldSpec

TEXT = {"class": "govuk-input"}
ENGLISH = {"class": "govuk-input", "lang": "en"}
NUMBER = {
    "class": "govuk-input govuk-input--width-5",
    "inputmode": "numeric",
    "spellcheck": "false",
}

# The field types as an editor knows them, in the order the builder offers them.
TYPE_LABELS = {
    "text": _("Kort text"),
    "textarea": _("Lång text"),
    "choice": _("Ett val av flera"),
    "multiple_choice": _("Flera val"),
    "yes_no": _("Ja eller nej"),
    "number": _("Tal"),
    "date": _("Datum"),
    "email": _("E-postadress"),
    "phone": _("Telefonnummer"),
    "personal_identity_number": _("Personnummer"),
    "file": _("Filer"),
    "contact": _("Kontaktuppgifter (den inloggades)"),
    "address": _("Adress"),
    "organisation": _("Organisation"),
    "consent": _("Samtycke"),
    "info": _("Informationstext"),
    "booking": _("Tidsbokning"),
}
CHOICE_TYPES = ("choice", "multiple_choice")
SPEC_CLASSES: dict[str, type[BaseFieldSpec]] = {
    cls.model_fields["type"].default: cls for cls in BaseFieldSpec.__subclasses__()
}
# Each type's own options: (name in the definition, Django field).
ERROR_LABELS = {
    "required": _("Felmeddelande när fältet inte är ifyllt"),
    "min_length": _("Felmeddelande när texten är för kort"),
    "max_length": _("Felmeddelande när texten är för lång"),
    "invalid": _("Felmeddelande när svaret inte går att läsa"),
    "decimals": _("Felmeddelande vid för många decimaler"),
    "min": _("Felmeddelande när svaret är för litet eller tidigt"),
    "max": _("Felmeddelande när svaret är för stort eller sent"),
    "min_choices": _("Felmeddelande vid för få val"),
    "max_choices": _("Felmeddelande vid för många val"),
    "max_files": _("Felmeddelande vid för många filer"),
}


def _text(label: Any, *, english: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.TextInput(attrs=ENGLISH if english else TEXT),
        **kwargs,
    )  # fmt: skip


def _area(label: Any, *, english: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    attrs = {"class": "govuk-textarea", "rows": rows, **({"lang": "en"} if english else {})}
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs=attrs), **kwargs
    )


def _whole(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, widget=forms.TextInput(attrs=NUMBER),
        error_messages={"invalid": _("Skriv ett heltal, till exempel 10")}, **kwargs,
    )  # fmt: skip


def _optional(field: forms.Field) -> forms.Field:
    field.optional = True  # type: ignore[attr-defined]
    return field


class _Condition(BackOfficeForm):
    """ "Visa bara om": a field before this one, an operator and a value."""

    condition_field = forms.ChoiceField(
        label=_("Visa bara om fältet"), required=False,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Välj ett fält som kommer före")},
    )  # fmt: skip
    condition_operator = forms.ChoiceField(
        label=_("Villkor"), required=False,
        choices=[(builder.EQUALS, _("har svaret")), (builder.IN, _("har något av svaren")),
                 (builder.NOT_EMPTY, _("är ifyllt"))],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )  # fmt: skip
    condition_value = _optional(
        _text(_("Svar"), help_text=_("Alternativets värde, eller flera åtskilda med komma."))
    )

    def set_condition_choices(self, earlier: list[dict[str, Any]]) -> None:
        self.fields["condition_field"].choices = [  # type: ignore[attr-defined]
            ("", _("Visa alltid")),
            *(
                (each["key"], f"{each.get('label', each['key'])} ({each['key']})")
                for each in earlier
            ),
        ]

    def condition(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        return builder.condition_from(
            data["condition_field"], data["condition_operator"] or builder.EQUALS,
            data["condition_value"],
        )  # fmt: skip


class TextsForm(BackOfficeForm):
    """The form's own texts: its title above every step and the receipt's message."""

    title = forms.CharField(
        label=_("Formulärets rubrik"), max_length=200, widget=forms.TextInput(attrs=TEXT),
        help_text=_("Visas överst på varje steg och på kvittot."),
        error_messages={"required": _("Skriv formulärets rubrik")},
    )  # fmt: skip
    title_en = _optional(_text(_("Rubriken på engelska"), english=True, max_length=200))
    receipt = _optional(_area(
        _("Text på kvittot"), rows=4, max_length=2000,
        help_text=_("Vad som händer nu, till exempel när den sökande får besked."),
    ))  # fmt: skip
    receipt_en = _optional(_area(_("Texten på engelska"), english=True, rows=4, max_length=2000))


class AddStepForm(BackOfficeForm):
    title = forms.CharField(
        label=_("Stegets rubrik"), max_length=200, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("Skriv stegets rubrik")},
    )  # fmt: skip
    title_en = _optional(_text(_("Rubriken på engelska"), english=True, max_length=200))


class StepForm(_Condition):
    field_order = ["title", "title_en"]

    title = AddStepForm.base_fields["title"]
    title_en = AddStepForm.base_fields["title_en"]


class AddFieldForm(BackOfficeForm):
    """A new field: its type and question; the type's other options come after."""

    type = forms.ChoiceField(
        label=_("Typ av fält"), choices=list(TYPE_LABELS.items()),
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": _("Välj vilken typ av fält det ska vara"),
                        "invalid_choice": _("Välj vilken typ av fält det ska vara")},
    )  # fmt: skip
    label = forms.CharField(
        label=_("Fråga eller rubrik"), max_length=300, widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": _("Skriv fältets fråga, till exempel Var finns felet?")},
    )  # fmt: skip
    label_en = _optional(_text(_("Frågan på engelska"), english=True, max_length=300))
    choices = _optional(_area(
        _("Svarsalternativ (för val)"), rows=5,
        help_text=_("Ett alternativ per rad: text | text på engelska. Behövs för Ett val av "
                    "flera och Flera val."),
    ))  # fmt: skip

    def parsed_choices(self) -> list[tuple[str, str, str]] | None:
        if self.cleaned_data["type"] not in CHOICE_TYPES:
            return None
        return parse_choices(self.cleaned_data["choices"], [])


def parse_choices(text: str, existing: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Lines of "text | English text" as (value, text, English); a text that a choice
    already has keeps that choice's value (conditions compare with it), a new one gets a
    value made from its text."""
    values = {choice.get("label"): choice.get("value") for choice in existing}
    taken = {str(value) for value in values.values()}
    parsed = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not parts[0]:
            continue
        label, english = parts[0], (parts[1] if len(parts) > 1 else "")
        value = values.get(label) or builder.new_key(label, taken)
        taken.add(str(value))
        parsed.append((str(value), label, english))
    return parsed


def choices_text(field: dict[str, Any], english: dict[str, Any]) -> str:
    translated = english.get("choices") or {}
    return "\n".join(
        " | ".join(filter(None, [str(choice.get("label", "")),
                                 translated.get(str(choice.get("value")), "")]))
        for choice in field.get("choices") or []
    )  # fmt: skip


class FieldForm(_Condition):
    """One field: its question and hint in both languages, required, its condition, the
    options of its type and its own error messages."""

    label = AddFieldForm.base_fields["label"]
    label_en = AddFieldForm.base_fields["label_en"]
    key = forms.CharField(
        label=_("Nyckel"), max_length=50,
        help_text=_("Fältets namn i svaren, exporten och villkoren: små bokstäver, siffror "
                    "och understreck."),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-one-half",
                                      "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": _("Skriv fältets nyckel, till exempel var_finns_felet")},
    )  # fmt: skip
    hint = _optional(_area(_("Hjälptext"), max_length=1000))
    hint_en = _optional(_area(_("Hjälptexten på engelska"), english=True, max_length=1000))
    required = forms.BooleanField(
        label=_("Den sökande måste svara"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )  # fmt: skip

    def __init__(
        self, *args: Any, field: dict[str, Any], english: dict[str, Any],
        earlier: list[dict[str, Any]], **kwargs: Any,
    ) -> None:  # fmt: skip
        self.spec_type = str(field.get("type", ""))
        self.spec_field = field
        spec = SPEC_CLASSES.get(self.spec_type, BaseFieldSpec)
        options = self._options(spec)
        initial = {
            "label": field.get("label", ""), "label_en": english.get("label", ""),
            "key": field.get("key", ""),
            "hint": field.get("hint") or "", "hint_en": english.get("hint", ""),
            "required": bool(field.get("required")),
        }  # fmt: skip
        for name in options:
            initial[name] = _initial(name, field, english)
        (initial["condition_field"], initial["condition_operator"],
         initial["condition_value"]) = builder.condition_of(field)  # fmt: skip
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields.update(options)
        if self.spec_type == "info":
            del self.fields["required"]
        self.set_condition_choices(earlier)
        self.option_names = list(options)

    def _options(self, spec: type[BaseFieldSpec]) -> dict[str, forms.Field]:
        options: dict[str, forms.Field] = {}
        names = set(spec.model_fields)
        if "text" in names:
            options["text"] = _area(_("Text"), rows=4)
            options["text_en"] = _optional(_area(_("Texten på engelska"), english=True, rows=4))
        if "choices" in names:
            options["choices"] = _area(
                _("Svarsalternativ"), rows=6,
                help_text=_("Ett alternativ per rad: text | text på engelska."),
            )  # fmt: skip
        for name, label in (("min_length", _("Minsta antal tecken")),
                            ("max_length", _("Högsta antal tecken")),
                            ("min_choices", _("Minsta antal val")),
                            ("max_choices", _("Högsta antal val")),
                            ("max_files", _("Högsta antal filer")),
                            ("max_size_mb", _("Största filstorlek i MB")),
                            ("decimals", _("Antal decimaler")),
                            ("rows", _("Antal rader i rutan"))):  # fmt: skip
            if name in names:
                options[name] = _optional(_whole(label, min_value=0))
        if self.spec_type == "number":
            options["min"] = _optional(_text(_("Minsta tal")))
            options["max"] = _optional(_text(_("Största tal")))
        if self.spec_type == "date":
            options["min"] = _optional(
                _text(_("Tidigaste datum"), help_text=_("ÅÅÅÅ-MM-DD, eller today för i dag"))
            )
            options["max"] = _optional(
                _text(_("Senaste datum"), help_text=_("ÅÅÅÅ-MM-DD, eller today för i dag"))
            )
        if "pattern" in names:
            options["pattern"] = _optional(_text(
                _("Mönster som svaret ska följa"),
                help_text=_("Ett reguljärt uttryck, till exempel ^[0-9]{6}$ för sex siffror."),
            ))  # fmt: skip
            options["pattern_message"] = _optional(
                _text(_("Meddelande när svaret inte följer mönstret"), max_length=300)
            )
            options["pattern_message_en"] = _optional(
                _text(_("Meddelandet på engelska"), english=True, max_length=300)
            )
        if "extensions" in names:
            options["extensions"] = _optional(_text(
                _("Tillåtna filtyper"), help_text=_("Filändelser åtskilda med komma, till "
                                                    "exempel pdf, jpg, png"),
            ))  # fmt: skip
        if "resource" in names:
            options["resource"] = _text(_("Resursens kortnamn"))
        if "widget" in names:
            options["widget"] = forms.ChoiceField(
                label=_("Visas som"), required=False,
                choices=[("radio", _("Alternativknappar")), ("select", _("Rullgardinsmeny"))],
                widget=forms.Select(attrs={"class": "govuk-select"}),
            )  # fmt: skip
        for kind in spec.error_keys:
            error_label: Any = ERROR_LABELS.get(kind) or kind
            options[f"error_{kind}"] = _optional(_text(error_label, max_length=300))
            options[f"error_{kind}_en"] = _optional(
                _text(_("Dito på engelska"), english=True, max_length=300)
            )
        return options

    @property
    def option_fields(self) -> list[Any]:
        """The bound fields of the type's own limits and settings (texts and error
        messages are shown in pairs, apart)."""
        return [
            self[name] for name in self.option_names
            if not name.startswith(("error_", "text"))
        ]  # fmt: skip

    @property
    def error_pairs(self) -> list[tuple[Any, Any]]:
        """(Swedish, English) bound fields of each kind of error the type has."""
        return [
            (self[name], self[f"{name}_en"]) for name in self.option_names
            if name.startswith("error_") and not name.endswith("_en")
        ]  # fmt: skip

    def values(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the field's properties, its English texts) as the definition writes them."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "key": data["key"].strip(), "label": data["label"], "hint": data["hint"] or None,
            "condition": self.condition(),
        }  # fmt: skip
        if "required" in self.fields:
            values["required"] = data["required"] or None
        english: dict[str, Any] = {
            "label": data["label_en"], "hint": data["hint_en"],
        }  # fmt: skip
        errors: dict[str, str] = {}
        errors_en: dict[str, str] = {}
        for name in self.option_names:
            value = data.get(name)
            if name.startswith("error_"):
                kind = name[6:].removesuffix("_en")
                if value:
                    (errors_en if name.endswith("_en") else errors)[kind] = value
            elif name == "text_en":
                english["text"] = value
            elif name == "pattern_message_en":
                english["pattern_message"] = value
            elif name == "choices":
                parsed = parse_choices(value or "", self.spec_field.get("choices") or [])
                values["choices"] = [{"value": v, "label": label} for v, label, _en in parsed]
                english["choices"] = {v: en for v, _label, en in parsed if en} or None
            elif name == "extensions":
                parts = (value or "").split(",")
                values["extensions"] = [p.strip().lstrip(".").lower() for p in parts if p.strip()]
            elif name in ("min", "max"):
                values[name] = _number_or_text(value)
            else:
                values[name] = value
        values["errors"] = errors or None
        english["errors"] = errors_en or None
        return values, {name: value for name, value in english.items() if value}


def _initial(name: str, field: dict[str, Any], english: dict[str, Any]) -> Any:
    if name.startswith("error_"):
        kind = name[6:].removesuffix("_en")
        source = english if name.endswith("_en") else field
        return (source.get("errors") or {}).get(kind, "")
    if name == "text_en":
        return english.get("text", "")
    if name == "pattern_message_en":
        return english.get("pattern_message", "")
    if name == "choices":
        return choices_text(field, english)
    if name == "extensions":
        return ", ".join(field.get("extensions") or [])
    value = field.get(name)
    return "" if value is None else value


def _number_or_text(value: str | None) -> Any:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value  # a date, "today", or something the checks will name
    return int(number) if number.is_integer() else number


class StatusForm(BackOfficeForm):
    """One of the e-service's own statuses; a row left without a name is no status."""

    name = _optional(_text(_("Namn"), max_length=100))
    name_en = _optional(_text(_("Namn på engelska"), english=True, max_length=100))
    kind = forms.ChoiceField(
        label=_("Typ"), required=False,
        choices=[("", _("Välj typ")), *StatusKind.choices],
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )  # fmt: skip


StatusFormSet = forms.formset_factory(StatusForm, extra=3, max_num=30, absolute_max=30)


def status_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    english = ((data.get("translations") or {}).get("en") or {}).get("statuses") or {}
    return [
        {"name": status.get("name", ""), "kind": status.get("kind", ""),
         "name_en": english.get(status.get("name", ""), "")}
        for status in data.get("statuses") or []
    ]  # fmt: skip


def parsed_statuses(formset: Any) -> list[tuple[str, str, str]]:
    """(name, English name, kind) of every row with a name, in order."""
    return [
        (row.cleaned_data["name"], row.cleaned_data["name_en"], row.cleaned_data["kind"])
        for row in formset.forms
        if row.cleaned_data.get("name")
    ]

"""Field types with one input: text, textarea, number, email, phone, date, personnummer,
consent and the info text that takes no input."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sjalvservice.core.validators import PersonalIdentityNumberField
from sjalvservice.eservices.definitions.fields.base import (
    NO_CONTEXT,
    FieldContext,
    FieldType,
    SingleFieldType,
    message,
    say,
)
from sjalvservice.eservices.definitions.schema import (
    BaseFieldSpec,
    ConsentSpec,
    DateSpec,
    EmailSpec,
    InfoSpec,
    NumberSpec,
    PersonalIdentityNumberSpec,
    PhoneSpec,
    TextareaSpec,
    TextSpec,
)

_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_PHONE = re.compile(r"\+?[0-9][0-9 -]*")
# Enough digits for any number a form asks for, and few enough to be exact as a JSON float.
MAX_DIGITS = 15


def required_message(spec: BaseFieldSpec, default: str) -> str:
    return message(spec, "required", default)


def text_input(css: str = "govuk-input", **attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": css, **attrs})


def format_number(value: int | float | Decimal) -> str:
    """Swedish style: a decimal comma, no trailing ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def length_messages(spec: TextSpec | TextareaSpec) -> dict[str, str]:
    messages = {
        "required": required_message(spec, _("Skriv ditt svar")),
        "max_length": message(
            spec,
            "max_length",
            _("Svaret får vara högst %(limit)s tecken") % {"limit": spec.max_length},
        ),
    }
    if spec.min_length:
        messages["min_length"] = message(
            spec,
            "min_length",
            _("Svaret måste vara minst %(limit)s tecken") % {"limit": spec.min_length},
        )
    return messages


def _full_match(pattern: str, message: str) -> Any:
    compiled = re.compile(pattern)

    def validate(value: str) -> None:
        # The whole answer must match: an author who writes [0-9]{5} means five digits, not
        # "contains five digits somewhere".
        if not compiled.fullmatch(value):
            raise ValidationError(message, code="pattern")

    return validate


class TextType(SingleFieldType[TextSpec]):
    name = "text"

    def field(self, spec: TextSpec, context: FieldContext) -> forms.Field:
        field = forms.CharField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            max_length=spec.max_length,
            min_length=spec.min_length or None,
            widget=text_input(),
            error_messages=length_messages(spec),
        )
        if spec.pattern is not None:
            field.validators.append(_full_match(spec.pattern, spec.pattern_message or ""))
        return field


class TextareaType(SingleFieldType[TextareaSpec]):
    name = "textarea"

    def field(self, spec: TextareaSpec, context: FieldContext) -> forms.Field:
        return forms.CharField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            max_length=spec.max_length,
            min_length=spec.min_length or None,
            widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": spec.rows}),
            error_messages=length_messages(spec),
        )


class _DecimalField(forms.DecimalField):
    """Accepts what people type in Sweden: "1 250,5" as well as "1250.5"; nothing exotic."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs say int
        if value in self.empty_values:
            return None
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace("\u2212", "-")
        if not _NUMBER.fullmatch(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text.replace(",", "."))


class NumberType(SingleFieldType[NumberSpec]):
    name = "number"

    def field(self, spec: NumberSpec, context: FieldContext) -> forms.Field:
        if spec.decimals:
            invalid = message(spec, "invalid", _("Skriv ett tal, till exempel 12,5"))
            decimals = message(
                spec,
                "decimals",
                ngettext(
                    "Skriv talet med högst %(count)s decimal",
                    "Skriv talet med högst %(count)s decimaler",
                    spec.decimals,
                )
                % {"count": spec.decimals},
            )
        else:
            invalid = message(spec, "invalid", _("Skriv ett heltal, till exempel 12"))
            decimals = message(spec, "decimals", invalid)
        too_long = _("Talet har för många siffror")
        messages = {
            "required": required_message(spec, _("Skriv ett tal")),
            "invalid": invalid,
            "max_decimal_places": decimals,
            "max_digits": too_long,
            "max_whole_digits": too_long,
        }
        if spec.min is not None:
            messages["min_value"] = message(
                spec,
                "min",
                _("Talet måste vara minst %(limit)s") % {"limit": format_number(spec.min)},
            )
        if spec.max is not None:
            messages["max_value"] = message(
                spec,
                "max",
                _("Talet får vara högst %(limit)s") % {"limit": format_number(spec.max)},
            )
        return _DecimalField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            min_value=None if spec.min is None else Decimal(str(spec.min)),
            max_value=None if spec.max is None else Decimal(str(spec.max)),
            max_digits=MAX_DIGITS,
            decimal_places=spec.decimals,
            widget=text_input(
                "govuk-input govuk-input--width-10",
                inputmode="decimal" if spec.decimals else "numeric",
                spellcheck="false",
            ),
            error_messages={code: say(text) for code, text in messages.items()},
        )

    def answer(self, spec: NumberSpec, value: Decimal) -> int | float:
        return float(value) if spec.decimals else int(value)

    def initial_value(self, spec: NumberSpec, answer: Any) -> Any:
        return format_number(answer) if isinstance(answer, int | float) else answer

    def display(self, spec: NumberSpec, answer: Any) -> str:
        return (
            format_number(answer)
            if isinstance(answer, int | float)
            else super().display(spec, answer)
        )


class EmailType(SingleFieldType[EmailSpec]):
    name = "email"

    def field(self, spec: EmailSpec, context: FieldContext) -> forms.Field:
        return email_field(
            spec.label,
            spec.hint or "",
            required=spec.required,
            missing=message(spec, "required", _("Skriv en e-postadress")),
            invalid=(spec.errors or {}).get("invalid", ""),
        )


def email_field(
    label: str,
    hint: str,
    *,
    required: bool,
    missing: str,
    invalid: str = "",
    autocomplete: str = "",
) -> forms.Field:
    attrs = {"class": "govuk-input", "spellcheck": "false"}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.EmailField(
        label=label,
        help_text=hint,
        required=required,
        max_length=254,
        widget=forms.EmailInput(attrs=attrs),
        error_messages={
            "required": say(missing),
            "invalid": say(
                invalid or _("Skriv e-postadressen i rätt format, till exempel namn@exempel.se")
            ),
            "max_length": say(_("E-postadressen får vara högst 254 tecken")),
        },
    )


class TelInput(forms.TextInput):
    input_type = "tel"


def phone_field(
    label: str,
    hint: str,
    *,
    required: bool,
    missing: str,
    invalid: str = "",
    autocomplete: str = "",
) -> forms.Field:
    """Digits, spaces, "-" and a leading "+": 7 to 15 digits."""
    invalid = say(invalid or _("Skriv telefonnumret med 7–15 siffror, till exempel 070-123 45 67"))

    def validate(value: str) -> None:
        digits = sum(character.isdigit() for character in value)
        if not _PHONE.fullmatch(value) or not 7 <= digits <= 15:
            raise ValidationError(invalid, code="invalid")

    attrs = {"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=30,
        widget=TelInput(attrs=attrs),
        validators=[validate],
        error_messages={
            "required": say(missing),
            "max_length": say(invalid),
        },
    )


class PhoneType(SingleFieldType[PhoneSpec]):
    name = "phone"

    def field(self, spec: PhoneSpec, context: FieldContext) -> forms.Field:
        return phone_field(
            spec.label,
            spec.hint or "",
            required=spec.required,
            missing=message(spec, "required", _("Skriv ett telefonnummer")),
            invalid=(spec.errors or {}).get("invalid", ""),
        )

    def answer(self, spec: PhoneSpec, value: str) -> str:
        return " ".join(value.split())


def _limit(value: date | str) -> date:
    return timezone.localdate() if value == "today" else value  # type: ignore[return-value]


class DateType(SingleFieldType[DateSpec]):
    name = "date"

    def field(self, spec: DateSpec, context: FieldContext) -> forms.Field:
        example = _("Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-31.")
        messages = {
            "required": required_message(spec, _("Skriv ett datum, till exempel 2025-03-31")),
            "invalid": message(spec, "invalid", _("Datumet måste finnas, till exempel 2025-03-31")),
        }
        validators: list[Any] = []
        if spec.min is not None:
            validators.append(MinValueValidator(_limit(spec.min)))
            earliest = _("i dag") if spec.min == "today" else _limit(spec.min).isoformat()
            messages["min_value"] = message(
                spec,
                "min",
                _("Datumet får inte vara tidigare än %(limit)s") % {"limit": earliest},
            )
        if spec.max is not None:
            validators.append(MaxValueValidator(_limit(spec.max)))
            latest = _("i dag") if spec.max == "today" else _limit(spec.max).isoformat()
            messages["max_value"] = message(
                spec,
                "max",
                _("Datumet får inte vara senare än %(limit)s") % {"limit": latest},
            )
        return forms.DateField(
            label=spec.label,
            help_text=" ".join(part for part in (spec.hint, example) if part),
            required=spec.required,
            input_formats=["%Y-%m-%d", "%Y%m%d"],
            widget=forms.DateInput(
                format="%Y-%m-%d",
                attrs={"class": "govuk-input govuk-input--width-10", "spellcheck": "false"},
            ),
            validators=validators,
            error_messages=messages,
        )

    def answer(self, spec: DateSpec, value: date) -> str:
        return value.isoformat()


class PersonalIdentityNumberType(SingleFieldType[PersonalIdentityNumberSpec]):
    name = "personal_identity_number"

    def field(self, spec: PersonalIdentityNumberSpec, context: FieldContext) -> forms.Field:
        field = PersonalIdentityNumberField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            max_length=20,
            error_messages={"required": required_message(spec, _("Skriv ett personnummer"))},
        )
        field.widget.attrs["class"] = "govuk-input govuk-input--width-20"
        field.error_messages["max_length"] = field.error_messages["format"]
        return field

    def display(self, spec: PersonalIdentityNumberSpec, answer: Any) -> str:
        if isinstance(answer, str) and len(answer) == 12 and answer.isdigit():
            return f"{answer[:8]}-{answer[8:]}"
        return super().display(spec, answer)

    def initial_value(self, spec: PersonalIdentityNumberSpec, answer: Any) -> Any:
        return self.display(spec, answer) if isinstance(answer, str) else answer


class ConsentType(SingleFieldType[ConsentSpec]):
    """A box to tick; when required, it must be ticked. The answer is True or None."""

    name = "consent"
    template_name = "eservices/fields/consent.html"

    def field(self, spec: ConsentSpec, context: FieldContext) -> forms.Field:
        return forms.BooleanField(
            label=spec.text or spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            error_messages={
                "required": required_message(spec, _("Kryssa i rutan för att gå vidare"))
            },
        )

    def answer(self, spec: ConsentSpec, value: bool) -> bool | None:
        return True if value else None

    def display(self, spec: ConsentSpec, answer: Any) -> str:
        return _("Ja") if answer else ""

    def export(self, spec: ConsentSpec, answer: Any) -> bool:
        return answer is True


class InfoType(FieldType[InfoSpec]):
    """A text to read; no input, no answer."""

    name = "info"
    template_name = "eservices/fields/info.html"
    takes_input: ClassVar[bool] = False

    def form_fields(
        self, spec: InfoSpec, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        return {}

    def to_answer(self, spec: InfoSpec, cleaned: Any, **kwargs: Any) -> None:
        return None

    def initial(self, spec: InfoSpec, answer: Any, **kwargs: Any) -> dict[str, Any]:
        return {}

    def display(self, spec: InfoSpec, answer: Any) -> str:
        return ""

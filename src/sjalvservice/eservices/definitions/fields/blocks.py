"""Block fields, several inputs under one legend: address, contact details and organisation.

A block's answer is an object of its parts. A required block needs its starred parts; a block
that is not required may be left empty, but once any part is filled in, the starred parts are
needed too (half an address is no address).
"""

from __future__ import annotations

import contextlib
import re
from abc import abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sjalvservice.core.se_ids import InvalidIdentityNumber, parse_organisation_number
from sjalvservice.core.validators import ORGANISATION_NUMBER_MESSAGES
from sjalvservice.eservices.definitions.conditions import has_answer
from sjalvservice.eservices.definitions.fields.base import (
    NO_CONTEXT,
    FieldContext,
    FieldType,
    Organisation,
    SpecT,
    annotate,
    message,
    name,
    say,
)
from sjalvservice.eservices.definitions.fields.simple import email_field, phone_field
from sjalvservice.eservices.definitions.schema import AddressSpec, ContactSpec, OrganisationSpec


class PostalCodeField(forms.CharField):
    """Five digits, a space allowed ("931 85"); cleans to the five digits."""

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        digits = text.replace(" ", "")
        if not re.fullmatch(r"[0-9]{5}", digits):
            raise ValidationError(
                _("Skriv postnumret med fem siffror, till exempel 931 85"), code="invalid"
            )
        return digits


def format_postal_code(value: Any) -> str:
    text = str(value or "").replace(" ", "")
    return f"{text[:3]} {text[3:]}" if re.fullmatch(r"[0-9]{5}", text) else str(value or "")


def _text_field(label: str, *, required: bool, max_length: int, missing: str, too_long: str,
                css: str = "govuk-input", autocomplete: str = "") -> forms.Field:  # fmt: skip
    """A part of a block; ``too_long`` has ``%(limit)s`` for ``max_length``."""
    attrs = {"class": css}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": say(missing),
            "max_length": say(too_long % {"limit": max_length}),
        },
    )


def _postal_code_field(*, required: bool, autocomplete: str = "") -> forms.Field:
    attrs = {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return PostalCodeField(
        label=_("Postnummer"),
        required=required,
        max_length=10,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": say(_("Skriv postnumret")),
            "max_length": say(_("Skriv postnumret med fem siffror, till exempel 931 85")),
        },
    )


@dataclass(frozen=True)
class Part:
    """One input of a block: its name in the answer, whether it is starred, how it is built."""

    sub: str
    starred: bool
    build: Callable[[bool], forms.Field]


class BlockType(FieldType[SpecT]):
    """A block of text parts (address, contact); subclasses list their ``parts``."""

    template_name = "eservices/fields/block.html"

    @abstractmethod
    def parts(self) -> list[Part]:
        """The block's inputs, in order."""

    def form_fields(
        self, spec: SpecT, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        return {
            name(prefix, part.sub): annotate(
                part.build(spec.required and part.starred),
                spec,
                part.sub,
                optional=spec.required and not part.starred,
            )
            for part in self.parts()
        }

    def clean(
        self, spec: SpecT, cleaned: Mapping[str, Any], *, prefix: str, context: FieldContext
    ) -> dict[str, ValidationError]:
        if spec.required:
            return {}
        # Parts that did not clean are missing from `cleaned`, but were filled in.
        given = {
            part.sub
            for part in self.parts()
            if name(prefix, part.sub) not in cleaned or has_answer(cleaned[name(prefix, part.sub)])
        }
        if not given:
            return {}
        return {
            name(prefix, part.sub): ValidationError(
                part.build(True).error_messages["required"], code="required"
            )
            for part in self.parts()
            if part.starred and part.sub not in given
        }

    def to_answer(
        self,
        spec: SpecT,
        cleaned: Mapping[str, Any],
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any] | None:
        prefix = prefix or spec.key
        answer: dict[str, Any] = {}
        for part in self.parts():
            value = cleaned.get(name(prefix, part.sub))
            if isinstance(value, bool):
                answer[part.sub] = value
            else:
                answer[part.sub] = " ".join(str(value or "").split())
        return answer if has_answer(answer) else None

    def initial(
        self,
        spec: SpecT,
        answer: Any,
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any]:
        if not isinstance(answer, Mapping):
            return {}
        prefix = prefix or spec.key
        initial = {
            name(prefix, part.sub): answer[part.sub]
            for part in self.parts()
            if answer.get(part.sub) not in (None, "")
        }
        if name(prefix, "postal_code") in initial:
            initial[name(prefix, "postal_code")] = format_postal_code(answer["postal_code"])
        return initial

    def export(self, spec: SpecT, answer: Any) -> Any:
        return dict(answer) if isinstance(answer, Mapping) else answer


def _address_lines(answer: Mapping[str, Any]) -> list[str]:
    place = " ".join(
        part for part in (format_postal_code(answer.get("postal_code")), answer.get("city")) if part
    )
    return [line for line in (str(answer.get("street") or ""), place) if line]


class AddressType(BlockType[AddressSpec]):
    """Answer: ``{street, postal_code, city}``, the postal code as five digits."""

    name = "address"

    def parts(self) -> list[Part]:
        return [
            Part("street", True, lambda required: _text_field(
                _("Adress"), required=required, max_length=200, missing=_("Skriv adressen"),
                too_long=_("Adressen får vara högst %(limit)s tecken"))),
            Part("postal_code", True, lambda required: _postal_code_field(required=required)),
            Part("city", True, lambda required: _text_field(
                _("Ort"), required=required, max_length=100, missing=_("Skriv orten"),
                too_long=_("Orten får vara högst %(limit)s tecken"))),
        ]  # fmt: skip

    def display(self, spec: AddressSpec, answer: Any) -> str:
        return "\n".join(_address_lines(answer)) if isinstance(answer, Mapping) else ""


CONTACT_NOTE = gettext_lazy("Dina kontaktuppgifter kommer att sparas under mina uppgifter.")


class ContactType(BlockType[ContactSpec]):
    """The person's contact details, prefilled from Mina uppgifter.

    Ticking "notifierad via SMS" makes the mobile number needed, whatever ``required`` says.
    """

    name = "contact"
    template_name = "eservices/fields/contact.html"
    note = CONTACT_NOTE

    def parts(self) -> list[Part]:
        def checkbox(label: str) -> Callable[[bool], forms.Field]:
            return lambda required: forms.BooleanField(
                label=label,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
            )

        return [
            Part("first_name", True, lambda required: _text_field(
                _("Förnamn"), required=required, max_length=100, autocomplete="given-name",
                missing=_("Skriv ditt förnamn"),
                too_long=_("Förnamnet får vara högst %(limit)s tecken"))),
            Part("last_name", True, lambda required: _text_field(
                _("Efternamn"), required=required, max_length=100, autocomplete="family-name",
                missing=_("Skriv ditt efternamn"),
                too_long=_("Efternamnet får vara högst %(limit)s tecken"))),
            Part("street", True, lambda required: _text_field(
                _("Adress"), required=required, max_length=200, autocomplete="address-line1",
                missing=_("Skriv din adress"),
                too_long=_("Adressen får vara högst %(limit)s tecken"))),
            Part("postal_code", True, lambda required: _postal_code_field(
                required=required, autocomplete="postal-code")),
            Part("city", True, lambda required: _text_field(
                _("Ort"), required=required, max_length=100, autocomplete="address-level2",
                missing=_("Skriv orten där du bor"),
                too_long=_("Orten får vara högst %(limit)s tecken"))),
            Part("phone", False, lambda required: phone_field(
                _("Telefon"), "", required=required, autocomplete="tel",
                missing=_("Skriv ditt telefonnummer"))),
            Part("email", True, lambda required: email_field(
                _("E-postadress"), "", required=required, autocomplete="email",
                missing=_("Skriv din e-postadress, till exempel namn@exempel.se"))),
            Part("mobile", False, lambda required: phone_field(
                _("Mobiltelefon"), "", required=required, autocomplete="mobile tel",
                missing=_("Skriv ditt mobilnummer"))),
            Part("notify_email", False, checkbox(_("Jag vill bli notifierad via e-post"))),
            Part("notify_sms", False, checkbox(_("Jag vill bli notifierad via SMS"))),
        ]  # fmt: skip

    def clean(
        self, spec: ContactSpec, cleaned: Mapping[str, Any], *, prefix: str, context: FieldContext
    ) -> dict[str, ValidationError]:
        errors = super().clean(spec, cleaned, prefix=prefix, context=context)
        mobile = name(prefix, "mobile")
        if cleaned.get(name(prefix, "notify_sms")) and mobile in cleaned and not cleaned[mobile]:
            errors[mobile] = ValidationError(
                _("Skriv ditt mobilnummer om du vill bli notifierad via SMS"), code="required"
            )
        return errors

    def display(self, spec: ContactSpec, answer: Any) -> str:
        if not isinstance(answer, Mapping):
            return ""
        full_name = " ".join(
            str(answer.get(part) or "") for part in ("first_name", "last_name")
        ).strip()
        lines = [full_name, *_address_lines(answer)]
        for part, label in (("phone", _("Telefon")), ("email", _("E-postadress")),
                            ("mobile", _("Mobiltelefon"))):  # fmt: skip
            if answer.get(part):
                lines.append(f"{label}: {answer[part]}")
        ways = [way for part, way in (("notify_email", _("e-post")), ("notify_sms", _("SMS")))
                if answer.get(part)]  # fmt: skip
        if ways:
            lines.append(_("Notifieringar: %(ways)s") % {"ways": ", ".join(ways)})
        return "\n".join(line for line in lines if line)


NEW = "new"


def format_organisation_number(value: str) -> str:
    return f"{value[:6]}-{value[6:]}" if len(value) == 10 and value.isdigit() else value


def _organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({format_organisation_number(organisation.organisation_number)})"


def _registered_name(cleaned: Mapping[str, Any], prefix: str, context: FieldContext) -> str | None:
    """The registered name of the typed organisation number, where a lookup is offered."""
    if context.find_organisation is None:
        return None
    try:
        number = parse_organisation_number(str(cleaned.get(name(prefix, "organisation_number"))))
    except InvalidIdentityNumber:
        return None
    return context.find_organisation(number.number)


class OrganisationType(FieldType[OrganisationSpec]):
    """One of the person's organisations, or another one typed in.

    Answer: ``{id, organisation_number, name}``; ``id`` is None for one typed in.
    """

    name = "organisation"
    template_name = "eservices/fields/organisation.html"

    def form_fields(
        self, spec: OrganisationSpec, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        fields: dict[str, forms.Field] = {}
        if context.organisations:
            options = [
                (str(organisation.id), _organisation_label(organisation))
                for organisation in context.organisations
            ]
            choice = forms.ChoiceField(
                label=spec.label,
                help_text=spec.hint or "",
                required=False,  # see clean(): "Lägg till" needs the parts below
                choices=[*options, (NEW, _("Lägg till en annan organisation"))],
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={"invalid_choice": say(self._choose(spec))},
            )
            fields[name(prefix, "choice")] = annotate(
                choice, spec, "choice", optional=not spec.required
            )
        number = _text_field(_("Organisationsnummer"), required=False, max_length=20,
                             missing=_("Skriv organisationsnumret"),
                             too_long=str(ORGANISATION_NUMBER_MESSAGES["format"]),
                             css="govuk-input govuk-input--width-20")  # fmt: skip
        organisation_name = _text_field(
            _("Organisationens namn"), required=False, max_length=200,
            missing=_("Skriv organisationens namn"),
            too_long=_("Namnet får vara högst %(limit)s tecken"))  # fmt: skip
        if context.find_organisation is not None:
            organisation_name.help_text = _("Lämna tomt så hämtas namnet från Bolagsverket.")
        fields[name(prefix, "organisation_number")] = annotate(
            number, spec, "organisation_number", optional=False
        )
        fields[name(prefix, "name")] = annotate(organisation_name, spec, "name", optional=False)
        return fields

    def _choose(self, spec: OrganisationSpec) -> str:
        return message(spec, "required", _("Välj en organisation"))

    def _choice(self, cleaned: Mapping[str, Any], prefix: str, context: FieldContext) -> str:
        if context.organisations:
            return str(cleaned.get(name(prefix, "choice")) or "")
        typed = cleaned.get(name(prefix, "organisation_number")) or cleaned.get(
            name(prefix, "name")
        )
        return NEW if typed else ""

    def clean(
        self,
        spec: OrganisationSpec,
        cleaned: Mapping[str, Any],
        *,
        prefix: str,
        context: FieldContext,
    ) -> dict[str, ValidationError]:
        choice_name, number_name = name(prefix, "choice"), name(prefix, "organisation_number")
        if context.organisations and choice_name not in cleaned:
            return {}  # an unknown choice, already reported
        choice = self._choice(cleaned, prefix, context)
        errors = {}
        if choice == "" and spec.required:
            if context.organisations:
                errors[choice_name] = ValidationError(self._choose(spec), code="required")
                return errors
            choice = NEW
        if choice != NEW:
            return errors
        number = cleaned.get(number_name)
        if number_name not in cleaned:
            pass  # too long, already reported
        elif not number:
            errors[number_name] = ValidationError(
                say(_("Skriv organisationsnumret")), code="required"
            )
        else:
            try:
                parse_organisation_number(number)
            except InvalidIdentityNumber as error:
                errors[number_name] = ValidationError(
                    ORGANISATION_NUMBER_MESSAGES[error.code], code=error.code
                )
        name_missing = name(prefix, "name") in cleaned and not cleaned[name(prefix, "name")]
        # A name Bolagsverket has for a valid number fills in a name left out.
        found = (
            name_missing
            and number_name not in errors
            and _registered_name(cleaned, prefix, context)
        )
        if name_missing and not found:
            errors[name(prefix, "name")] = ValidationError(
                say(_("Skriv organisationens namn")), code="required"
            )
        return errors

    def to_answer(
        self,
        spec: OrganisationSpec,
        cleaned: Mapping[str, Any],
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any] | None:
        prefix = prefix or spec.key
        choice = self._choice(cleaned, prefix, context)
        for organisation in context.organisations:
            if choice == str(organisation.id):
                return {"id": organisation.id, "name": organisation.name,
                        "organisation_number": organisation.organisation_number}  # fmt: skip
        if choice != NEW:
            return None
        number = str(cleaned.get(name(prefix, "organisation_number")) or "")
        # Not valid only while a condition looks at what was typed: then keep it as typed.
        with contextlib.suppress(InvalidIdentityNumber):
            number = parse_organisation_number(number).number
        organisation_name = " ".join(str(cleaned.get(name(prefix, "name")) or "").split())
        if not organisation_name:
            organisation_name = _registered_name(cleaned, prefix, context) or ""
        return {"id": None, "organisation_number": number, "name": organisation_name}

    def initial(
        self,
        spec: OrganisationSpec,
        answer: Any,
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any]:
        if not isinstance(answer, Mapping):
            return {}
        prefix = prefix or spec.key
        if any(answer.get("id") == organisation.id for organisation in context.organisations):
            return {name(prefix, "choice"): str(answer["id"])}
        initial = {
            name(prefix, "organisation_number"): format_organisation_number(
                str(answer.get("organisation_number") or "")
            ),
            name(prefix, "name"): answer.get("name") or "",
        }
        if context.organisations:
            initial[name(prefix, "choice")] = NEW
        return initial

    def display(self, spec: OrganisationSpec, answer: Any) -> str:
        if not isinstance(answer, Mapping):
            return ""
        number = format_organisation_number(str(answer.get("organisation_number") or ""))
        return f"{answer.get('name') or ''} ({number})" if number else str(answer.get("name") or "")

    def export(self, spec: OrganisationSpec, answer: Any) -> Any:
        return dict(answer) if isinstance(answer, Mapping) else answer

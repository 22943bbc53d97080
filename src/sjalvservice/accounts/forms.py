"""The form of Mina uppgifter: name, contact details and notification choices."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.forms import GovukForm
from sjalvservice.core.phone import InvalidPhoneNumber, parse_phone_number
from sjalvservice.core.validators import OrganisationNumberField

POSTAL_CODE = re.compile(r"[0-9]{3} ?[0-9]{2}")


def format_postal_code(value: str) -> str:
    """ "93130" as people write it, "931 30"."""
    return f"{value[:3]} {value[3:]}" if re.fullmatch(r"[0-9]{5}", value or "") else value


def _input(width: str = "", **attrs: str) -> forms.TextInput:
    css = f"govuk-input {width}".strip()
    return forms.TextInput(attrs={"class": css, **attrs})


class ContactDetailsForm(GovukForm):
    """Address, phone, e-mail and notification choices: a person's and an organisation's."""

    street = forms.CharField(
        label=_("Adress"),
        required=False,
        max_length=200,
        widget=_input(autocomplete="address-line1"),
        error_messages={"max_length": _("Adressen får vara högst %(limit_value)d tecken.")},
    )
    postal_code = forms.CharField(
        label=_("Postnummer"),
        required=False,
        max_length=10,
        widget=_input("govuk-input--width-5", autocomplete="postal-code", inputmode="numeric"),
        error_messages={
            "max_length": _("Skriv postnumret med fem siffror, till exempel 931 85."),
        },
    )
    city = forms.CharField(
        label=_("Ort"),
        required=False,
        max_length=100,
        widget=_input("govuk-!-width-two-thirds", autocomplete="address-level2"),
        error_messages={"max_length": _("Orten får vara högst %(limit_value)d tecken.")},
    )
    phone = forms.CharField(
        label=_("Telefonnummer"),
        required=False,
        max_length=30,
        widget=_input("govuk-input--width-20", type="tel", autocomplete="tel"),
        error_messages={
            "max_length": _("Skriv telefonnumret med riktnummer, till exempel 0910-73 50 00."),
        },
    )
    email = forms.EmailField(
        label=_("E-postadress"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(
            attrs={"class": "govuk-input", "autocomplete": "email", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": _("Skriv e-postadressen på formen namn@exempel.se."),
            "max_length": _("E-postadressen får vara högst %(limit_value)d tecken."),
        },
    )
    notify_email = forms.BooleanField(
        label=_("Jag vill bli notifierad via e-post"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
    notify_sms = forms.BooleanField(
        label=_("Jag vill bli notifierad via SMS"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # "(frivilligt)" after the label (core/fields/optional.html).
            field.optional = not field.required and not isinstance(field, forms.BooleanField)  # type: ignore[attr-defined]

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not POSTAL_CODE.fullmatch(value):
            raise ValidationError(
                _("Skriv postnumret med fem siffror, till exempel 931 85."), code="invalid"
            )
        return value.replace(" ", "")

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        if not value:
            return ""
        try:
            return parse_phone_number(value).national
        except InvalidPhoneNumber:
            raise ValidationError(
                _("Skriv telefonnumret med riktnummer, till exempel 0910-73 50 00."),
                code="invalid",
            ) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("notify_email") and "email" in cleaned and not cleaned["email"]:
            self.add_error("email", ValidationError(self.email_needed, code="needed"))
        return cleaned

    email_needed = _("Skriv din e-postadress för att få notiser via e-post.")


class ProfileForm(ContactDetailsForm):
    """ "Gör de ändringar du vill göra och klicka 'Spara ändringar'."""

    field_order = ["first_name", "last_name", "street", "postal_code", "city", "phone", "email",
                   "mobile", "notify_email", "notify_sms"]  # fmt: skip

    first_name = forms.CharField(
        label=_("Förnamn"),
        max_length=150,
        widget=_input("govuk-!-width-two-thirds", autocomplete="given-name", spellcheck="false"),
        error_messages={
            "required": _("Skriv ditt förnamn."),
            "max_length": _("Förnamnet får vara högst %(limit_value)d tecken."),
        },
    )
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=150,
        widget=_input("govuk-!-width-two-thirds", autocomplete="family-name", spellcheck="false"),
        error_messages={
            "required": _("Skriv ditt efternamn."),
            "max_length": _("Efternamnet får vara högst %(limit_value)d tecken."),
        },
    )
    mobile = forms.CharField(
        label=_("Mobiltelefon"),
        required=False,
        max_length=30,
        widget=_input("govuk-input--width-20", type="tel", autocomplete="mobile tel"),
        error_messages={
            "max_length": _("Skriv mobilnumret med tio siffror, till exempel 070-123 45 67."),
        },
    )

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"]
        if not value:
            return ""
        try:
            return parse_phone_number(value, mobile=True).national
        except InvalidPhoneNumber:
            raise ValidationError(
                _("Skriv ett svenskt mobilnummer som börjar med 07, till exempel 070-123 45 67."),
                code="invalid",
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("notify_sms") and "mobile" in cleaned and not cleaned["mobile"]:
            self.add_error(
                "mobile",
                ValidationError(
                    _("Skriv ditt mobilnummer för att få notiser via SMS."), code="needed"
                ),
            )
        return cleaned

    def details(self) -> dict[str, Any]:
        """The cleaned contact details and choices, as ``save_details`` takes them."""
        return {
            name: self.cleaned_data[name]
            for name in ("street", "postal_code", "city", "phone", "mobile", "email",
                         "notify_email", "notify_sms")
        }  # fmt: skip


class OrganisationForm(ContactDetailsForm):
    """ "Lägg till organisation" (and its change): the person's own record of it."""

    field_order = ["organisation_number", "name", "street", "postal_code", "city",
                   "contact_person", "phone", "email", "notify_email", "notify_sms"]  # fmt: skip
    email_needed = _("Skriv organisationens e-postadress för att få notiser via e-post.")

    organisation_number = OrganisationNumberField(
        label=_("Organisationsnummer"),
        help_text=_("10 siffror, till exempel 802477-5317."),
        widget=_input("govuk-input--width-10"),
        error_messages={"required": _("Skriv organisationsnumret.")},
    )
    name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        widget=_input(autocomplete="organization"),
        error_messages={
            "required": _("Skriv organisationens namn."),
            "max_length": _("Namnet får vara högst %(limit_value)d tecken."),
        },
    )
    contact_person = forms.CharField(
        label=_("Kontaktperson"),
        required=False,
        max_length=150,
        widget=_input("govuk-!-width-two-thirds", autocomplete="name"),
        error_messages={"max_length": _("Namnet får vara högst %(limit_value)d tecken.")},
    )
    # What Bolagsverket said, kept through the form (the page shows it as such).
    legal_form = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    from_registry = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, number_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Telefon")
        if number_fixed:
            self.fields["organisation_number"].disabled = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        phone = cleaned.get("phone")
        if cleaned.get("notify_sms") and "phone" in cleaned:
            if not phone:
                message = _("Skriv ett mobilnummer som telefon för att få notiser via SMS.")
                self.add_error("phone", ValidationError(message, code="needed"))
            elif not parse_phone_number(phone).is_mobile:
                message = _("Notiser via SMS behöver ett mobilnummer som börjar med 07.")
                self.add_error("phone", ValidationError(message, code="not_mobile"))
        return cleaned

    def details(self) -> dict[str, Any]:
        names = ("name", "street", "postal_code", "city", "contact_person", "phone", "email",
                 "notify_email", "notify_sms", "legal_form")  # fmt: skip
        return {name: self.cleaned_data[name] for name in names}

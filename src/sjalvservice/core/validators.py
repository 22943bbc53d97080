"""Django validators and form fields for Swedish identity numbers.

The rules live in :mod:`sjalvservice.core.se_ids`; this module only turns its error codes into
messages for citizens and wires them into Django forms and models.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.se_ids import (
    InvalidIdentityNumber,
    parse_organisation_number,
    parse_personal_identity_number,
)

if TYPE_CHECKING:
    # django-stubs' name for what gettext_lazy returns; a dev dependency, so typing only.
    from django_stubs_ext import StrPromise

# One message per error code of se_ids.InvalidIdentityNumber. The examples in the messages are
# patterns, not numbers: an example number could belong to a real person.
PERSONAL_IDENTITY_NUMBER_MESSAGES: dict[str, str | StrPromise] = {
    "format": _("Skriv personnumret med 10 eller 12 siffror, till exempel ÅÅÅÅMMDD-NNNN."),
    "date": _("Datumet i personnumret finns inte. Kontrollera år, månad och dag."),
    "future_date": _("Datumet i personnumret ligger i framtiden. Kontrollera år, månad och dag."),
    "serial": _("Personnumret är inte giltigt. Kontrollera de fyra sista siffrorna."),
    "checksum": _(
        "Personnumret är inte giltigt. Den sista siffran stämmer inte med de andra. "
        "Kontrollera att du har skrivit alla siffror rätt."
    ),
    "coordination": _("Du kan inte använda samordningsnummer här. Skriv ditt personnummer."),
}

ORGANISATION_NUMBER_MESSAGES: dict[str, str | StrPromise] = {
    "format": _("Skriv organisationsnumret med 10 siffror, till exempel NNNNNN-NNNN."),
    "orgnr_third_digit": _(
        "Det här är inte ett organisationsnummer. Den tredje siffran i ett "
        "organisationsnummer är alltid 2 eller högre."
    ),
    "checksum": _(
        "Organisationsnumret är inte giltigt. Den sista siffran stämmer inte med de andra. "
        "Kontrollera att du har skrivit alla siffror rätt."
    ),
}


def _today() -> date:
    # The birth-date check needs the date in the portal's time zone, not the server's: a
    # child born just after midnight in Sweden is still "in the future" in UTC.
    return timezone.localdate() if settings.USE_TZ else date.today()


def validate_personal_identity_number(value: str) -> None:
    """Raise ValidationError unless ``value`` is a valid personnummer or samordningsnummer."""
    try:
        parse_personal_identity_number(value, today=_today())
    except InvalidIdentityNumber as error:
        raise ValidationError(
            PERSONAL_IDENTITY_NUMBER_MESSAGES[error.code], code=error.code
        ) from error


def validate_organisation_number(value: str) -> None:
    """Raise ValidationError unless ``value`` is a valid organisationsnummer."""
    try:
        parse_organisation_number(value)
    except InvalidIdentityNumber as error:
        raise ValidationError(ORGANISATION_NUMBER_MESSAGES[error.code], code=error.code) from error


class _IdentityNumberField(forms.CharField):
    """Shared widget settings: the number is typed, not guessed by the browser."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        # No inputmode="numeric": phone keypads in that mode often lack "-" and "+".
        attrs.update({"autocomplete": "off", "spellcheck": "false"})
        return attrs


class PersonalIdentityNumberField(_IdentityNumberField):
    """A personnummer (or samordningsnummer) field; cleans to the 12-digit form.

    Pass ``allow_coordination=False`` where only a personnummer will do.
    """

    default_error_messages = PERSONAL_IDENTITY_NUMBER_MESSAGES

    def __init__(self, *, allow_coordination: bool = True, **kwargs: Any) -> None:
        self.allow_coordination = allow_coordination
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return text
        try:
            return parse_personal_identity_number(
                text, today=_today(), allow_coordination=self.allow_coordination
            ).number
        except InvalidIdentityNumber as error:
            raise ValidationError(self.error_messages[error.code], code=error.code) from error


class OrganisationNumberField(_IdentityNumberField):
    """An organisationsnummer field; cleans to the 10-digit form."""

    default_error_messages = ORGANISATION_NUMBER_MESSAGES

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return text
        try:
            return parse_organisation_number(text).number
        except InvalidIdentityNumber as error:
            raise ValidationError(self.error_messages[error.code], code=error.code) from error

"""Tests for the Django validators and form fields for Swedish identity numbers.

The rules themselves are tested in test_se_ids.py; these tests check the glue: error codes,
messages for citizens, cleaned values and the time zone of "today".

Fixture people are fictitious, from the 980-999 birth-number series.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from unittest import mock

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from sjalvservice.core.validators import (
    ORGANISATION_NUMBER_MESSAGES,
    PERSONAL_IDENTITY_NUMBER_MESSAGES,
    OrganisationNumberField,
    PersonalIdentityNumberField,
    validate_organisation_number,
    validate_personal_identity_number,
)

JENNY = "198101059825"  # Jenny Testersson, born 1981-01-05
BERTIL = "197504129912"  # Bertil Provsson, born 1975-04-12
SAMORDNING = "197010632391"  # Skatteverket's samordningsnummer example
AB = "5566778899"  # fictitious aktiebolag


@pytest.fixture(autouse=True)
def _swedish() -> Iterator[None]:
    with translation.override("sv"):
        yield


def raised(validator: Callable[[str], None], value: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validator(value)
    return excinfo.value


# --- validate_personal_identity_number --------------------------------------------------------


@pytest.mark.parametrize(
    "value", [JENNY, "19810105-9825", "810105-9825", "8101059825", BERTIL, SAMORDNING]
)
def test_it_accepts_a_valid_personal_identity_number(value: str) -> None:
    validate_personal_identity_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("810105-T982", "format"),
        ("abc", "format"),
        ("198104319825", "date"),
        ("0102299823", "date"),  # 29 February 2001
        ("299912319846", "future_date"),
        ("810105-0006", "serial"),
        ("198101059826", "checksum"),
    ],
)
def test_it_rejects_an_invalid_personal_identity_number_with_a_code(value: str, code: str) -> None:
    error = raised(validate_personal_identity_number, value)
    assert error.code == code
    assert error.messages == [str(PERSONAL_IDENTITY_NUMBER_MESSAGES[code])]


def test_the_messages_are_plain_swedish() -> None:
    error = raised(validate_personal_identity_number, "198101059826")
    assert error.messages == [
        "Personnumret är inte giltigt. Den sista siffran stämmer inte med de andra. "
        "Kontrollera att du har skrivit alla siffror rätt."
    ]
    error = raised(validate_personal_identity_number, "198104319825")
    assert error.messages == ["Datumet i personnumret finns inte. Kontrollera år, månad och dag."]


def test_every_error_code_of_the_rules_has_a_message() -> None:
    assert set(PERSONAL_IDENTITY_NUMBER_MESSAGES) == {
        "format",
        "date",
        "future_date",
        "serial",
        "checksum",
        "coordination",
    }
    assert set(ORGANISATION_NUMBER_MESSAGES) == {"format", "orgnr_third_digit", "checksum"}


def test_no_message_shows_a_real_looking_number() -> None:
    # Examples in messages are patterns; a made-up example could be a real person's number.
    messages = [*PERSONAL_IDENTITY_NUMBER_MESSAGES.values(), *ORGANISATION_NUMBER_MESSAGES.values()]
    for message in messages:
        assert not re.search(r"[0-9]{3}", str(message))


def test_today_is_the_date_in_sweden_not_on_the_server() -> None:
    # 22:30 UTC on 14 June is already 15 June in Stockholm, so a child born on 15 June exists.
    born_15_june = "202506159868"
    just_after_midnight_in_sweden = datetime(2025, 6, 14, 22, 30, tzinfo=UTC)
    with (
        override_settings(TIME_ZONE="Europe/Stockholm"),
        mock.patch("django.utils.timezone.now", return_value=just_after_midnight_in_sweden),
    ):
        validate_personal_identity_number(born_15_june)
    with (
        override_settings(TIME_ZONE="UTC"),
        mock.patch("django.utils.timezone.now", return_value=just_after_midnight_in_sweden),
    ):
        assert raised(validate_personal_identity_number, born_15_june).code == "future_date"


@override_settings(USE_TZ=False)
def test_it_works_without_time_zone_support() -> None:
    validate_personal_identity_number(JENNY)
    assert raised(validate_personal_identity_number, "299912319846").code == "future_date"


# --- validate_organisation_number -------------------------------------------------------------


@pytest.mark.parametrize("value", [AB, "556677-8899", "165566778899", "16556677-8899"])
def test_it_accepts_a_valid_organisation_number(value: str) -> None:
    validate_organisation_number(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("556677-889", "format"),
        ("556677 8899", "format"),
        ("810105-9825", "orgnr_third_digit"),
        ("556677-8898", "checksum"),
    ],
)
def test_it_rejects_an_invalid_organisation_number_with_a_code(value: str, code: str) -> None:
    error = raised(validate_organisation_number, value)
    assert error.code == code
    assert error.messages == [str(ORGANISATION_NUMBER_MESSAGES[code])]


def test_a_personnummer_in_the_organisation_number_field_is_explained() -> None:
    error = raised(validate_organisation_number, "810105-9825")
    assert error.messages == [
        "Det här är inte ett organisationsnummer. Den tredje siffran i ett "
        "organisationsnummer är alltid 2 eller högre."
    ]


def test_a_validator_can_sit_on_a_plain_char_field() -> None:
    field = forms.CharField(validators=[validate_personal_identity_number])
    assert field.clean("810105-9825") == "810105-9825"
    with pytest.raises(ValidationError):
        field.clean("810105-9826")


# --- Form fields ------------------------------------------------------------------------------


class IdentityForm(forms.Form):
    personnummer = PersonalIdentityNumberField()
    organisationsnummer = OrganisationNumberField(required=False)


@pytest.mark.parametrize(
    "value",
    ["810105-9825", "8101059825", "19810105-9825", JENNY, "  810105-9825  "],
)
def test_the_personnummer_field_cleans_to_twelve_digits(value: str) -> None:
    assert PersonalIdentityNumberField().clean(value) == JENNY


@pytest.mark.parametrize("value", ["556677-8899", AB, "165566778899", " 16556677-8899 "])
def test_the_organisation_number_field_cleans_to_ten_digits(value: str) -> None:
    assert OrganisationNumberField().clean(value) == AB


def test_a_form_cleans_both_numbers() -> None:
    form = IdentityForm(data={"personnummer": "750412-9912", "organisationsnummer": "556677-8899"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"personnummer": BERTIL, "organisationsnummer": AB}


def test_a_form_reports_the_error_code_and_message() -> None:
    form = IdentityForm(data={"personnummer": "750412-9913", "organisationsnummer": "750412-9912"})
    assert not form.is_valid()
    assert form.has_error("personnummer", code="checksum")
    assert form.has_error("organisationsnummer", code="orgnr_third_digit")
    assert form.errors["personnummer"] == [str(PERSONAL_IDENTITY_NUMBER_MESSAGES["checksum"])]


def test_an_empty_required_field_says_it_is_required() -> None:
    form = IdentityForm(data={"personnummer": "  ", "organisationsnummer": ""})
    assert not form.is_valid()
    assert form.has_error("personnummer", code="required")
    assert "organisationsnummer" not in form.errors


def test_an_empty_optional_field_cleans_to_the_empty_value() -> None:
    assert PersonalIdentityNumberField(required=False).clean("") == ""
    assert OrganisationNumberField(required=False, empty_value=None).clean("") is None


def test_the_field_accepts_a_samordningsnummer_by_default() -> None:
    assert PersonalIdentityNumberField().clean("701063-2391") == SAMORDNING


def test_the_field_can_refuse_a_samordningsnummer() -> None:
    field = PersonalIdentityNumberField(allow_coordination=False)
    with pytest.raises(ValidationError) as excinfo:
        field.clean(SAMORDNING)
    assert excinfo.value.code == "coordination"
    assert excinfo.value.messages == [
        "Du kan inte använda samordningsnummer här. Skriv ditt personnummer."
    ]
    assert field.clean(JENNY) == JENNY


def test_a_form_can_override_a_message() -> None:
    field = PersonalIdentityNumberField(error_messages={"checksum": "Fel kontrollsiffra."})
    with pytest.raises(ValidationError) as excinfo:
        field.clean("198101059826")
    assert excinfo.value.messages == ["Fel kontrollsiffra."]
    assert excinfo.value.code == "checksum"


def test_an_unchanged_number_in_another_form_is_not_a_change() -> None:
    form = IdentityForm(
        data={"personnummer": "810105-9825", "organisationsnummer": "556677-8899"},
        initial={"personnummer": JENNY, "organisationsnummer": AB},
    )
    assert not form.has_changed()


def test_the_browser_does_not_autocomplete_or_spellcheck_the_number() -> None:
    html = str(IdentityForm()["personnummer"])
    assert 'autocomplete="off"' in html
    assert 'spellcheck="false"' in html

"""Block fields: address, contact details and organisation."""

import pytest
from django.utils import translation

from sjalvservice.eservices.definitions import FIELD_TYPES, build_step_form
from sjalvservice.eservices.tests.test_definitions_support import (
    definition,
    errors_of,
    posted,
    step_form,
)

ADDRESS = {"key": "adress", "type": "address", "label": "Fastighetens adress"}
CONTACT = {"key": "kontakt", "type": "contact", "label": "Personuppgifter", "required": True}
ORGANISATION = {"key": "org", "type": "organisation", "label": "Organisation", "required": True}
ANNA = {
    "kontakt__first_name": "Anna",
    "kontakt__last_name": "Testersson",
    "kontakt__street": "Storgatan 1",
    "kontakt__postal_code": "931 30",
    "kontakt__city": "Skellefteå",
    "kontakt__email": "anna@example.se",
}
MY_ORGANISATIONS = [{"id": 7, "name": "Bolaget AB", "organisation_number": "5566778899"}]


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_an_address_is_stored_with_a_five_digit_postal_code():
    form = step_form(ADDRESS, adress__street="Storgatan 1", adress__postal_code="931 30",
                     adress__city="Skellefteå")  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.answers() == {
        "adress": {"street": "Storgatan 1", "postal_code": "93130", "city": "Skellefteå"}
    }
    spec = definition(ADDRESS).steps[0].fields[0]
    assert FIELD_TYPES["address"].display(spec, form.answers()["adress"]) == (
        "Storgatan 1\n931 30 Skellefteå"
    )


def test_a_postal_code_has_five_digits():
    form = step_form(ADDRESS, adress__street="S", adress__postal_code="9313", adress__city="O")
    assert errors_of(form) == {
        "adress__postal_code": [("Skriv postnumret med fem siffror, till exempel 931 85",
                                 "invalid")]
    }  # fmt: skip


def test_an_optional_address_is_all_or_nothing():
    empty = step_form(ADDRESS)
    assert empty.is_valid()
    assert empty.answers() == {"adress": None}
    assert errors_of(step_form(ADDRESS, adress__city="Skellefteå")) == {
        "adress__street": [("Skriv adressen", "required")],
        "adress__postal_code": [("Skriv postnumret", "required")],
    }


def test_a_required_address_needs_every_part():
    assert errors_of(step_form({**ADDRESS, "required": True})) == {
        "adress__street": [("Skriv adressen", "required")],
        "adress__postal_code": [("Skriv postnumret", "required")],
        "adress__city": [("Skriv orten", "required")],
    }


def test_the_contact_block_has_the_handbook_s_parts_and_labels():
    form = build_step_form(definition(CONTACT), "steg")
    labels = {name: str(field.label) for name, field in form.fields.items()}
    assert labels == {
        "kontakt__first_name": "Förnamn", "kontakt__last_name": "Efternamn",
        "kontakt__street": "Adress", "kontakt__postal_code": "Postnummer",
        "kontakt__city": "Ort", "kontakt__phone": "Telefon", "kontakt__email": "E-postadress",
        "kontakt__mobile": "Mobiltelefon",
        "kontakt__notify_email": "Jag vill bli notifierad via e-post",
        "kontakt__notify_sms": "Jag vill bli notifierad via SMS",
    }  # fmt: skip
    autocomplete = {name: form.fields[name].widget.attrs.get("autocomplete")
                    for name in form.fields}  # fmt: skip
    assert autocomplete["kontakt__first_name"] == "given-name"
    assert autocomplete["kontakt__city"] == "address-level2"
    assert autocomplete["kontakt__email"] == "email"
    assert form.field_groups()[0].note == (
        "Dina kontaktuppgifter kommer att sparas under mina uppgifter."
    )


def test_the_starred_contact_details_are_required():
    assert errors_of(step_form(CONTACT)) == {
        "kontakt__first_name": [("Skriv ditt förnamn", "required")],
        "kontakt__last_name": [("Skriv ditt efternamn", "required")],
        "kontakt__street": [("Skriv din adress", "required")],
        "kontakt__postal_code": [("Skriv postnumret", "required")],
        "kontakt__city": [("Skriv orten där du bor", "required")],
        "kontakt__email": [("Skriv din e-postadress, till exempel namn@exempel.se", "required")],
    }


def test_contact_details_are_stored_as_one_object():
    form = step_form(CONTACT, **ANNA, kontakt__notify_email="on",
                     kontakt__mobile=" 070-123  45 67 ")  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.answers() == {"kontakt": {
        "first_name": "Anna", "last_name": "Testersson", "street": "Storgatan 1",
        "postal_code": "93130", "city": "Skellefteå", "phone": "", "email": "anna@example.se",
        "mobile": "070-123 45 67", "notify_email": True, "notify_sms": False,
    }}  # fmt: skip
    spec = definition(CONTACT).steps[0].fields[0]
    assert FIELD_TYPES["contact"].display(spec, form.answers()["kontakt"]).splitlines() == [
        "Anna Testersson", "Storgatan 1", "931 30 Skellefteå", "E-postadress: anna@example.se",
        "Mobiltelefon: 070-123 45 67", "Notifieringar: e-post",
    ]  # fmt: skip


def test_notification_by_sms_needs_a_mobile_number():
    assert errors_of(step_form(CONTACT, **ANNA, kontakt__notify_sms="on")) == {
        "kontakt__mobile": [
            ("Skriv ditt mobilnummer om du vill bli notifierad via SMS", "required")
        ]
    }


def test_the_contact_block_is_prefilled_from_my_details_until_answered():
    profile = {"first_name": "Anna", "street": "Storgatan 1", "postal_code": "93130",
               "notify_sms": True, "unknown": "ignored"}  # fmt: skip
    form = build_step_form(definition(CONTACT), "steg", answers={}, prefill={"kontakt": profile})
    assert 'value="Storgatan 1"' in str(form["kontakt__street"])
    assert 'value="931 30"' in str(form["kontakt__postal_code"])
    assert form["kontakt__notify_sms"].value() is True
    answered = {"kontakt": {**profile, "street": "Älvgatan 2"}}
    form = build_step_form(definition(CONTACT), "steg", answers=answered,
                           prefill={"kontakt": profile})  # fmt: skip
    assert 'value="Älvgatan 2"' in str(form["kontakt__street"])


def organisation_form(field=ORGANISATION, organisations=MY_ORGANISATIONS, answers=None, **data):
    return build_step_form(definition(field), "steg", answers=answers or {},
                           data=posted(**data), organisations=organisations)  # fmt: skip


def test_one_of_my_organisations_can_be_chosen():
    form = organisation_form(org__choice="7")
    assert form.is_valid(), form.errors
    assert form.answers() == {
        "org": {"id": 7, "name": "Bolaget AB", "organisation_number": "5566778899"}
    }
    assert dict(form.fields["org__choice"].choices) == {
        "7": "Bolaget AB (556677-8899)", "new": "Lägg till en annan organisation",
    }  # fmt: skip


def test_another_organisation_can_be_added_with_a_valid_number():
    form = organisation_form(org__choice="new", org__organisation_number="556677-8899",
                             org__name=" Nya  Bolaget AB ")  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.answers() == {
        "org": {"id": None, "organisation_number": "5566778899", "name": "Nya Bolaget AB"}
    }
    assert errors_of(organisation_form(org__choice="new", org__organisation_number="5566778898",
                                       org__name="AB")) == {
        "org__organisation_number": [
            ("Organisationsnumret är inte giltigt. Den sista siffran stämmer inte med de andra. "
             "Kontrollera att du har skrivit alla siffror rätt.", "checksum"),
        ]
    }  # fmt: skip


def test_what_is_typed_for_a_new_organisation_is_ignored_when_mine_is_chosen():
    form = organisation_form(org__choice="7", org__organisation_number="skräp")
    assert form.is_valid(), form.errors


def test_a_required_organisation_must_be_chosen_or_added():
    assert errors_of(organisation_form()) == {"org__choice": [("Välj en organisation", "required")]}
    assert errors_of(organisation_form(org__choice="new")) == {
        "org__organisation_number": [("Skriv organisationsnumret", "required")],
        "org__name": [("Skriv organisationens namn", "required")],
    }
    assert errors_of(organisation_form(org__choice="8")) == {
        "org__choice": [("Välj en organisation", "invalid_choice")]
    }


def test_without_organisations_of_my_own_only_the_number_and_name_are_asked():
    form = organisation_form(organisations=(), org__organisation_number="5566778899",
                             org__name="Bolaget AB")  # fmt: skip
    assert list(form.fields) == ["org__organisation_number", "org__name"]
    assert form.is_valid(), form.errors
    assert form.answers()["org"]["id"] is None
    assert errors_of(organisation_form(organisations=())) == {
        "org__organisation_number": [("Skriv organisationsnumret", "required")],
        "org__name": [("Skriv organisationens namn", "required")],
    }


def test_an_optional_organisation_may_be_left_out():
    form = organisation_form({**ORGANISATION, "required": False})
    assert form.is_valid()
    assert form.answers() == {"org": None}


def test_a_stored_organisation_is_chosen_again_or_shown_as_added():
    mine = organisation_form(answers={"org": {"id": 7, "name": "Bolaget AB",
                                              "organisation_number": "5566778899"}})  # fmt: skip
    assert mine.initial == {"org__choice": "7"}
    other = {"org": {"id": None, "name": "Nya AB", "organisation_number": "5566778899"}}
    form = build_step_form(definition(ORGANISATION), "steg", answers=other,
                           organisations=MY_ORGANISATIONS)  # fmt: skip
    assert form.initial == {"org__choice": "new", "org__organisation_number": "556677-8899",
                            "org__name": "Nya AB"}  # fmt: skip
    spec = definition(ORGANISATION).steps[0].fields[0]
    assert FIELD_TYPES["organisation"].display(spec, other["org"]) == "Nya AB (556677-8899)"

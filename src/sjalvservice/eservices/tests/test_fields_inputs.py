"""Field types with one input: required, limits, Swedish messages with codes, stored answers."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from sjalvservice.eservices.definitions import FIELD_TYPES
from sjalvservice.eservices.tests.test_definitions_support import definition, errors_of, step_form

TITLE = {"key": "rubrik", "type": "text", "label": "Rubrik", "required": True, "max_length": 120}


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def answers_of(form):
    assert form.is_valid(), form.errors
    return form.answers()


def test_a_required_text_names_the_field():
    assert errors_of(step_form(TITLE, rubrik="  ")) == {"rubrik": [("Ange Rubrik.", "required")]}


def test_a_text_over_its_limit_says_the_limit():
    assert errors_of(step_form(TITLE, rubrik="x" * 121)) == {
        "rubrik": [("Rubrik får vara högst 120 tecken.", "max_length")]
    }
    short = {**TITLE, "min_length": 3}
    assert errors_of(step_form(short, rubrik="ab")) == {
        "rubrik": [("Rubrik måste vara minst 3 tecken.", "min_length")]
    }


def test_a_text_is_stored_trimmed_and_an_empty_optional_one_as_none():
    assert answers_of(step_form(TITLE, rubrik="  Fler bänkar  ")) == {"rubrik": "Fler bänkar"}
    assert answers_of(step_form({**TITLE, "required": False}, rubrik="")) == {"rubrik": None}


def test_a_pattern_must_match_the_whole_answer():
    field = {**TITLE, "pattern": "[0-9]{3} ?[0-9]{2}", "pattern_message": "Skriv fem siffror."}
    assert errors_of(step_form(field, rubrik="abc 93185 xyz")) == {
        "rubrik": [("Skriv fem siffror.", "pattern")]
    }
    assert answers_of(step_form(field, rubrik="931 85")) == {"rubrik": "931 85"}


def test_a_label_with_a_percent_sign_is_shown_as_it_is():
    field = {**TITLE, "label": "Andel i %", "max_length": 3}
    assert errors_of(step_form(field, rubrik="1234")) == {
        "rubrik": [("Andel i % får vara högst 3 tecken.", "max_length")]
    }


def test_a_textarea_has_its_own_default_limit_and_rows():
    field = {"key": "beskrivning", "type": "textarea", "label": "Beskrivning", "rows": 8}
    form = step_form(field, beskrivning="x" * 10001)
    assert errors_of(form) == {
        "beskrivning": [("Beskrivning får vara högst 10000 tecken.", "max_length")]
    }
    assert 'rows="8"' in str(form["beskrivning"])
    assert "maxlength" not in str(form["beskrivning"])


NUMBER = {"key": "yta", "type": "number", "label": "Yta", "min": 1, "max": 5000, "decimals": 1}


@pytest.mark.parametrize(
    ("typed", "stored"), [("12", 12.0), ("12,5", 12.5), ("1 250.5", 1250.5), ("−3", -3.0)]
)
def test_a_number_accepts_how_people_write_numbers(typed, stored):
    assert answers_of(step_form({**NUMBER, "min": None}, yta=typed)) == {"yta": stored}


@pytest.mark.parametrize(
    ("typed", "message", "code"),
    [
        ("tolv", "Yta måste vara ett tal.", "invalid"),
        ("1e5", "Yta måste vara ett tal.", "invalid"),
        ("NaN", "Yta måste vara ett tal.", "invalid"),
        ("0,5", "Yta måste vara minst 1.", "min_value"),
        ("12,25", "Yta får ha högst 1 decimaler.", "max_decimal_places"),
        ("1" * 16 + ",5", "Yta har för många siffror.", "max_digits"),
    ],
)
def test_a_number_outside_its_limits_is_refused(typed, message, code):
    assert errors_of(step_form({**NUMBER, "max": None}, yta=typed)) == {"yta": [(message, code)]}


def test_a_number_over_its_maximum_is_refused():
    assert errors_of(step_form(NUMBER, yta="5000,1")) == {
        "yta": [("Yta får vara högst 5000.", "max_value")]
    }


def test_a_whole_number_is_stored_as_an_integer():
    field = {"key": "antal", "type": "number", "label": "Antal", "required": True}
    assert answers_of(step_form(field, antal="7")) == {"antal": 7}
    assert errors_of(step_form(field, antal="7,5")) == {
        "antal": [("Antal måste vara ett heltal.", "max_decimal_places")]
    }
    assert errors_of(step_form(field, antal="")) == {"antal": [("Ange Antal.", "required")]}


def test_an_email_address_is_checked():
    field = {"key": "epost", "type": "email", "label": "E-post", "required": True}
    assert errors_of(step_form(field, epost="inte en adress")) == {
        "epost": [("E-post måste vara en e-postadress, till exempel namn@exempel.se.", "invalid")]
    }
    assert answers_of(step_form(field, epost="anna@example.se")) == {"epost": "anna@example.se"}


@pytest.mark.parametrize("typed", ["070-123 45 67", "+46 70 123 45 67", "0910 12345"])
def test_a_phone_number_has_7_to_15_digits(typed):
    field = {"key": "telefon", "type": "phone", "label": "Telefon"}
    assert answers_of(step_form(field, telefon=f" {typed} ")) == {"telefon": typed}


@pytest.mark.parametrize("typed", ["123 45", "070-ABC", "1234567890123456", "46+70123456"])
def test_a_phone_number_with_letters_or_too_few_digits_is_refused(typed):
    field = {"key": "telefon", "type": "phone", "label": "Telefon"}
    assert errors_of(step_form(field, telefon=typed)) == {
        "telefon": [("Telefon måste vara ett telefonnummer med 7–15 siffror, till exempel "
                     "070-123 45 67.", "invalid")]
    }  # fmt: skip


def test_a_date_is_stored_in_iso_form():
    field = {"key": "datum", "type": "date", "label": "Datum"}
    assert answers_of(step_form(field, datum="2025-3-31")) == {"datum": "2025-03-31"}
    assert answers_of(step_form(field, datum="20250331")) == {"datum": "2025-03-31"}
    assert errors_of(step_form(field, datum="2025-02-30")) == {
        "datum": [("Datum måste vara ett datum som finns, till exempel 2025-03-31.", "invalid")]
    }


def test_a_date_limit_may_be_today():
    field = {"key": "datum", "type": "date", "label": "Datum", "min": "today", "max": "2999-12-31"}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert errors_of(step_form(field, datum=yesterday)) == {
        "datum": [("Datum får inte vara tidigare än i dag.", "min_value")]
    }
    assert errors_of(step_form(field, datum="3000-01-01")) == {
        "datum": [("Datum får inte vara senare än 2999-12-31.", "max_value")]
    }
    today = timezone.localdate().isoformat()
    assert answers_of(step_form(field, datum=today)) == {"datum": today}


def test_a_personal_identity_number_is_stored_with_12_digits():
    field = {"key": "pnr", "type": "personal_identity_number", "label": "Personnummer",
             "required": True}  # fmt: skip
    assert answers_of(step_form(field, pnr="810105-9825")) == {"pnr": "198101059825"}
    assert errors_of(step_form(field, pnr="198101059826"))["pnr"][0][1] == "checksum"
    assert errors_of(step_form(field, pnr="")) == {"pnr": [("Ange Personnummer.", "required")]}
    assert (
        FIELD_TYPES["personal_identity_number"].display(
            definition(field).steps[0].fields[0], "198101059825"
        )
        == "19810105-9825"
    )


def test_a_required_consent_must_be_ticked():
    field = {"key": "ok", "type": "consent", "label": "Samtycke", "required": True,
             "text": "Jag godkänner att kommunen behandlar mina uppgifter."}  # fmt: skip
    form = step_form(field)
    assert errors_of(form) == {"ok": [("Kryssa i rutan för Samtycke.", "required")]}
    assert form.fields["ok"].label == "Jag godkänner att kommunen behandlar mina uppgifter."
    assert answers_of(step_form(field, ok="on")) == {"ok": True}
    assert answers_of(step_form({**field, "required": False})) == {"ok": None}


def test_an_info_text_takes_no_input_and_has_no_answer():
    info = {"key": "om", "type": "info", "label": "Om tjänsten", "text": "Läs det här."}
    form = step_form(info, TITLE, rubrik="R")
    assert list(form.fields) == ["rubrik"]
    assert answers_of(form) == {"rubrik": "R"}
    assert [group.spec.key for group in form.field_groups()] == ["om", "rubrik"]


def test_each_type_displays_and_exports_its_answer():
    spec = definition(NUMBER).steps[0].fields[0]
    assert FIELD_TYPES["number"].display(spec, 1250.5) == "1250,5"
    assert FIELD_TYPES["number"].display(spec, None) == ""
    assert FIELD_TYPES["number"].export(spec, 1250.5) == 1250.5
    assert FIELD_TYPES["number"].initial(spec, 12.5) == {"yta": "12,5"}


def test_the_initial_value_comes_from_the_stored_answer():
    from sjalvservice.eservices.definitions import build_step_form

    field = {"key": "datum", "type": "date", "label": "Datum"}
    form = build_step_form(definition(field), "steg", answers={"datum": "2025-03-31"})
    assert 'value="2025-03-31"' in str(form["datum"])
    assert (
        form.fields["datum"].help_text == "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2025-03-31."
    )
    assert date.fromisoformat(form["datum"].value()) == date(2025, 3, 31)

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


def test_a_required_text_says_what_to_do_without_its_label():
    assert errors_of(step_form(TITLE, rubrik="  ")) == {"rubrik": [("Skriv ditt svar", "required")]}


def test_a_text_over_its_limit_says_the_limit():
    assert errors_of(step_form(TITLE, rubrik="x" * 121)) == {
        "rubrik": [("Svaret får vara högst 120 tecken", "max_length")]
    }
    short = {**TITLE, "min_length": 3}
    assert errors_of(step_form(short, rubrik="ab")) == {
        "rubrik": [("Svaret måste vara minst 3 tecken", "min_length")]
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
        "rubrik": [("Svaret får vara högst 3 tecken", "max_length")]
    }


def test_a_textarea_has_its_own_default_limit_and_rows():
    field = {"key": "beskrivning", "type": "textarea", "label": "Beskrivning", "rows": 8}
    form = step_form(field, beskrivning="x" * 10001)
    assert errors_of(form) == {
        "beskrivning": [("Svaret får vara högst 10000 tecken", "max_length")]
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
        ("tolv", "Skriv ett tal, till exempel 12,5", "invalid"),
        ("1e5", "Skriv ett tal, till exempel 12,5", "invalid"),
        ("NaN", "Skriv ett tal, till exempel 12,5", "invalid"),
        ("0,5", "Talet måste vara minst 1", "min_value"),
        ("12,25", "Skriv talet med högst 1 decimal", "max_decimal_places"),
        ("1" * 16 + ",5", "Talet har för många siffror", "max_digits"),
    ],
)
def test_a_number_outside_its_limits_is_refused(typed, message, code):
    assert errors_of(step_form({**NUMBER, "max": None}, yta=typed)) == {"yta": [(message, code)]}


def test_a_number_over_its_maximum_is_refused():
    assert errors_of(step_form(NUMBER, yta="5000,1")) == {
        "yta": [("Talet får vara högst 5000", "max_value")]
    }


def test_a_whole_number_is_stored_as_an_integer():
    field = {"key": "antal", "type": "number", "label": "Antal", "required": True}
    assert answers_of(step_form(field, antal="7")) == {"antal": 7}
    assert errors_of(step_form(field, antal="7,5")) == {
        "antal": [("Skriv ett heltal, till exempel 12", "max_decimal_places")]
    }
    assert errors_of(step_form(field, antal="")) == {"antal": [("Skriv ett tal", "required")]}


def test_an_email_address_is_checked():
    field = {"key": "epost", "type": "email", "label": "E-post", "required": True}
    assert errors_of(step_form(field, epost="inte en adress")) == {
        "epost": [("Skriv e-postadressen i rätt format, till exempel namn@exempel.se", "invalid")]
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
        "telefon": [("Skriv telefonnumret med 7–15 siffror, till exempel 070-123 45 67",
                     "invalid")]
    }  # fmt: skip


def test_a_date_is_stored_in_iso_form():
    field = {"key": "datum", "type": "date", "label": "Datum"}
    assert answers_of(step_form(field, datum="2025-3-31")) == {"datum": "2025-03-31"}
    assert answers_of(step_form(field, datum="20250331")) == {"datum": "2025-03-31"}
    assert errors_of(step_form(field, datum="2025-02-30")) == {
        "datum": [("Datumet måste finnas, till exempel 2025-03-31", "invalid")]
    }


def test_a_date_limit_may_be_today():
    field = {"key": "datum", "type": "date", "label": "Datum", "min": "today", "max": "2999-12-31"}
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert errors_of(step_form(field, datum=yesterday)) == {
        "datum": [("Datumet får inte vara tidigare än i dag", "min_value")]
    }
    assert errors_of(step_form(field, datum="3000-01-01")) == {
        "datum": [("Datumet får inte vara senare än 2999-12-31", "max_value")]
    }
    today = timezone.localdate().isoformat()
    assert answers_of(step_form(field, datum=today)) == {"datum": today}


def test_a_personal_identity_number_is_stored_with_12_digits():
    field = {"key": "pnr", "type": "personal_identity_number", "label": "Personnummer",
             "required": True}  # fmt: skip
    assert answers_of(step_form(field, pnr="810105-9825")) == {"pnr": "198101059825"}
    assert errors_of(step_form(field, pnr="198101059826"))["pnr"][0][1] == "checksum"
    assert errors_of(step_form(field, pnr="")) == {"pnr": [("Skriv ett personnummer", "required")]}
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
    assert errors_of(form) == {"ok": [("Kryssa i rutan för att gå vidare", "required")]}
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


def test_a_field_s_own_messages_win_over_the_defaults():
    errors = {"required": "Skriv en rubrik", "min_length": "Rubriken är för kort"}
    own = {**TITLE, "min_length": 3, "errors": errors}
    assert errors_of(step_form(own, rubrik="")) == {"rubrik": [("Skriv en rubrik", "required")]}
    assert errors_of(step_form(own, rubrik="ab")) == {
        "rubrik": [("Rubriken är för kort", "min_length")]
    }
    # A kind the field does not name keeps the default.
    assert errors_of(step_form(own, rubrik="x" * 121)) == {
        "rubrik": [("Svaret får vara högst 120 tecken", "max_length")]
    }


def test_number_date_email_and_phone_take_messages_of_their_own():
    errors = {"required": "Skriv ytan", "invalid": "Ytan i siffror",
              "decimals": "En decimal räcker", "min": "Minst 1", "max": "Högst 5000"}  # fmt: skip
    number = {**NUMBER, "required": True, "errors": errors}
    for typed, expected in (("", "Skriv ytan"), ("tolv", "Ytan i siffror"),
                            ("1,25", "En decimal räcker"), ("0,5", "Minst 1"),
                            ("6000", "Högst 5000")):  # fmt: skip
        assert [message for message, _code in errors_of(step_form(number, yta=typed))["yta"]] == [
            expected
        ]
    date = {"key": "datum", "type": "date", "label": "Datum", "min": "2025-01-01",
            "max": "2025-12-31", "errors": {"invalid": "Finns inte", "min": "För tidigt",
                                            "max": "För sent"}}  # fmt: skip
    assert errors_of(step_form(date, datum="2025-02-30"))["datum"][0][0] == "Finns inte"
    assert errors_of(step_form(date, datum="2024-12-31"))["datum"][0][0] == "För tidigt"
    assert errors_of(step_form(date, datum="2026-01-01"))["datum"][0][0] == "För sent"
    email = {"key": "epost", "type": "email", "label": "E-post", "required": True,
             "errors": {"required": "Skriv din e-post", "invalid": "Med @, tack"}}  # fmt: skip
    assert errors_of(step_form(email, epost=""))["epost"][0][0] == "Skriv din e-post"
    assert errors_of(step_form(email, epost="x"))["epost"][0][0] == "Med @, tack"
    phone = {"key": "tel", "type": "phone", "label": "Tel", "errors": {"invalid": "Bara siffror"}}
    assert errors_of(step_form(phone, tel="abc"))["tel"][0][0] == "Bara siffror"


def test_no_default_message_names_the_field():
    date = {"key": "datum", "type": "date", "label": "Datum"}
    for field, typed in ((TITLE, ""), (TITLE, "x" * 121), (NUMBER, "tolv"), (NUMBER, "0,5"),
                         (date, "2025-02-30")):  # fmt: skip
        field = {**field, "required": True, "label": "Zebrafink"}
        for messages in errors_of(step_form(field, **{field["key"]: typed})).values():
            assert all("Zebrafink" not in message for message, _code in messages)

"""The short name a case takes from its first answers (``Definition.case_title``)."""

from sjalvservice.eservices.definitions import parse_definition
from sjalvservice.eservices.tests.test_definitions_support import definition, document


def test_the_first_answered_text_field_names_the_case():
    form = parse_definition(
        document(
            ("om", [{"key": "antal", "type": "number", "label": "Antal"},
                    {"key": "rubrik", "type": "text", "label": "Rubrik"}]),
            ("mer", [{"key": "plats", "type": "text", "label": "Plats"}]),
        )
    )  # fmt: skip
    assert form.case_title({"antal": 3, "plats": "Vid älven"}) == "Vid älven"
    assert form.case_title({"rubrik": "  Bänk \n vid   älven ", "plats": "x"}) == "Bänk vid älven"


def test_no_text_answer_gives_no_title():
    form = definition(
        {"key": "beskrivning", "type": "textarea", "label": "Beskrivning"},
        {"key": "rubrik", "type": "text", "label": "Rubrik"},
    )
    assert form.case_title({"beskrivning": "Lång text", "rubrik": "   "}) == ""
    assert form.case_title({}) == ""


def test_a_long_answer_is_cut_at_a_word():
    form = definition({"key": "rubrik", "type": "text", "label": "Rubrik", "max_length": 200})
    title = form.case_title({"rubrik": "ord " * 40})
    assert title.endswith("ord…")
    assert len(title) <= 80

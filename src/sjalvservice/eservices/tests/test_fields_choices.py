"""Choice, multiple choice and yes/no fields."""

import pytest
from django.utils import translation

from sjalvservice.eservices.definitions import FIELD_TYPES, build_step_form
from sjalvservice.eservices.tests.test_definitions_support import definition, errors_of, step_form

CHOICES = [{"value": "nybyggnad", "label": "Bygga nytt"},
           {"value": "tillbyggnad", "label": "Bygga till"},
           {"value": "rivning", "label": "Riva"}]  # fmt: skip
KIND = {"key": "typ", "type": "choice", "label": "Typ av åtgärd", "required": True,
        "choices": CHOICES}  # fmt: skip
MANY = {"key": "delar", "type": "multiple_choice", "label": "Delar", "choices": CHOICES,
        "min_choices": 2, "max_choices": 2}  # fmt: skip


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_a_required_choice_says_what_to_do_without_its_label():
    assert errors_of(step_form(KIND)) == {"typ": [("Välj ett av alternativen", "required")]}


def test_a_choice_must_be_one_of_the_choices():
    assert errors_of(step_form(KIND, typ="hemligt")) == {
        "typ": [("Välj ett av alternativen som visas", "invalid_choice")]
    }
    form = step_form(KIND, typ="rivning")
    assert form.is_valid()
    assert form.answers() == {"typ": "rivning"}


def test_a_choice_is_radios_or_a_select_with_an_empty_first_option():
    assert build_step_form(definition(KIND), "steg").field_groups()[0].template_name == (
        "eservices/fields/radios.html"
    )
    select = build_step_form(definition({**KIND, "widget": "select"}), "steg")
    assert select.field_groups()[0].template_name == "core/fields/input.html"
    assert select.fields["typ"].choices[0] == ("", "Välj")
    assert 'class="govuk-select"' in str(select["typ"])


def test_a_choice_is_displayed_by_its_label_and_exported_with_both():
    spec = definition(KIND).steps[0].fields[0]
    assert FIELD_TYPES["choice"].display(spec, "rivning") == "Riva"
    assert FIELD_TYPES["choice"].export(spec, "rivning") == {"value": "rivning", "label": "Riva"}


def test_a_question_as_label_is_not_pasted_into_the_message():
    question = {**KIND, "label": "Vad vill du göra?"}
    assert errors_of(step_form(question)) == {"typ": [("Välj ett av alternativen", "required")]}


def test_multiple_choices_are_counted():
    assert errors_of(step_form(MANY, delar=["rivning"])) == {
        "delar": [("Välj minst 2 alternativ", "min_choices")]
    }
    assert errors_of(step_form(MANY, delar=["rivning", "nybyggnad", "tillbyggnad"])) == {
        "delar": [("Välj högst 2 alternativ", "max_choices")]
    }


def test_an_optional_multiple_choice_may_be_left_empty_despite_a_minimum():
    form = step_form(MANY)
    assert form.is_valid()
    assert form.answers() == {"delar": None}


def test_multiple_choices_are_stored_in_the_order_of_the_choices():
    form = step_form(MANY, delar=["rivning", "nybyggnad"])
    assert form.is_valid()
    assert form.answers() == {"delar": ["nybyggnad", "rivning"]}
    spec = definition(MANY).steps[0].fields[0]
    assert FIELD_TYPES["multiple_choice"].display(spec, ["nybyggnad", "rivning"]) == (
        "Bygga nytt, Riva"
    )


def test_a_required_multiple_choice_needs_one():
    assert errors_of(step_form({**MANY, "required": True})) == {
        "delar": [("Välj minst ett alternativ", "required")]
    }


def test_yes_no_is_ja_or_nej():
    field = {"key": "ombud", "type": "yes_no", "label": "Ombud", "required": True}
    assert errors_of(step_form(field)) == {"ombud": [("Välj ja eller nej", "required")]}
    form = step_form(field, ombud="nej")
    assert form.is_valid()
    assert form.answers() == {"ombud": "nej"}
    assert FIELD_TYPES["yes_no"].display(definition(field).steps[0].fields[0], "nej") == "Nej"
    assert form.field_groups()[0].inline


def test_choices_take_messages_of_their_own():
    own = {**KIND, "errors": {"required": "Välj vad du vill göra"}}
    assert errors_of(step_form(own)) == {"typ": [("Välj vad du vill göra", "required")]}
    many = {**MANY, "errors": {"min_choices": "Välj två delar", "max_choices": "Högst två delar"}}
    assert errors_of(step_form(many, delar=["rivning"]))["delar"][0][0] == "Välj två delar"
    assert (
        errors_of(step_form(many, delar=["rivning", "nybyggnad", "tillbyggnad"]))["delar"][0][0]
        == "Högst två delar"
    )
    yes_no = {"key": "ombud", "type": "yes_no", "label": "Ombud", "required": True,
              "errors": {"required": "Välj om du har ett ombud"}}  # fmt: skip
    assert errors_of(step_form(yes_no)) == {"ombud": [("Välj om du har ett ombud", "required")]}

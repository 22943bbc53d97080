"""Conditions: which steps and fields are shown, and which answers are dropped."""

from sjalvservice.eservices.definitions import (
    Condition,
    drop_hidden,
    has_answer,
    is_met,
    parse_definition,
    visible_fields,
    visible_steps,
)
from sjalvservice.eservices.tests.test_definitions_support import document

CHOICES = [{"value": "nybyggnad", "label": "Bygga nytt"},
           {"value": "tillbyggnad", "label": "Bygga till"},
           {"value": "rivning", "label": "Riva"}]  # fmt: skip
KIND = {"key": "typ", "type": "choice", "label": "Typ", "choices": CHOICES}
AGENT = {"key": "har_ombud", "type": "yes_no", "label": "Har du ombud?"}
AGENT_NAME = {"key": "ombud", "type": "text", "label": "Ombudets namn",
              "condition": {"field": "har_ombud", "equals": "ja"}}  # fmt: skip
AGENT_PHONE = {"key": "ombud_telefon", "type": "phone", "label": "Ombudets telefon",
               "condition": {"field": "ombud", "not_empty": True}}  # fmt: skip


def condition(**data):
    return Condition.model_validate(data)


def test_no_condition_is_always_met():
    assert is_met(None, {})


def test_equals_compares_the_answer():
    assert is_met(condition(field="typ", equals="nybyggnad"), {"typ": "nybyggnad"})
    assert not is_met(condition(field="typ", equals="nybyggnad"), {"typ": "rivning"})
    assert not is_met(condition(field="typ", equals="nybyggnad"), {})


def test_in_means_equals_one_of():
    met = condition(field="typ", **{"in": ["nybyggnad", "tillbyggnad"]})
    assert is_met(met, {"typ": "tillbyggnad"})
    assert not is_met(met, {"typ": "rivning"})


def test_equals_on_a_multiple_choice_means_includes():
    includes = condition(field="typ", equals="rivning")
    assert is_met(includes, {"typ": ["nybyggnad", "rivning"]})
    assert not is_met(includes, {"typ": ["nybyggnad"]})
    assert not is_met(includes, {"typ": []})


def test_not_empty_asks_for_any_answer():
    given = condition(field="x", not_empty=True)
    assert is_met(given, {"x": "något"})
    assert is_met(given, {"x": 0})
    assert is_met(given, {"x": {"street": "", "city": "Ort"}})
    for empty in (None, "", "  ", [], {}, {"street": ""}, False):
        assert not is_met(given, {"x": empty})
    assert is_met(condition(field="x", not_empty=False), {})


def test_a_number_in_yaml_matches_text_and_numbers_but_a_boolean_is_never_a_number():
    assert is_met(condition(field="x", equals=5), {"x": "5"})
    assert is_met(condition(field="x", equals=5), {"x": 5.0})
    assert not is_met(condition(field="x", equals=1), {"x": True})
    assert is_met(condition(field="x", equals=True), {"x": True})


def test_has_answer_treats_a_block_by_its_parts():
    assert not has_answer({"street": "", "notify_email": False})
    assert has_answer({"street": "", "notify_email": True})


def test_a_condition_hides_a_field_and_its_answer_is_dropped():
    definition = parse_definition(document(("steg", [AGENT, AGENT_NAME])))
    answers = {"har_ombud": "nej", "ombud": "Bygg AB"}
    assert [f.key for f in visible_fields(definition.steps[0], answers)] == ["har_ombud"]
    assert drop_hidden(definition, answers) == {"har_ombud": "nej"}
    assert drop_hidden(definition, {**answers, "har_ombud": "ja"}) == {
        "har_ombud": "ja", "ombud": "Bygg AB",
    }  # fmt: skip


def test_hiding_a_field_hides_the_fields_that_depend_on_it():
    definition = parse_definition(document(("ett", [AGENT, AGENT_NAME]), ("tva", [AGENT_PHONE])))
    answers = {"har_ombud": "nej", "ombud": "Bygg AB", "ombud_telefon": "070-123 45 67"}
    assert drop_hidden(definition, answers) == {"har_ombud": "nej"}
    assert visible_fields(definition.steps[1], drop_hidden(definition, answers)) == []


def test_a_step_condition_skips_the_whole_step_and_drops_its_answers():
    definition = parse_definition(document(
        ("atgard", [KIND]),
        ("nybyggnad", [{"key": "area", "type": "number", "label": "Area"}],
         {"field": "typ", "equals": "nybyggnad"}),
        ("slut", [{"key": "ok", "type": "consent", "label": "OK",
                   "condition": {"field": "area", "not_empty": True}}]),
    ))  # fmt: skip
    answers = {"typ": "rivning", "area": 120, "ok": True}
    assert [step.key for step in visible_steps(definition, answers)] == ["atgard", "slut"]
    assert drop_hidden(definition, answers) == {"typ": "rivning"}
    answers["typ"] = "nybyggnad"
    assert [step.key for step in visible_steps(definition, answers)] == [
        "atgard", "nybyggnad", "slut",
    ]  # fmt: skip
    assert drop_hidden(definition, answers) == answers


def test_answers_of_fields_not_in_the_definition_are_dropped():
    definition = parse_definition(document(("steg", [AGENT])))
    assert drop_hidden(definition, {"har_ombud": "ja", "gammalt_falt": "x"}) == {"har_ombud": "ja"}


def test_visible_fields_uses_the_posted_answer_of_an_earlier_field_in_the_step():
    definition = parse_definition(document(("steg", [AGENT, AGENT_NAME, AGENT_PHONE])))
    step = definition.steps[0]
    shown = visible_fields(step, {"har_ombud": "ja", "ombud": "Bygg AB"})
    assert [f.key for f in shown] == ["har_ombud", "ombud", "ombud_telefon"]
    # The hidden "ombud" does not count for "ombud_telefon", although it has an answer.
    shown = visible_fields(step, {"har_ombud": "nej", "ombud": "Bygg AB"})
    assert [f.key for f in shown] == ["har_ombud"]

"""Follow-up questions revealed in place: GOV.UK's conditional reveal for a choice of the step."""

import re

import pytest
from django.utils import translation

from sjalvservice.eservices.definitions import build_step_form, parse_definition
from sjalvservice.eservices.definitions.conditions import revealed_in_place
from sjalvservice.eservices.tests.test_definitions_support import document, posted
from sjalvservice.eservices.tests.test_step_form import Page, render

AGENT = {"key": "har_ombud", "type": "yes_no", "label": "Har du ombud?", "required": True}
AGENT_NAME = {"key": "ombud", "type": "text", "label": "Ombudets namn", "required": True,
              "condition": {"field": "har_ombud", "equals": "ja"}}  # fmt: skip
KIND = {"key": "typ", "type": "choice", "label": "Typ", "required": True,
        "choices": [{"value": "ny", "label": "Ny"}, {"value": "till", "label": "Till"},
                    {"value": "riv", "label": "Riva"}]}  # fmt: skip
AREA = {"key": "area", "type": "number", "label": "Area", "required": True,
        "condition": {"field": "typ", "in": ["till"]}}  # fmt: skip
PARTS = {"key": "delar", "type": "multiple_choice", "label": "Delar",
         "choices": [{"value": "tak", "label": "Tak"},
                     {"value": "vagg", "label": "Vägg"}]}  # fmt: skip
ROOF = {"key": "tak", "type": "textarea", "label": "Om taket", "required": True,
        "condition": {"field": "delar", "equals": "tak"}}  # fmt: skip
DEFINITION = parse_definition(
    document(
        ("ombud", [AGENT, AGENT_NAME]),
        ("atgard", [KIND, AREA, {"key": "om", "type": "text", "label": "Om"}]),
        ("delar", [PARTS, ROOF]),
        ("senare", [{**AGENT_NAME, "key": "namn_igen"}]),
        ("flera", [{**KIND, "key": "typ2"},
                   {**AREA, "key": "area2", "condition": {"field": "typ2", "in": ["ny", "till"]}},
                   {**KIND, "key": "typ3", "widget": "select"},
                   {**AREA, "key": "area3", "condition": {"field": "typ3", "equals": "ny"}},
                   {**AREA, "key": "area4", "condition": {"field": "typ2", "not_empty": True}}]),
    )
)  # fmt: skip


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def conditional(html, container_id):
    """The opening tag of a conditional container and what it holds, up to its end."""
    match = re.search(rf'<div class="([^"]*)" id="{container_id}">(.*?)\n  </div>', html, re.S)
    assert match, html
    return match.group(1), match.group(2)


def test_a_follow_up_on_a_choice_of_the_same_step_is_revealed_in_place():
    assert revealed_in_place(DEFINITION.step("ombud")) == {"ombud": ("har_ombud", "ja")}
    assert revealed_in_place(DEFINITION.step("atgard")) == {"area": ("typ", "till")}
    assert revealed_in_place(DEFINITION.step("delar")) == {"tak": ("delar", "tak")}


def test_other_conditions_keep_the_follow_up_where_it_is():
    # Several values, a select list, not_empty, a field of an earlier step.
    assert revealed_in_place(DEFINITION.step("flera")) == {}
    assert revealed_in_place(DEFINITION.step("senare")) == {}
    form = build_step_form(DEFINITION, "flera", answers={})
    assert [group.spec.key for group in form.field_groups()] == ["typ2", "typ3"]
    assert "conditional" not in render(form)


def test_an_unchosen_follow_up_is_rendered_hidden_inside_its_choice_but_is_not_a_form_field():
    form = build_step_form(DEFINITION, "ombud", answers={})
    assert list(form.fields) == ["har_ombud"]
    (group,) = form.field_groups()
    assert not group.inline  # GOV.UK: radios that reveal are stacked
    assert [(str(option.widget.data["value"]), [g.spec.key for g in option.follow_ups])
            for option in group.options] == [("ja", ["ombud"]), ("nej", [])]  # fmt: skip
    html = render(form)
    assert 'value="ja" data-aria-controls="conditional-id_har_ombud_0"' in html
    assert 'value="nej">' in html
    classes, inside = conditional(html, "conditional-id_har_ombud_0")
    assert classes == "govuk-radios__conditional govuk-radios__conditional--hidden"
    assert 'name="ombud"' in inside
    page = Page(html)
    assert all(attributes["id"] in page.labels for attributes in page.inputs)


def test_a_follow_up_whose_choice_is_posted_is_validated_and_shown():
    form = build_step_form(DEFINITION, "ombud", answers={}, data=posted(har_ombud="ja"))
    assert not form.is_valid()
    assert form.error_summary() == [("id_ombud", "Skriv ditt svar")]
    classes, inside = conditional(render(form), "conditional-id_har_ombud_0")
    assert classes == "govuk-radios__conditional"
    assert "Skriv ditt svar" in inside


def test_a_hidden_follow_up_is_not_validated_nor_answered_but_keeps_what_was_typed():
    form = build_step_form(DEFINITION, "atgard", answers={},
                           data=posted(typ="ny", area="inte ett tal"))  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.answers() == {"typ": "ny", "om": None}
    classes, inside = conditional(render(form), "conditional-id_typ_1")
    assert "govuk-radios__conditional--hidden" in classes
    assert 'value="inte ett tal"' in inside


def test_a_stored_follow_up_is_shown_under_its_stored_choice():
    form = build_step_form(DEFINITION, "ombud", answers={"har_ombud": "ja", "ombud": "Bygg AB"})
    assert list(form.fields) == ["har_ombud", "ombud"]
    classes, inside = conditional(render(form), "conditional-id_har_ombud_0")
    assert classes == "govuk-radios__conditional"
    assert 'value="Bygg AB"' in inside


def test_a_check_box_reveals_its_follow_up_too():
    form = build_step_form(DEFINITION, "delar", answers={}, data=posted(delar=["tak"]))
    assert not form.is_valid()
    assert form.errors["tak"] == ["Skriv ditt svar"]
    html = render(form)
    assert 'value="tak" checked data-aria-controls="conditional-id_delar_0"' in html
    classes, _inside = conditional(html, "conditional-id_delar_0")
    assert classes == "govuk-checkboxes__conditional"
    assert build_step_form(DEFINITION, "delar", answers={}, data=posted(delar=["vagg"])).is_valid()


def test_a_preview_shows_every_field_in_its_place():
    form = build_step_form(DEFINITION, "ombud", all_fields=True)
    assert [group.spec.key for group in form.field_groups()] == ["har_ombud", "ombud"]

"""English texts in a definition (``translations.en``): what they may name, how a page in
English gets them, the Swedish fallback marked as Swedish, and the list of what is missing."""

import copy

import pytest
from django.template import Context, Template
from django.utils import translation

from sjalvservice.core.languages import SwedishText
from sjalvservice.eservices.definitions import DefinitionError, content_hash, parse_definition
from sjalvservice.eservices.definitions.translations import in_language, untranslated

BASE = {
    "schema_version": 1,
    "title": "Felanmälan",
    "steps": [
        {
            "key": "fel",
            "title": "Vad gäller det?",
            "fields": [
                {"key": "typ", "type": "choice", "label": "Vad gäller felet?", "required": True,
                 "errors": {"required": "Välj vad felet gäller"},
                 "choices": [{"value": "gata", "label": "Gata"},
                             {"value": "park", "label": "Park"}]},
                {"key": "plats", "type": "text", "label": "Var finns felet?", "hint": "En adress.",
                 "required": True, "errors": {"required": "Skriv var felet finns"}},
                {"key": "om", "type": "info", "label": "Om felanmälan", "text": "Ring vid fara."},
            ],
        }
    ],
    "statuses": [
        {"name": "Sparat", "kind": "DRAFT"}, {"name": "Inskickat", "kind": "SUBMITTED"},
        {"name": "Väntar på komplettering", "kind": "AWAITING_SUPPLEMENT"},
        {"name": "Kompletterat", "kind": "SUPPLEMENTED"}, {"name": "Åtgärdat", "kind": "CLOSED"},
    ],
    "on_submit": {"message": "Tack för din felanmälan!"},
}  # fmt: skip

ENGLISH = {
    "title": "Report a fault",
    "steps": {"fel": {"title": "What is it about?"}},
    "fields": {
        "typ": {"label": "What is the fault about?", "choices": {"gata": "Street"},
                "errors": {"required": "Select what the fault is about"}},
        "plats": {"label": "Where is the fault?", "hint": "An address."},
        "om": {"label": "About fault reports", "text": "Call if there is danger."},
    },
    "statuses": {"Åtgärdat": "Fixed"},
    "on_submit": {"message": "Thank you for your report!"},
}  # fmt: skip


def with_english(english=ENGLISH):
    data = copy.deepcopy(BASE)
    data["translations"] = {"en": copy.deepcopy(english)}
    return data


def problems(data):
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data)
    return dict(raised.value.problems)


def test_a_definition_without_translations_keeps_its_hash_and_empty_ones_are_left_out():
    plain = parse_definition(copy.deepcopy(BASE))
    assert "translations" not in plain.to_document()
    empty = parse_definition({**copy.deepcopy(BASE), "translations": {"en": {}}})
    assert content_hash(empty) != content_hash(parse_definition(with_english()))
    assert parse_definition(with_english()).to_document()["translations"]["en"]["title"] == (
        "Report a fault"
    )


def test_an_english_page_gets_the_english_texts_and_keeps_keys_values_and_statuses():
    definition = parse_definition(with_english())
    english = in_language(definition, "en")
    step = english.steps[0]
    typ, plats, om = step.fields
    assert (english.title, step.title) == ("Report a fault", "What is it about?")
    assert (typ.label, [c.label for c in typ.choices]) == ("What is the fault about?",
                                                            ["Street", "Park"])  # fmt: skip
    assert [c.value for c in typ.choices] == ["gata", "park"]
    assert typ.errors == {"required": "Select what the fault is about"}
    assert (plats.label, plats.hint, om.text) == (
        "Where is the fault?",
        "An address.",
        "Call if there is danger.",
    )
    assert english.on_submit.message == "Thank you for your report!"
    assert [status.name for status in english.statuses] == [s.name for s in definition.statuses]
    # Swedish is the definition as written.
    assert in_language(definition, "sv") is definition


def test_a_missing_translation_shows_the_swedish_text_marked_as_swedish():
    english = in_language(parse_definition(with_english()), "en")
    park = english.steps[0].fields[0].choices[1]
    assert park.label == "Park"
    assert isinstance(park.label, SwedishText)
    assert not isinstance(english.steps[0].fields[0].label, SwedishText)
    bare = in_language(parse_definition(copy.deepcopy(BASE)), "en")
    assert isinstance(bare.title, SwedishText)
    assert isinstance(bare.steps[0].fields[1].hint, SwedishText)
    html = Template("{% load languages %}<p>{{ a|lang }}</p><p>{{ b|lang }}</p>").render(
        Context({"a": park.label, "b": english.title})
    )
    assert html == '<p><span lang="sv">Park</span></p><p>Report a fault</p>'


def test_an_own_error_message_without_translation_gives_way_to_the_types_english_one():
    definition = parse_definition(with_english())
    english = in_language(definition, "en")
    plats = english.steps[0].fields[1]
    assert plats.errors is None
    from sjalvservice.eservices.definitions import build_step_form

    with translation.override("en"):
        form = build_step_form(english, "fel", answers={}, data={"typ": "gata", "plats": ""})
        assert not form.is_valid()
        assert form.errors["plats"] == ["Enter your answer"]


def test_untranslated_lists_every_text_without_english_in_the_order_of_the_form():
    definition = parse_definition(copy.deepcopy(BASE))
    paths = [missing.path for missing in untranslated(definition, "en")]
    assert paths == [
        "title", "steps.fel.title",
        "fields.typ.label", "fields.typ.choices.gata", "fields.typ.choices.park",
        "fields.typ.errors.required",
        "fields.plats.label", "fields.plats.hint", "fields.plats.errors.required",
        "fields.om.label", "fields.om.text",
        "statuses.Åtgärdat", "on_submit.message",
    ]  # fmt: skip
    partly = [m.path for m in untranslated(parse_definition(with_english()), "en")]
    assert partly == ["fields.typ.choices.park", "fields.plats.errors.required"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda en: en["steps"].update(okand={"title": "X"}), "translations.en.steps.okand"),
        (lambda en: en["fields"].update(okand={"label": "X"}), "translations.en.fields.okand"),
        (lambda en: en["fields"]["typ"]["choices"].update(cykel="Bike"),
         "translations.en.fields.typ.choices.cykel"),
        (lambda en: en["fields"]["plats"].update(errors={"max_length": "Too long"}),
         "translations.en.fields.plats.errors.max_length"),
        (lambda en: en["fields"]["typ"].update(hint="A hint"), "translations.en.fields.typ.hint"),
        (lambda en: en["statuses"].update(Inskickat="Sent"), "translations.en.statuses.Inskickat"),
    ],
)  # fmt: skip
def test_a_translation_may_only_name_parts_and_texts_the_definition_has(change, path):
    english = copy.deepcopy(ENGLISH)
    change(english)
    found = problems(with_english(english))
    assert list(found) == [path]
    assert found[path]  # a sentence saying what is wrong


def test_only_the_portals_other_languages_can_be_given():
    data = with_english()
    data["translations"]["de"] = {"title": "Störungsmeldung"}
    (message,) = problems(data).values()
    assert "de" in message
    assert "en" in message


def test_an_unknown_key_in_a_translation_is_named():
    english = copy.deepcopy(ENGLISH)
    english["fields"]["plats"]["lable"] = "Where?"
    found = problems(with_english(english))
    assert any("lable" in path for path in found), found

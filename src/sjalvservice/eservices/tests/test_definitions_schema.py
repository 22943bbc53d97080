"""The definition format: what it refuses (in Swedish, at the right path) and how it hashes."""

import copy

import pytest
from django.utils import translation

from sjalvservice.eservices.definitions import (
    DEFAULT_STATUSES,
    DefinitionError,
    StatusKind,
    canonical_json,
    content_hash,
    load_definition_text,
    parse_definition,
)
from sjalvservice.eservices.tests.test_definitions_support import document

TITLE = {"key": "rubrik", "type": "text", "label": "Rubrik", "required": True, "max_length": 120}
KIND = {"key": "typ", "type": "choice", "label": "Typ av åtgärd",
        "choices": [{"value": "nybyggnad", "label": "Bygga nytt"},
                    {"value": "tillbyggnad", "label": "Bygga till"}]}  # fmt: skip


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def problems(data):
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return [tuple(problem) for problem in caught.value.problems]


def test_a_valid_definition_parses_with_the_defaults_filled_in():
    definition = parse_definition(document(("forslag", [TITLE, {"key": "b", "type": "file",
                                                               "label": "Bilagor"}])))  # fmt: skip
    text, files = definition.steps[0].fields
    assert text.max_length == 120
    assert text.required is True
    assert files.max_files == 5
    assert files.max_size_mb == 50
    assert files.extensions == ("pdf", "jpg", "jpeg", "png", "heic", "docx", "xlsx", "odt", "txt")
    assert definition.statuses == DEFAULT_STATUSES
    assert [status.name for status in DEFAULT_STATUSES] == [
        "Sparat", "Inskickat", "Under behandling", "Väntar på komplettering", "Kompletterat",
        "Avslutat",
    ]  # fmt: skip


def test_an_unknown_field_type_is_named():
    data = document(("steg", [TITLE, {"key": "x", "type": "txt", "label": "X"}]))
    assert problems(data) == [("steps[0].fields[1]", "Okänd fälttyp: 'txt'.")]


def test_a_misspelt_option_is_an_error_with_a_suggestion():
    data = document(("steg", [{**TITLE, "max_lenght": 10}]))
    assert problems(data) == [
        ("steps[0].fields[0].max_lenght", "Okänd uppgift: 'max_lenght'. Menade du 'max_length'?")
    ]


def test_extra_keys_are_refused_at_every_level():
    data = document(("steg", [TITLE]), author="Cecilia")
    data["steps"][0]["colour"] = "blå"
    assert [path for path, _message in problems(data)] == ["steps[0].colour", "author"]


def test_a_comma_in_a_yaml_flow_mapping_is_explained():
    text = (
        "schema_version: 1\ntitle: T\nsteps:\n - key: s\n   title: S\n   fields:\n"
        "    - {key: a, type: choice, label: A, choices: [{value: g, label: Garage, carport}]}\n"
    )
    [(path, message)] = problems(load_definition_text(text))
    assert path == "steps[0].fields[0].choices[0].carport"
    assert "Sätt den inom citattecken" in message


def test_missing_and_wrongly_typed_values_are_explained():
    data = document(("steg", [{"key": "rubrik", "type": "text", "max_length": "lång"}]))
    data["steps"][0]["title"] = ["inte", "text"]
    assert problems(data) == [
        ("steps[0].title", "Ange en text."),
        ("steps[0].fields[0].label", "Uppgiften 'label' saknas."),
        ("steps[0].fields[0].max_length", "Ange ett heltal."),
    ]


def test_keys_must_be_slugs():
    data = document(("Steg 1", [{**TITLE, "key": "1rubrik"}]))
    paths = [path for path, message in problems(data) if message.startswith("Ogiltig nyckel")]
    assert paths == ["steps[0].key", "steps[0].fields[0].key"]


def test_a_widget_must_be_one_of_the_listed():
    data = document(("steg", [{**KIND, "widget": "dropdown"}]))
    assert problems(data) == [
        ("steps[0].fields[0].widget",
         "Ogiltigt värde: 'dropdown'. Tillåtna värden: 'radio' eller 'select'.")
    ]  # fmt: skip


def test_duplicate_step_keys_are_refused():
    data = document(("steg", [TITLE]), ("steg", [{**TITLE, "key": "annan"}]))
    assert problems(data) == [
        ("steps[1].key", "Det finns redan ett steg med nyckeln 'steg'. Varje steg behöver en egen.")
    ]


def test_field_keys_are_unique_across_all_steps():
    data = document(("ett", [TITLE]), ("tva", [TITLE]))
    assert problems(data) == [
        ("steps[1].fields[0].key",
         "Nyckeln 'rubrik' används redan av fältet steps[0].fields[0]. Varje fält behöver en "
         "egen nyckel i hela e-tjänsten."),
    ]  # fmt: skip


def test_a_condition_on_a_later_field_is_refused():
    data = document(("steg", [{**TITLE, "condition": {"field": "typ", "equals": "nybyggnad"}},
                              KIND]))  # fmt: skip
    assert problems(data) == [
        ("steps[0].fields[0].condition.field",
         "Villkoret hänvisar till fältet 'typ', som inte finns före det här fältet."),
    ]  # fmt: skip


def test_a_condition_on_an_unknown_field_is_refused():
    data = document(("steg", [KIND, {**TITLE, "condition": {"field": "x", "not_empty": True}}]))
    assert problems(data) == [
        ("steps[0].fields[1].condition.field",
         "Villkoret hänvisar till fältet 'x', som inte finns före det här fältet."),
    ]  # fmt: skip


def test_a_step_condition_must_look_at_an_earlier_step():
    data = document(("steg", [KIND], {"field": "typ", "equals": "nybyggnad"}))
    assert problems(data) == [
        ("steps[0].condition.field",
         "Villkoret hänvisar till fältet 'typ', som inte finns i ett tidigare steg."),
    ]  # fmt: skip


def test_a_condition_compares_with_an_existing_choice():
    condition = {"field": "typ", "in": ["nybyggnad", "rivning"]}
    data = document(("steg", [KIND, {**TITLE, "condition": condition}]))
    assert problems(data) == [
        ("steps[0].fields[1].condition.in[1]",
         "Fältet 'typ' har inget alternativ 'rivning'. "
         "Alternativen är 'nybyggnad', 'tillbyggnad'."),
    ]  # fmt: skip


def test_a_yes_no_condition_compares_with_ja_or_nej():
    yes_no = {"key": "ombud", "type": "yes_no", "label": "Har du ombud?"}
    data = document(("steg", [yes_no, {**TITLE, "condition": {"field": "ombud", "equals": True}}]))
    assert problems(data) == [
        ("steps[0].fields[1].condition.equals",
         "Fältet 'ombud' är en ja/nej-fråga: jämför med 'ja' eller 'nej'."),
    ]  # fmt: skip


def test_a_condition_has_exactly_one_operator():
    condition = {"field": "typ", "equals": "nybyggnad", "not_empty": True}
    data = document(("steg", [KIND, {**TITLE, "condition": condition}]))
    assert problems(data) == [
        ("steps[0].fields[1].condition", "Ett villkor ska ha exakt en av equals, in och not_empty.")
    ]


def test_a_block_can_only_be_tested_for_an_answer():
    address = {"key": "adress", "type": "address", "label": "Adress"}
    data = document(("steg", [address, {**TITLE, "condition": {"field": "adress", "equals": "x"}}]))
    assert problems(data) == [
        ("steps[0].fields[1].condition.equals",
         "Fältet 'adress' kan bara användas med not_empty i ett villkor."),
    ]  # fmt: skip


def test_a_pattern_must_compile_and_come_with_a_message():
    data = document(("steg", [{**TITLE, "pattern": "[0-9"}]))
    [(path, message)] = problems(data)
    assert path == "steps[0].fields[0].pattern"
    assert message.startswith("Mönstret är inte ett giltigt reguljärt uttryck (tecken 1:")
    data = document(("steg", [{**TITLE, "pattern": "[0-9]{5}"}]))
    assert [path for path, _message in problems(data)] == ["steps[0].fields[0].pattern_message"]


def test_choices_must_not_be_empty_nor_repeat_a_value():
    data = document(("steg", [{**KIND, "choices": []}]))
    assert problems(data) == [("steps[0].fields[0].choices", "Listan får inte vara tom.")]
    twice = [{"value": "a", "label": "A"}, {"value": "a", "label": "Också A"}]
    data = document(("steg", [{**KIND, "choices": twice}]))
    assert problems(data) == [
        ("steps[0].fields[0].choices[1].value", "Värdet 'a' finns redan bland alternativen.")
    ]


def test_limits_must_fit_together():
    number = {"key": "antal", "type": "number", "label": "Antal", "min": 10, "max": 1}
    multiple = {**KIND, "type": "multiple_choice", "min_choices": 3}
    data = document(("steg", [{**TITLE, "min_length": 200}, number, multiple]))
    assert [path for path, _message in problems(data)] == [
        "steps[0].fields[0].min_length", "steps[0].fields[1].min", "steps[0].fields[2].min_choices",
    ]  # fmt: skip


def test_only_one_contact_block_is_allowed():
    contact = {"key": "kontakt", "type": "contact", "label": "Kontakt"}
    data = document(("ett", [contact]), ("tva", [{**contact, "key": "kontakt2"}]))
    assert problems(data) == [
        ("steps[1].fields[0].type",
         "Det får bara finnas ett kontaktuppgiftsblock (contact) i en e-tjänst; det första är "
         "steps[0].fields[0]."),
    ]  # fmt: skip


def test_statuses_need_every_kind_a_case_passes_through():
    statuses = [{"name": "Sparat", "kind": "DRAFT"}, {"name": "Klart", "kind": "CLOSED"}]
    [(path, message)] = problems(document(("steg", [TITLE]), statuses=statuses))
    assert path == "statuses"
    assert message.startswith(
        "Statuslistan saknar en status av typen SUBMITTED, AWAITING_SUPPLEMENT, SUPPLEMENTED."
    )


def test_status_names_are_unique_and_kinds_known():
    statuses = [{"name": status.name, "kind": status.kind.value} for status in DEFAULT_STATUSES]
    statuses.append({"name": "Avslutat", "kind": "CLOSED"})
    statuses.append({"name": "Beviljat", "kind": "DONE"})
    assert [path for path, _message in problems(document(("steg", [TITLE]),
                                                         statuses=statuses))] == [
        "statuses[7].kind",
    ]  # fmt: skip
    statuses.pop()
    assert problems(document(("steg", [TITLE]), statuses=statuses)) == [
        ("statuses[6].name", "Det finns redan en status som heter 'Avslutat'.")
    ]


def test_a_status_named_as_a_shared_default_must_have_its_kind():
    statuses = [{"name": status.name, "kind": status.kind.value} for status in DEFAULT_STATUSES]
    statuses.append({"name": "Inskickat", "kind": "IN_PROGRESS"})
    statuses[1] = {"name": "Mottaget", "kind": "SUBMITTED"}
    assert problems(document(("steg", [TITLE]), statuses=statuses)) == [
        (
            "statuses[6].kind",
            "'Inskickat' är en av standardstatusarna och har typen SUBMITTED. Ge statusen ett "
            "annat namn eller typen SUBMITTED.",
        )
    ]


def test_custom_statuses_keep_their_kinds():
    statuses = [{"name": status.name, "kind": status.kind.value} for status in DEFAULT_STATUSES]
    statuses += [{"name": "Beviljat", "kind": "CLOSED"}, {"name": "Avslag", "kind": "CLOSED"}]
    definition = parse_definition(document(("steg", [TITLE]), statuses=statuses))
    assert [s.name for s in definition.statuses if s.kind == StatusKind.CLOSED] == [
        "Avslutat", "Beviljat", "Avslag",
    ]  # fmt: skip


def test_something_that_is_not_an_object_is_refused():
    assert problems(["a"]) == [
        ("", "Definitionen ska vara ett objekt med schema_version, title och steps.")
    ]


def test_yaml_syntax_errors_give_the_line():
    with pytest.raises(DefinitionError) as caught:
        load_definition_text("schema_version: 1\ntitle: [Trasig\nsteps: []\n")
    [(path, message)] = caught.value.problems
    assert path == ""
    assert "rad 3" in message


def test_a_key_given_twice_in_yaml_is_an_error():
    with pytest.raises(DefinitionError) as caught:
        load_definition_text("schema_version: 1\ntitle: A\ntitle: B\n")
    assert caught.value.problems[0].message == (
        "Nyckeln 'title' finns två gånger i samma objekt (rad 3)."
    )


@pytest.mark.parametrize(
    "text",
    ["[" * 2000 + "]" * 2000, '{"a": ' * 2000 + "1" + "}" * 2000, "- " * 2000 + "x"],
    ids=["yaml-and-json-lists", "json-objects", "yaml-block-lists"],
)
def test_text_nested_thousands_deep_is_refused_with_a_problem(text):
    with pytest.raises(DefinitionError) as caught:
        load_definition_text(text)
    [(path, message)] = caught.value.problems
    assert path == ""
    assert message == (
        "Texten har fler än 50 nivåer av listor och objekt inuti varandra (rad 1). "
        "En definition behöver långt färre."
    )


def test_a_date_that_does_not_exist_is_a_problem():
    with pytest.raises(DefinitionError) as caught:
        load_definition_text("schema_version: 1\ntitle: 2026-13-45\n")
    assert caught.value.problems[0].message == (
        "Texten har ett datum som inte finns, till exempel 2026-13-45. Sätt det inom "
        "citattecken om det ska vara en text."
    )


def test_nesting_as_deep_as_allowed_is_read():
    # The object is one level, each list one more, the innermost one empty.
    expected: list = []
    for _level in range(48):
        expected = [expected]
    assert load_definition_text("a: " + "[" * 49 + "]" * 49) == {"a": expected}


def test_json_is_read_as_well():
    assert load_definition_text('{"schema_version": 1, "title": "T"}') == {
        "schema_version": 1, "title": "T",
    }  # fmt: skip


def test_equal_definitions_hash_equally_whatever_the_key_order_and_defaults():
    explicit = document(("forslag", [{**TITLE, "required": True, "hint": None, "condition": None,
                                      "pattern": None, "min_length": None}]),
                        statuses=[{"kind": s.kind.value, "name": s.name} for s in DEFAULT_STATUSES],
                        on_submit=None)  # fmt: skip
    reordered = {key: explicit[key] for key in reversed(explicit)}
    short = document(("forslag", [TITLE]))
    hashes = {content_hash(parse_definition(data)) for data in (explicit, reordered, short)}
    assert len(hashes) == 1
    assert len(hashes.pop()) == 64


def test_different_definitions_hash_differently():
    one = parse_definition(document(("forslag", [TITLE])))
    changed = copy.deepcopy(document(("forslag", [TITLE])))
    changed["steps"][0]["fields"][0]["max_length"] = 121
    assert content_hash(one) != content_hash(parse_definition(changed))


def test_the_canonical_json_is_compact_sorted_and_complete():
    text = canonical_json(parse_definition(document(("forslag", [TITLE]))))
    assert text.startswith('{"on_submit":{"message":null},"schema_version":1,"statuses":[')
    assert '"max_length":120' in text
    assert " " not in text.replace("Under behandling", "").replace("Väntar på komplettering", "")


def test_the_document_round_trips_to_the_same_hash():
    condition = {"field": "typ", "in": ["nybyggnad"]}
    definition = parse_definition(document(
        ("steg", [KIND, {**TITLE, "condition": condition},
                  {"key": "datum", "type": "date", "label": "Datum", "min": "today",
                   "max": "2030-12-31"},
                  {"key": "yta", "type": "number", "label": "Yta", "min": 1.0, "max": 2.5}]),
    ))  # fmt: skip
    stored = definition.to_document()
    assert stored["steps"][0]["fields"][1]["condition"] == {"field": "typ", "in": ["nybyggnad"]}
    assert stored["steps"][0]["fields"][2]["max"] == "2030-12-31"
    assert stored["steps"][0]["fields"][3]["min"] == 1
    again = parse_definition(stored)
    assert again == definition
    assert content_hash(again) == content_hash(definition)


def test_a_definition_is_immutable():
    definition = parse_definition(document(("forslag", [TITLE])))
    with pytest.raises(ValueError, match="frozen"):
        definition.title = "Ändrad"  # type: ignore[misc]


def test_a_field_may_have_error_messages_of_its_own():
    field = {**TITLE, "errors": {"required": "Skriv en rubrik", "max_length": "Kortare, tack"}}
    spec = parse_definition(document(("forslag", [field]))).steps[0].fields[0]
    assert spec.errors == {"required": "Skriv en rubrik", "max_length": "Kortare, tack"}


def test_an_unknown_kind_of_error_is_a_problem_naming_the_kinds_the_type_has():
    data = document(("forslag", [{**TITLE, "errors": {"requierd": "Skriv en rubrik"}}]))
    assert problems(data) == [
        ("steps[0].fields[0].errors",
         "Okänd sorts fel i errors: requierd. Fälttypen har: required, min_length, max_length."),
    ]  # fmt: skip
    yes_no = {"key": "ja", "type": "yes_no", "label": "Ja?", "errors": {"max_length": "För långt"}}
    assert problems(document(("steg", [yes_no]))) == [
        ("steps[0].fields[0].errors",
         "Okänd sorts fel i errors: max_length. Fälttypen har: required."),
    ]  # fmt: skip


def test_a_type_without_messages_of_its_own_refuses_errors():
    info = {"key": "om", "type": "info", "label": "Om", "text": "Text", "errors": {"required": "x"}}
    assert problems(document(("steg", [info]))) == [
        ("steps[0].fields[0].errors",
         "Fälttypen har inga egna felmeddelanden; ta bort errors (fel: required)."),
    ]  # fmt: skip


def test_an_empty_error_message_is_refused():
    assert problems(document(("steg", [{**TITLE, "errors": {"required": " "}}]))) == [
        ("steps[0].fields[0].errors.required", "Får inte vara tom.")
    ]


def test_a_definition_without_errors_keeps_the_hash_it_had_before_errors_existed():
    consent = {"key": "ok", "type": "consent", "label": "OK"}
    kind = {**KIND, "choices": KIND["choices"][:1]}
    definition = parse_definition(document(("forslag", [TITLE, kind, consent])))
    assert '"errors"' not in canonical_json(definition)
    # The hash of this very definition before `errors` was added to the format.
    assert content_hash(definition) == (
        "e275fca03991a57bbc9acbfe83874bd57998c82e3a013f4ccfee0c3bf2af487c"
    )
    empty = parse_definition(document(("forslag", [{**TITLE, "errors": {}}])))
    assert content_hash(empty) == content_hash(parse_definition(document(("forslag", [TITLE]))))


def test_error_messages_are_part_of_the_hash_and_round_trip():
    field = {**TITLE, "errors": {"required": "Skriv en rubrik"}}
    definition = parse_definition(document(("forslag", [field])))
    assert content_hash(definition) != content_hash(
        parse_definition(document(("forslag", [TITLE])))
    )
    again = parse_definition(definition.to_document())
    assert again == definition
    assert again.steps[0].fields[0].errors == {"required": "Skriv en rubrik"}

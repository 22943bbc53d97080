"""'Jämför': two definitions field by field, matched by key."""

import copy

from sjalvservice.cases.tests.fixtures import SUGGESTION
from sjalvservice.eservices.definitions import parse_definition
from sjalvservice.eservices.definitions.compare import Change, Difference, compare


def changed(change):
    data = copy.deepcopy(SUGGESTION)
    change(data)
    return compare(parse_definition(SUGGESTION), parse_definition(data))


def rows(differences):
    return [(d.kind, d.what, d.key, [(c.name, c.before, c.after) for c in d.changes])
            for d in differences]  # fmt: skip


def test_the_same_definition_has_no_differences_even_with_defaults_written_out():
    data = copy.deepcopy(SUGGESTION)
    data["steps"][1]["fields"][0]["hint"] = None  # an empty hint is no hint
    data["steps"][1]["fields"][1]["max_length"] = 10000  # the default, written out
    assert compare(parse_definition(SUGGESTION), parse_definition(data)) == []


def test_a_changed_label_and_limit_are_one_changed_field_named_by_the_new_label():
    def change(data):
        field = data["steps"][1]["fields"][0]
        field["label"], field["max_length"] = "Förslagets rubrik", 80

    [difference] = changed(change)
    assert (difference.kind, difference.what, difference.name, difference.where) == (
        Difference.CHANGED, "Fält", "Förslagets rubrik", "Förslag"
    )  # fmt: skip
    assert difference.changes == (
        Change("label", "Rubrik", "Förslagets rubrik"), Change("max_length", "120", "80"),
    )  # fmt: skip


def test_added_and_removed_fields_and_steps():
    def change(data):
        data["steps"][1]["fields"].pop()  # bilagor
        data["steps"].append(
            {
                "key": "samtycke",
                "title": "Samtycke",
                "fields": [
                    {"key": "ok", "type": "consent", "label": "Jag godkänner", "required": True}
                ],
            }
        )

    assert rows(changed(change)) == [
        (Difference.ADDED, "Steg", "samtycke", []),
        (Difference.ADDED, "Fält", "ok", []),
        (Difference.REMOVED, "Fält", "bilagor", []),
    ]


def test_a_field_moved_to_another_step_says_from_where():
    def change(data):
        data["steps"][0]["fields"].append(data["steps"][1]["fields"].pop(1))

    assert rows(changed(change)) == [
        (Difference.CHANGED, "Fält", "beskrivning", [("steg", "Förslag", "Personuppgifter")])
    ]


def test_only_the_fields_whose_order_changed_are_moved():
    def change(data):
        fields = data["steps"][1]["fields"]
        fields[0], fields[1] = fields[1], fields[0]
        fields.pop()  # removing one does not move the others

    assert rows(changed(change)) == [
        (Difference.CHANGED, "Fält", "beskrivning", [("plats", "2", "1")]),
        (Difference.CHANGED, "Fält", "rubrik", [("plats", "1", "2")]),
        (Difference.REMOVED, "Fält", "bilagor", []),
    ]


def test_conditions_choices_statuses_and_translations():
    def change(data):
        data["steps"][1]["fields"][3]["condition"] = {"field": "har_bilaga", "equals": "nej"}
        data["statuses"] = [
            {"name": "Sparat", "kind": "DRAFT"},
            {"name": "Inskickat", "kind": "SUBMITTED"},
            {"name": "Väntar på komplettering", "kind": "AWAITING_SUPPLEMENT"},
            {"name": "Kompletterat", "kind": "SUPPLEMENTED"},
            {"name": "Besvarat", "kind": "CLOSED"},
        ]
        data["translations"] = {"en": {"fields": {"rubrik": {"label": "Title"}}}}

    differences = changed(change)
    assert rows(differences)[0] == (
        Difference.CHANGED, "Fält", "bilagor",
        [("condition", '{"equals": "ja", "field": "har_bilaga"}',
          '{"equals": "nej", "field": "har_bilaga"}')],
    )  # fmt: skip
    statuses = [(d.kind, d.name) for d in differences if d.what == "Status"]
    assert (Difference.ADDED, "Besvarat") in statuses
    assert rows(differences)[-1] == (
        Difference.CHANGED, "Översättning (en)", "en", [("fields.rubrik.label", "", "Title")]
    )  # fmt: skip

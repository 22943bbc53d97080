"""Properties over generated definitions and posted data: a step form only ever returns errors,
never raises, and a definition survives being stored."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sjalvservice.eservices.definitions import (
    FIELD_TYPES,
    build_step_form,
    content_hash,
    drop_hidden,
    parse_definition,
    summarise,
    visible_steps,
)
from sjalvservice.eservices.tests.test_definitions_support import posted, uploads

CHOICE_VALUES = ["a", "b", "c", "1"]
# Every part name of every block type, so that posts hit real inputs as well as junk.
PARTS = [
    *("street", "postal_code", "city", "first_name", "last_name", "phone", "email", "mobile"),
    *("notify_email", "notify_sms", "choice", "organisation_number", "name", "remove"),
]
ORGANISATIONS = [
    {"id": 7, "name": "Bolaget AB", "organisation_number": "5566778899"},
    {"id": 8, "name": "Föreningen", "organisation_number": "8020012345"},
]

small = st.integers(min_value=1, max_value=20)
text = st.text(min_size=1, max_size=12).filter(str.strip)
choices = st.lists(st.sampled_from(CHOICE_VALUES), min_size=1, max_size=4, unique=True).map(
    lambda values: [{"value": value, "label": f"Alternativ {value}"} for value in values]
)

OPTIONS = {
    "text": st.fixed_dictionaries({}, optional={
        "max_length": small, "pattern": st.just("[a-z]+"), "min_length": st.just(1)}),
    "textarea": st.fixed_dictionaries({}, optional={"max_length": small, "rows": small}),
    "number": st.fixed_dictionaries({}, optional={
        "min": st.just(-5), "max": st.just(1000), "decimals": st.integers(0, 3)}),
    "email": st.just({}),
    "phone": st.just({}),
    "date": st.fixed_dictionaries({}, optional={"min": st.just("today"),
                                                "max": st.just("2030-12-31")}),
    "personal_identity_number": st.just({}),
    "consent": st.fixed_dictionaries({}, optional={"text": text}),
    "choice": st.fixed_dictionaries({"choices": choices},
                                    optional={"widget": st.sampled_from(["radio", "select"])}),
    "multiple_choice": st.fixed_dictionaries({"choices": choices}, optional={
        "max_choices": st.just(4), "min_choices": st.just(1)}),
    "yes_no": st.just({}),
    "file": st.fixed_dictionaries({}, optional={"max_files": st.integers(1, 3),
                                                "extensions": st.just(["pdf", "txt"])}),
    "info": st.fixed_dictionaries({"text": text}),
    "address": st.just({}),
    "contact": st.just({}),
    "organisation": st.just({}),
}  # fmt: skip


def _condition(draw, earlier):
    """A valid condition on one of the earlier fields, or None."""
    targets = [field for field in earlier if field["type"] != "info"]
    if not targets or not draw(st.booleans()):
        return None
    target = draw(st.sampled_from(targets))
    kind = target["type"]
    if kind in {"choice", "multiple_choice"}:
        return {"field": target["key"], "equals": draw(st.sampled_from(
            [choice["value"] for choice in target["choices"]]))}  # fmt: skip
    if kind == "yes_no":
        return {"field": target["key"], "in": [draw(st.sampled_from(["ja", "nej"]))]}
    return {"field": target["key"], "not_empty": draw(st.booleans())}


@st.composite
def documents(draw):
    steps, earlier, has_contact = [], [], False
    for step_number in range(draw(st.integers(1, 3))):
        step_condition = _condition(draw, earlier)
        fields = []
        for _field_number in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(sorted(OPTIONS)))
            if kind == "contact" and has_contact:
                kind = "text"
            has_contact = has_contact or kind == "contact"
            field = {"key": f"f{len(earlier) + len(fields)}", "type": kind,
                     "label": draw(text), **draw(OPTIONS[kind])}  # fmt: skip
            if "pattern" in field:
                field["pattern_message"] = "Bara små bokstäver."
            if kind != "info":
                field["required"] = draw(st.booleans())
            condition = _condition(draw, earlier + fields)
            if condition:
                field["condition"] = condition
            fields.append(field)
        step = {"key": f"s{step_number}", "title": draw(text), "fields": fields}
        if step_condition:
            step["condition"] = step_condition
        steps.append(step)
        earlier += fields
    return {"schema_version": 1, "title": draw(text), "steps": steps}


values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "on", "ja", "nej", "new", "7", "8", "a", "1", "931 85", "12,5",
                     "2025-03-31", "19810105-9825", "556677-8899", "anna@example.se",
                     "070-123 45 67", "NaN", "sNaN", "1e999999", "-0", "\x00", "k"]),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("x" * 20_000),
)  # fmt: skip


@st.composite
def post_data(draw, definition):
    keys = [field.key for field in definition.fields()]
    names = keys + [f"{key}__{part}" for key in keys for part in PARTS] + ["junk", "f0-clear"]
    data = draw(st.dictionaries(st.sampled_from(names),
                                st.lists(values, min_size=1, max_size=3), max_size=12))  # fmt: skip
    file_keys = [field.key for field in definition.fields() if field.type == "file"]
    files = {}
    for key in file_keys:
        names_and_sizes = draw(st.lists(st.tuples(st.sampled_from(
            ["a.pdf", "b.TXT", "c.exe", "noextension", ".pdf", "ä ö.pdf"]),
            st.integers(0, 2048)), max_size=3))  # fmt: skip
        if names_and_sizes:
            files[key] = [SimpleUploadedFile(name, b"x" * size) for name, size in names_and_sizes]
    return data, files


def store_upload(upload):
    return {"key": f"stored/{upload.name}"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_step_form_never_raises_whatever_is_posted(data):
    with translation.override("sv"):
        definition = parse_definition(data.draw(documents()))
        answers = {}
        organisations = data.draw(st.sampled_from([(), ORGANISATIONS]))
        for step in definition.steps:
            posted_values, files = data.draw(post_data(definition))
            query = posted(**posted_values)
            form = build_step_form(definition, step.key, answers=answers, data=query,
                                   files=uploads(**files) if files else None,
                                   organisations=organisations)  # fmt: skip
            valid = form.is_valid()
            for field_id, message in form.error_summary():
                assert isinstance(field_id, str)
                assert message
            render_to_string("core/includes/error_summary.html", {"form": form})
            render_to_string("eservices/fields/step_fields.html", {"form": form})
            if valid:
                step_answers = form.answers(store_upload)
                json.dumps(step_answers)
                answers = drop_hidden(definition, {**answers, **step_answers})
            build_step_form(definition, step.key, answers=answers, organisations=organisations)
        for section in summarise(definition, answers):
            assert all(isinstance(row.display, str) for row in section.rows)
        for field in definition.fields():
            json.dumps(FIELD_TYPES[field.type].export(field, answers.get(field.key)))
        assert visible_steps(definition, answers)[0] if visible_steps(definition, answers) else True


@settings(max_examples=100, deadline=None)
@given(documents())
def test_a_stored_definition_parses_back_to_the_same_hash(document):
    definition = parse_definition(document)
    stored = json.loads(json.dumps(definition.to_document()))
    again = parse_definition(stored)
    assert again == definition
    assert content_hash(again) == content_hash(definition)

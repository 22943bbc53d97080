"""A linter over the demo e-services: no error message merely repeats its field's label.

GOV.UK's error message pattern: say what happened and how to fix it, in plain words. "Ange
Rubrik." or "Välj ett alternativ för Vad gäller felet?" only paste the label into a generic
sentence; the label already sits right above the message.
"""

import re

import pytest
from django.http import QueryDict
from django.utils import translation

from sjalvservice.eservices.definitions import build_step_form, parse_definition
from sjalvservice.eservices.definitions.fields.files import no_file, too_many_files
from sjalvservice.eservices.definitions.schema import FileSpec, TextSpec
from sjalvservice.eservices.transfer import demo_files, read_eservice_file

FILES = {path.stem: path for path in demo_files()}
ORGANISATIONS = [{"id": 1, "name": "Kafé Älven AB", "organisation_number": "5560160680"}]

# Generic openings that, followed by nothing but the label, say nothing the label does not.
GENERIC_OPENINGS = (
    "ange", "fyll i", "skriv in", "välj", "du måste ange", "du måste fylla i", "du måste välja",
    "välj ett alternativ för", "välj ett av alternativen för", "välj minst ett alternativ för",
    "välj minst n alternativ för", "välj högst n alternativ för", "välj ja eller nej för",
    "kryssa i rutan för", "välj en organisation för", "välj minst en fil för",
    "välj högst n filer för",
    "enter", "select", "choose", "select an option for", "select yes or no for",
    "tick the box for",
)  # fmt: skip


def _words(text: str) -> str:
    """Lower case, punctuation gone, every number "n": "Ange Rubrik." -> "ange rubrik"."""
    text = re.sub(r"[^\w]+", " ", str(text).casefold())
    return " ".join(re.sub(r"\d+", "n", text).split())


def repeats_label(message: str, label: str) -> bool:
    """Whether ``message`` merely repeats ``label``: the same words, the label after a generic
    opening ("Ange <label>"), the label as the subject of a sentence ("<label> är för lång"),
    or a question label pasted into the message."""
    said, named = _words(message), _words(label)
    if not named:
        return False
    if said == named or said in {f"{opening} {named}" for opening in GENERIC_OPENINGS}:
        return True
    if said.startswith(f"{named} "):
        return True
    return label.strip().endswith("?") and named in said


def messages_of(definition, step_key):
    """``(message, label)`` for every error each field of the step can show."""
    form = build_step_form(definition, step_key, all_fields=True, organisations=ORGANISATIONS)
    found = []
    for field in form.fields.values():
        labels = {field.spec.label, str(field.label)}
        for message in field.error_messages.values():
            found.extend((str(message), label) for label in labels)
        for validator in field.validators:
            if getattr(validator, "code", None) not in field.error_messages:
                found.extend((str(getattr(validator, "message", "")), label) for label in labels)
    for spec in form.specs:
        if isinstance(spec, TextSpec) and spec.pattern_message:
            found.append((spec.pattern_message, spec.label))
        if isinstance(spec, FileSpec):
            found += [(no_file(spec), spec.label), (too_many_files(spec), spec.label)]
    # What only a posted form says: checks across a field's parts (a block, files).
    posted = build_step_form(
        definition, step_key, all_fields=True, organisations=ORGANISATIONS, data=QueryDict()
    )
    for name, errors in posted.errors.items():
        field = posted.fields[name]
        found.extend((str(error), field.spec.label) for error in errors)
        found.extend((str(error), str(field.label)) for error in errors)
    return [(message, label) for message, label in found if message]


def steps():
    every = []
    for name, path in sorted(FILES.items()):
        definition = parse_definition(read_eservice_file(path)["definition"])
        every += [pytest.param(definition, step.key, id=f"{name}-{step.key}")
                  for step in definition.steps]  # fmt: skip
    return every


@pytest.fixture(autouse=True)
def _both_languages():
    with translation.override("sv"):
        yield


@pytest.mark.parametrize(("definition", "step_key"), steps())
def test_no_demo_error_message_merely_repeats_its_label(definition, step_key):
    found = messages_of(definition, step_key)
    assert found, "the step has fields, so it has messages"
    repeating = sorted({(message, label) for message, label in found
                        if repeats_label(message, label)})  # fmt: skip
    assert repeating == []


@pytest.mark.parametrize(("definition", "step_key"), steps())
def test_the_demo_messages_say_the_same_in_english(definition, step_key):
    with translation.override("en"):
        found = messages_of(definition, step_key)
    assert [pair for pair in found if repeats_label(*pair)] == []


def test_every_required_demo_field_has_a_message_of_its_own():
    for name, path in sorted(FILES.items()):
        definition = parse_definition(read_eservice_file(path)["definition"])
        for field in definition.fields():
            if field.required and field.error_keys:
                assert (field.errors or {}).get("required"), f"{name}: {field.key}"


@pytest.mark.parametrize(
    ("message", "label"),
    [
        ("Ange Rubrik.", "Rubrik"),
        ("Ange Beskriv ditt förslag.", "Beskriv ditt förslag"),
        ("Välj ett alternativ för Vad gäller felet?", "Vad gäller felet?"),
        ("Rubrik är för lång.", "Rubrik"),
        ("Rubrik får vara högst 120 tecken.", "Rubrik"),
        ("Välj minst 2 alternativ för Delar.", "Delar"),
        ("Välj minst en fil för Bifoga filer.", "Bifoga filer"),
        ("Välj en tid.", "Välj en tid"),
        ("Enter Rubrik.", "Rubrik"),
        ("rubrik", "Rubrik:"),
    ],
)
def test_the_linter_catches_a_message_that_repeats_the_label(message, label):
    assert repeats_label(message, label)


@pytest.mark.parametrize(
    ("message", "label"),
    [
        ("Skriv en rubrik", "Rubrik"),
        ("Välj vad felet gäller", "Vad gäller felet?"),
        ("Skriv din e-postadress, till exempel namn@exempel.se", "E-postadress"),
        ("Rubriken får vara högst 120 tecken", "Rubrik"),
        ("Skriv ombudets namn", "Ombudets namn"),
    ],
)
def test_the_linter_lets_a_message_that_says_what_to_do_pass(message, label):
    assert not repeats_label(message, label)

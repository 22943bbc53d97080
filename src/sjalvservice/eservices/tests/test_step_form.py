"""The step form: visible fields, initial values, answers, error summary and GOV.UK markup."""

from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sjalvservice.eservices.definitions import build_step_form, parse_definition
from sjalvservice.eservices.definitions.fields.files import file_id
from sjalvservice.eservices.tests.test_definitions_support import document, posted

AGENT = {"key": "har_ombud", "type": "yes_no", "label": "Har du ombud?", "required": True}
AGENT_NAME = {"key": "ombud", "type": "text", "label": "Ombudets namn", "required": True,
              "hint": "Som det står i registret.",
              "condition": {"field": "har_ombud", "equals": "ja"}}  # fmt: skip
CONTACT = {"key": "kontakt", "type": "contact", "label": "Personuppgifter", "required": True}
KIND = {
    "key": "typ",
    "type": "choice",
    "label": "Typ",
    "required": True,
    "choices": [{"value": "ny", "label": "Ny"}, {"value": "till", "label": "Till"}],
}
AREA = {"key": "area", "type": "number", "label": "Area", "required": True,
        "condition": {"field": "typ", "equals": "till"}}  # fmt: skip
BUILDING = parse_definition(document(
    ("atgard", [KIND]),
    ("detaljer", [AREA, {"key": "beskrivning", "type": "textarea", "label": "Beskrivning"}]),
    ("ombud", [AGENT, AGENT_NAME]),
    ("kontakt", [CONTACT]),
    ("filer", [{"key": "bilagor", "type": "file", "label": "Bilagor"},
               {"key": "om", "type": "info", "label": "Om filer", "text": "Rad ett\nRad två"}]),
))  # fmt: skip


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_a_condition_on_an_earlier_field_of_the_step_uses_what_was_posted():
    form = build_step_form(BUILDING, "ombud", answers={}, data=posted(har_ombud="ja"))
    assert list(form.fields) == ["har_ombud", "ombud"]
    assert not form.is_valid()
    assert form.errors["ombud"] == ["Skriv ditt svar"]
    form = build_step_form(BUILDING, "ombud", answers={"har_ombud": "ja", "ombud": "Bygg AB"},
                           data=posted(har_ombud="nej", ombud="Bygg AB"))  # fmt: skip
    assert list(form.fields) == ["har_ombud"]
    assert form.is_valid()
    assert form.answers() == {"har_ombud": "nej"}


def test_an_unbound_form_shows_what_the_stored_answers_make_visible():
    assert list(build_step_form(BUILDING, "ombud", answers={}).fields) == ["har_ombud"]
    stored = {"har_ombud": "ja", "ombud": "Bygg AB"}
    form = build_step_form(BUILDING, "ombud", answers=stored)
    assert list(form.fields) == ["har_ombud", "ombud"]
    assert form.initial == stored


def test_a_condition_on_an_earlier_step_uses_the_stored_answers():
    assert list(build_step_form(BUILDING, "detaljer", answers={"typ": "ny"}).fields) == [
        "beskrivning"
    ]
    form = build_step_form(BUILDING, "detaljer", answers={"typ": "till"}, data=posted(area="12"))
    assert form.is_valid(), form.errors
    assert form.answers() == {"area": 12, "beskrivning": None}


def test_a_preview_may_show_every_field_whatever_the_conditions():
    form = build_step_form(BUILDING, "detaljer", all_fields=True)
    assert list(form.fields) == ["area", "beskrivning"]


def test_an_unknown_step_is_a_key_error():
    with pytest.raises(KeyError):
        build_step_form(BUILDING, "finns_inte", answers={})


def test_answers_need_a_valid_form():
    form = build_step_form(BUILDING, "atgard", answers={}, data=posted())
    with pytest.raises(ValueError, match="valid"):
        form.answers()


def test_each_django_field_knows_its_spec_label_and_hint():
    form = build_step_form(BUILDING, "ombud", answers={"har_ombud": "ja"})
    field = form.fields["ombud"]
    assert field.label == "Ombudets namn"
    assert field.help_text == "Som det står i registret."
    assert field.spec.key == "ombud"
    assert field.field_type == "text"
    sub = build_step_form(BUILDING, "kontakt", answers={}).fields["kontakt__city"]
    assert (sub.spec.key, sub.sub) == ("kontakt", "city")


def test_field_groups_give_each_spec_its_bound_fields():
    groups = build_step_form(BUILDING, "kontakt", answers={}).field_groups()
    assert len(groups) == 1
    assert [bound.name for bound in groups[0].fields][:3] == [
        "kontakt__first_name", "kontakt__last_name", "kontakt__street",
    ]  # fmt: skip
    assert groups[0].sub["postal_code"].name == "kontakt__postal_code"
    assert groups[0].template_name == "eservices/fields/contact.html"


def test_the_error_summary_lists_errors_in_field_order_linking_to_the_inputs():
    form = build_step_form(BUILDING, "ombud", answers={}, data=posted(har_ombud="ja"))
    form.is_valid()
    assert form.error_summary() == [("id_ombud", "Skriv ditt svar")]
    form = build_step_form(BUILDING, "ombud", answers={}, data=posted())
    form.is_valid()
    assert form.error_summary() == [("id_har_ombud_0", "Välj ja eller nej")]
    form = build_step_form(BUILDING, "kontakt", answers={},
                           data=posted(kontakt__first_name="Anna"))  # fmt: skip
    form.is_valid()
    assert [field_id for field_id, _message in form.error_summary()] == [
        "id_kontakt__last_name", "id_kontakt__street", "id_kontakt__postal_code",
        "id_kontakt__city", "id_kontakt__email",
    ]  # fmt: skip


class Page(HTMLParser):
    """The parts of rendered HTML that accessibility depends on."""

    def __init__(self, html):
        super().__init__()
        self.inputs, self.labels, self.ids, self.legends, self.fieldsets = [], set(), set(), 0, 0
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag in {"input", "select", "textarea"}:
            self.inputs.append(attributes)
        elif tag == "label":
            self.labels.add(attributes.get("for"))
        elif tag == "legend":
            self.legends += 1
        elif tag == "fieldset":
            self.fieldsets += 1


def render(form):
    return render_to_string("core/includes/error_summary.html", {"form": form}) + (
        render_to_string("eservices/fields/step_fields.html", {"form": form})
    )


@pytest.mark.parametrize("step", [step.key for step in BUILDING.steps])
def test_every_input_is_labelled_and_every_fieldset_has_a_legend(step):
    stored = [{"name": "a.pdf", "size": 1, "content_type": "", "key": "k"}]
    answers = {"typ": "till", "har_ombud": "ja", "bilagor": stored}
    unbound = build_step_form(BUILDING, step, answers=answers)
    bound = build_step_form(BUILDING, step, answers=answers, data=posted(typ="x"))
    for form in (unbound, bound):
        form.is_valid()
        page = Page(render(form))
        assert page.inputs
        for attributes in page.inputs:
            assert attributes["id"] in page.labels, attributes
            for described_by in (attributes.get("aria-describedby") or "").split():
                assert described_by in page.ids
        assert page.fieldsets == page.legends
        assert len(page.ids) == len([tag for tag in page.tags if "id" in tag[1]])  # unique ids


def test_errors_are_shown_the_gov_uk_way():
    form = build_step_form(BUILDING, "ombud", answers={}, data=posted(har_ombud="ja"))
    form.is_valid()
    html = render(form)
    assert '<a href="#id_ombud">Skriv ditt svar</a>' in html
    assert "govuk-form-group govuk-form-group--error" in html
    assert (
        '<p id="id_ombud_error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Fel:</span> Skriv ditt svar</p>"
    ) in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_ombud_helptext id_ombud_error"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Har du ombud?' in html


def test_radios_put_their_hint_and_error_on_the_fieldset():
    form = build_step_form(BUILDING, "atgard", answers={}, data=posted())
    form.is_valid()
    html = render(form)
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_typ_error">' in html
    assert 'class="govuk-radios__input" id="id_typ_0" name="typ" type="radio" value="ny"' in html


def test_the_contact_block_is_a_fieldset_with_autocomplete_and_the_note():
    html = render(build_step_form(BUILDING, "kontakt", answers={}))
    page = Page(html)
    autocomplete = {
        attributes["name"]: attributes.get("autocomplete") for attributes in page.inputs
    }
    assert autocomplete == {
        "kontakt__first_name": "given-name", "kontakt__last_name": "family-name",
        "kontakt__street": "address-line1", "kontakt__postal_code": "postal-code",
        "kontakt__city": "address-level2", "kontakt__phone": "tel", "kontakt__email": "email",
        "kontakt__mobile": "mobile tel", "kontakt__notify_email": None,
        "kontakt__notify_sms": None,
    }  # fmt: skip
    assert ">Personuppgifter</legend>" in html
    assert ">Notifieringar</legend>" in html
    assert "Dina kontaktuppgifter kommer att sparas under mina uppgifter." in html
    assert 'type="email"' in html


def test_files_and_info_texts_are_rendered():
    stored = [{"name": "karta.pdf", "size": 2048, "content_type": "application/pdf", "key": "k"}]
    html = render(build_step_form(BUILDING, "filer", answers={"bilagor": stored}))
    assert 'data-module="govuk-file-upload"' in html
    assert 'data-i18n.choose-files-button="Välj filer"' in html
    assert "Ta bort karta.pdf" in html
    # The box names the file by its id, never by its storage key.
    assert f'name="bilagor__remove" type="checkbox" value="{file_id(stored[0])}"' in html
    assert 'value="k"' not in html
    assert "Rad ett<br>Rad två" in html
    assert "Bilagor (frivilligt)" in html


def test_an_unbound_form_shows_no_error_summary():
    assert (
        render_to_string(
            "core/includes/error_summary.html", {"form": build_step_form(BUILDING, "atgard")}
        ).strip()
        == ""
    )

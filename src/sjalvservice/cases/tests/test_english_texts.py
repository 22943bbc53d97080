"""An e-service in English: the catalogue, the form, the case and its own statuses show the
texts the definition gives in English, and the Swedish ones, marked ``lang="sv"``, where
it gives none."""

import copy
import re

import pytest
from django.conf import settings
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Status
from sjalvservice.cases.tests.fixtures import ANSWERS, SUGGESTION
from sjalvservice.eservices.services import publish_version

START = "/tjanster/medborgarforslag/starta/"

ENGLISH = {
    "title": "Citizens' proposal",
    "steps": {"personuppgifter": {"title": "Your details"}, "forslag": {"title": "Proposal"}},
    "fields": {
        "kontakt": {"label": "Your details"},
        "rubrik": {"label": "Title"},
        # beskrivning, har_bilaga and bilagor are left in Swedish.
    },
    "statuses": {"Beviljat": "Granted"},
}
STATUSES = [
    {"name": "Sparat", "kind": "DRAFT"},
    {"name": "Inskickat", "kind": "SUBMITTED"},
    {"name": "Väntar på komplettering", "kind": "AWAITING_SUPPLEMENT"},
    {"name": "Kompletterat", "kind": "SUPPLEMENTED"},
    {"name": "Beviljat", "kind": "CLOSED"},
    {"name": "Avslag", "kind": "CLOSED"},
]


@pytest.fixture
def english_suggestion(suggestion):
    definition = copy.deepcopy(SUGGESTION)
    definition["statuses"] = STATUSES
    definition["translations"] = {"en": ENGLISH}
    publish_version(suggestion, definition)
    suggestion.title_en = "Citizens' proposal"
    suggestion.description = "Första stycket.\n\nAndra stycket."
    suggestion.save()
    return suggestion


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_form_in_english_shows_the_english_texts_and_marks_the_swedish_ones(
    client, english_suggestion, anna
):
    client.force_login(anna)
    in_english(client)
    response = client.post(START, {"action": "save"})
    case = anna.cases.get()
    html = client.get(
        reverse("cases:step", kwargs={"reference": case.reference, "step_key": "forslag"})
    ).content.decode()
    assert '<html lang="en"' in html
    assert "Citizens&#x27; proposal</h1>" in html
    assert ">Title<" in html or ">Title " in html
    assert '<span lang="sv">Beskriv ditt förslag</span>' in html
    assert '<span lang="sv">Vill du bifoga en fil?</span>' in html
    assert "Your details" in html
    assert "Proposal" in html
    assert response.status_code == 302
    # Going on with the step empty: the type's English messages, never Swedish ones.
    html = client.post(
        reverse("cases:step", kwargs={"reference": case.reference, "step_key": "forslag"}),
        {"action": "next"},
    ).content.decode()
    assert "Enter your answer" in html
    assert "Skriv" not in text_of(html)


def test_the_same_form_in_swedish_is_as_written(client, english_suggestion, anna):
    client.force_login(anna)
    client.post(START, {"action": "save"})
    case = anna.cases.get()
    html = client.get(
        reverse("cases:step", kwargs={"reference": case.reference, "step_key": "forslag"})
    ).content.decode()
    assert '<html lang="sv"' in html
    assert "Medborgarförslag</h1>" in html
    assert '<span lang="sv">' not in html
    assert "Citizens" not in html


def test_the_catalogue_shows_the_english_title_and_the_swedish_description_marked(
    client, english_suggestion
):
    in_english(client)
    html = client.get(english_suggestion.get_absolute_url()).content.decode()
    assert "Citizens&#x27; proposal</h1>" in html
    assert '<p class="govuk-body" lang="sv">Första stycket.</p>' in html
    assert '<p class="govuk-body-l"><span lang="sv">Lämna ett förslag.</span></p>' in html
    english_suggestion.short_description_en = "Make a proposal."
    english_suggestion.save()
    html = client.get(english_suggestion.get_absolute_url()).content.decode()
    assert '<p class="govuk-body-l">Make a proposal.</p>' in html
    # English words find it too.
    found = client.get("/tjanster/", {"q": "proposal"}).content.decode()
    assert english_suggestion.get_absolute_url() in found


def test_an_own_status_is_named_in_english_from_the_definition(
    client, english_suggestion, anna, julia
):
    granted = Status.objects.get(municipality=english_suggestion.municipality, name="Beviljat")
    assert granted.name_en == "Granted"
    refused = Status.objects.get(municipality=english_suggestion.municipality, name="Avslag")
    assert refused.name_en == ""
    case = services.submit(
        services.start_draft(english_suggestion, owner=anna), by=anna, answers=ANSWERS
    )
    services.set_status(case, status=granted, by=julia)
    client.force_login(anna)
    in_english(client)
    for url in [reverse("cases:case", kwargs={"number": case.number}), reverse("cases:my_pages")]:
        html = client.get(url).content.decode()
        assert "Granted" in html, url
        assert "Beviljat" not in html, url
    services.set_status(case, status=refused, by=julia)
    html = client.get(reverse("cases:case", kwargs={"number": case.number})).content.decode()
    assert '<span lang="sv">Avslag</span>' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get(reverse("cases:case", kwargs={"number": case.number})).content.decode()
    assert "Avslag" in html
    assert "Granted" not in html


def test_a_later_version_renames_the_status_in_english(english_suggestion):
    definition = copy.deepcopy(SUGGESTION)
    definition["statuses"] = STATUSES
    definition["translations"] = {"en": {**ENGLISH, "statuses": {"Beviljat": "Approved"}}}
    publish_version(english_suggestion, definition)
    status = Status.objects.get(municipality=english_suggestion.municipality, name="Beviljat")
    assert status.name_en == "Approved"

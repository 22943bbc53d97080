"""Drafts that explain themselves: "Spara" only saves, errors wait until the person goes on,
a draft is started only by "Spara" or a valid step, and drafts are named in the lists."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sjalvservice.cases import services
from sjalvservice.cases.drafts import kept_until, resume_path
from sjalvservice.cases.models import Case
from sjalvservice.cases.tests.fixtures import CONTACT_POST

START = "/tjanster/medborgarforslag/starta/"
PHOTO_START = "/tjanster/fotorapport/starta/"
MY_PAGES = "/mina-sidor/"
MY_DRAFTS = "/mina-sidor/sparade/"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
# One step without login: a photo and where it was taken.
PHOTO_REPORT = {
    "schema_version": 1,
    "title": "Fotorapport",
    "steps": [
        {
            "key": "foto",
            "title": "Fotot",
            "fields": [
                {"key": "bilder", "type": "file", "label": "Bilder", "max_files": 2,
                 "extensions": ["png"]},
                {"key": "plats", "type": "text", "label": "Plats", "required": True},
            ],
        },
    ],
}  # fmt: skip


@pytest.fixture
def photo_report(skelleftea, category):
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    eservice = EService.objects.create(
        municipality=skelleftea, category=category, slug="fotorapport", title="Fotorapport",
        short_description="Skicka ett foto.", requires_login=False,
    )  # fmt: skip
    publish_version(eservice, PHOTO_REPORT)
    return eservice


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def step_url(case, key="forslag"):
    return reverse("cases:step", kwargs={"reference": case.reference, "step_key": key})


def started(client):
    """Anna's draft of a Medborgarförslag, on its second step."""
    assert client.post(START, {**CONTACT_POST, "action": "next"}).status_code == 302
    return Case.objects.latest("pk")


def shows_errors(html):
    return "govuk-error-summary" in html or "govuk-error-message" in html


def banners(html):
    return re.findall(r'<p class="govuk-notification-banner__heading">(.*?)</p>', html, re.S)


# "Spara" only saves and says so


def test_spara_on_an_empty_required_step_shows_no_errors_and_keeps_the_draft(
    client, suggestion, anna
):
    client.force_login(anna)
    case = started(client)
    response = client.post(step_url(case), {"rubrik": "", "beskrivning": "", "action": "save"})
    assert response["Location"] == step_url(case)
    html = client.get(response["Location"]).content.decode()
    assert not shows_errors(html)
    assert "<title>Fel:" not in html
    case.refresh_from_db()
    assert case.is_draft
    assert "forslag" in case.unsaved_input
    (banner,) = banners(html)
    until = date_format(timezone.localtime(kept_until(case)), "DATE_FORMAT")
    assert f"Ditt ärende är sparat till {until}." in banner
    assert "Du hittar det på Mina sidor under Ej inskickade ärenden." in banner


def test_the_draft_is_kept_for_the_retention_days_after_its_last_save(
    client, suggestion, anna, settings
):
    settings.DRAFT_RETENTION_DAYS = 30
    client.force_login(anna)
    case = started(client)
    assert kept_until(case) == case.last_saved_at + dt.timedelta(days=30)
    # A draft without login lasts only as long as the browser's session.
    assert kept_until(Case(owner=None, last_saved_at=case.last_saved_at)) is None


def test_spara_keeps_the_valid_answers_and_the_raw_input_as_typed(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(step_url(case), {"rubrik": "Bänk vid älven", "beskrivning": "", "action": "save"})
    case.refresh_from_db()
    assert case.answers["kontakt"]["street"] == "Storgatan 1"
    assert case.unsaved_input["forslag"]["rubrik"] == ["Bänk vid älven"]
    assert case.completed_steps == ["personuppgifter"]


def test_spara_on_the_first_step_starts_the_draft_even_with_errors(client, suggestion, anna):
    client.force_login(anna)
    response = client.post(
        START, {**CONTACT_POST, "kontakt__email": "inte en adress", "action": "save"}
    )
    case = Case.objects.get()
    assert response["Location"] == step_url(case, "personuppgifter")
    html = client.get(response["Location"]).content.decode()
    assert not shows_errors(html)
    assert 'value="inte en adress"' in html


def test_spara_without_login_says_how_long_the_answers_are_kept(client, photo_report):
    response = client.post(PHOTO_START, {"plats": "", "action": "save"}, follow=True)
    html = response.content.decode()
    assert banners(html) == ["Dina svar är sparade så länge webbläsaren är öppen."]
    assert not shows_errors(html)
    assert Case.objects.get().owner is None


# Errors wait until the person tries to go on


def test_a_step_with_invalid_saved_input_opens_without_errors(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(step_url(case), {"rubrik": "Bänk vid älven", "beskrivning": "", "action": "save"})
    html = client.get(step_url(case)).content.decode()
    assert not shows_errors(html)
    assert 'value="Bänk vid älven"' in html


def test_fortsatt_opens_the_draft_where_it_was_saved_without_errors(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(step_url(case), {"rubrik": "", "beskrivning": "", "action": "save"})
    case.refresh_from_db()
    drafts = client.get(MY_DRAFTS).content.decode()
    assert f'href="{resume_path(case)}"' in drafts
    html = client.get(resume_path(case)).content.decode()
    assert html.count("<h1") == 1
    assert not shows_errors(html)


def test_nasta_shows_the_errors_of_what_was_saved(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(step_url(case), {"rubrik": "Bänk vid älven", "beskrivning": "", "action": "save"})
    response = client.post(
        step_url(case), {"rubrik": "Bänk vid älven", "beskrivning": "", "action": "next"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'id="id_beskrivning_error"' in html
    assert 'value="Bänk vid älven"' in html


def test_skicka_in_with_a_step_not_done_shows_its_errors(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(step_url(case), {"rubrik": "", "beskrivning": "", "action": "save"})
    response = client.post(reverse("cases:preview", kwargs={"reference": case.reference}))
    assert response["Location"] == step_url(case)
    html = client.get(step_url(case)).content.decode()
    assert "govuk-error-summary" in html
    assert 'id="id_rubrik_error"' in html
    assert "Viktigt" not in html  # the error summary alone says what to do
    case.refresh_from_db()
    assert case.number is None
    # Only that once: opening the step again shows no errors.
    assert not shows_errors(client.get(step_url(case)).content.decode())


def test_errors_asked_for_one_step_do_not_show_on_another(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(reverse("cases:preview", kwargs={"reference": case.reference}))
    assert not shows_errors(client.get(step_url(case, "personuppgifter")).content.decode())
    assert not shows_errors(client.get(step_url(case)).content.decode())


def test_a_step_never_visited_opens_without_errors(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    assert not shows_errors(client.get(step_url(case)).content.decode())


# A draft only by "Spara" or a valid step


def test_nasta_with_errors_on_the_first_step_creates_no_case(client, suggestion, anna):
    client.force_login(anna)
    response = client.post(
        START, {**CONTACT_POST, "kontakt__email": "inte en adress", "action": "next"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fel:" in html
    assert "govuk-error-summary" in html
    assert 'value="inte en adress"' in html
    assert 'value="Storgatan 1"' in html
    assert f'action="{START}"' in html
    assert not Case.objects.exists()


def test_nasta_with_errors_without_login_creates_no_case_and_remembers_none(client, photo_report):
    response = client.post(PHOTO_START, {"plats": "", "action": "next"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Case.objects.exists()
    # Not counted against the browser's drafts either: five valid ones still start.
    for number in range(5):
        assert client.post(PHOTO_START, {"plats": f"Torget {number}"}).status_code == 302
    assert Case.objects.count() == 5


def test_files_posted_with_errors_on_the_first_step_must_be_chosen_again(
    client, photo_report, media
):
    photo = SimpleUploadedFile("karta.png", PNG, content_type="image/png")
    response = client.post(PHOTO_START, {"bilder": [photo], "plats": "", "action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<p id="id_bilder_error" class="govuk-error-message">.*Välj dem igen', html)
    assert 'id="id_plats_error"' in html
    assert not Case.objects.exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_the_draft_limits_still_apply_to_a_valid_first_step(client, suggestion, anna, settings):
    settings.DRAFT_LIMIT_PER_PERSON = 1
    services.start_draft(suggestion, owner=anna)
    client.force_login(anna)
    for action in ["next", "save"]:
        response = client.post(START, {**CONTACT_POST, "action": action})
        assert response.status_code == 200
        assert "Du har för många påbörjade ärenden" in response.content.decode()
    assert Case.objects.count() == 1


def test_the_browser_limit_still_applies_without_login(client, photo_report, settings):
    settings.DRAFT_LIMIT_PER_SESSION = 1
    assert client.post(PHOTO_START, {"plats": "Torget 1"}).status_code == 302
    response = client.post(PHOTO_START, {"plats": "Torget 2", "action": "save"})
    html = response.content.decode()
    assert "Du har redan påbörjat 1 ärenden i den här webbläsaren" in html
    assert "Fortsätt med Fotorapport: Torget 1 (öppnas i en ny flik)" in html
    assert Case.objects.count() == 1


# Drafts are named


def two_drafts(suggestion, anna):
    """Two drafts of one e-service: one titled by its first answer, one without answers."""
    named = services.save_draft(
        services.start_draft(suggestion, owner=anna),
        answers={"rubrik": "Bänk vid älven"},
        current_step="forslag",
        completed_steps=["personuppgifter"],
    )
    untitled = services.start_draft(suggestion, owner=anna)
    saved_at = dt.datetime(2026, 12, 3, 13, 5, tzinfo=dt.UTC)  # 14.05 in Sweden
    Case.objects.filter(pk=untitled.pk).update(last_saved_at=saved_at)
    return named, untitled


def test_drafts_are_named_in_ej_inskickade_arenden(client, suggestion, anna):
    two_drafts(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_DRAFTS).content.decode()
    assert (
        '<th scope="row" class="govuk-table__header">Medborgarförslag: Bänk vid älven</th>' in html
    )
    assert "Medborgarförslag, sparat 3 december 14.05</th>" in html
    assert 'Fortsätt<span class="govuk-visually-hidden"> Medborgarförslag: Bänk vid älven' in html
    assert "sjs-stacked-table" in html


def test_drafts_are_named_on_mina_sidor(client, suggestion, anna):
    two_drafts(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert "Medborgarförslag: Bänk vid älven</th>" in html
    assert "Medborgarförslag, sparat 3 december 14.05</th>" in html


def test_saving_names_the_draft_from_its_first_text_answer(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.post(
        step_url(case),
        {"rubrik": "Bänk vid älven", "beskrivning": "Nära bron.", "har_bilaga": "nej",
         "action": "save"},
    )  # fmt: skip
    case.refresh_from_db()
    assert case.title
    assert f"Medborgarförslag: {case.title}</th>" in client.get(MY_DRAFTS).content.decode()


# Who may and how


def test_another_citizen_cannot_open_or_save_the_draft(client, suggestion, anna, bertil):
    client.force_login(anna)
    case = started(client)
    client.force_login(bertil)
    assert client.get(step_url(case)).status_code == 404
    assert client.post(step_url(case), {"action": "save"}).status_code == 404
    case.refresh_from_db()
    assert "forslag" not in case.unsaved_input


def test_anonymous_visitors_are_sent_to_log_in_for_a_persons_draft(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    client.logout()
    response = client.get(step_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("eid:login"))


def test_a_step_takes_only_get_and_post(client, suggestion, anna):
    client.force_login(anna)
    case = started(client)
    assert client.put(step_url(case)).status_code == 405
    assert client.put(START).status_code == 405

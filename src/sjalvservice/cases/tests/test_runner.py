"""The form runner: steps, Nästa/Föregående/Spara, preview and submission."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sjalvservice.cases.models import Case, StatusKind
from sjalvservice.cases.tests.fixtures import CONTACT_POST

START = "/tjanster/medborgarforslag/starta/"


def step_url(case, key):
    return reverse("cases:step", kwargs={"reference": case.reference, "step_key": key})


def fill_first_step(client, **extra):
    response = client.post(START, {**CONTACT_POST, "action": "next", **extra})
    case = Case.objects.latest("created_at")
    return response, case


def test_anonymous_visitors_are_sent_to_log_in_and_back(client, suggestion):
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('eid:login')}?next={START}"


def test_the_first_step_shows_the_progress_list_and_prefills_from_my_details(
    client, suggestion, anna
):
    from sjalvservice.accounts.models import Profile

    Profile.objects.create(user=anna, street="Storgatan 1", email="anna@example.se")
    client.force_login(anna)
    html = client.get(START).content.decode()
    assert html.count("<h1") == 1
    for label in ["Personuppgifter", "Förslag", "Förhandsgranska", "Skicka in"]:
        assert label in html
    assert 'value="Storgatan 1"' in html
    assert 'value="anna@example.se"' in html
    assert "Dina kontaktuppgifter kommer att sparas under mina uppgifter." in html
    assert not Case.objects.exists()  # nothing is created by looking


def test_nasta_creates_the_draft_and_moves_on(client, suggestion, anna):
    client.force_login(anna)
    response, case = fill_first_step(client)
    assert response["Location"] == step_url(case, "forslag")
    assert case.owner == anna
    assert case.status.kind == StatusKind.DRAFT
    assert case.answers["kontakt"]["postal_code"] == "93130"
    assert case.completed_steps == ["personuppgifter"]


def test_bad_input_is_shown_with_errors_and_kept(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    response = client.post(
        step_url(case, "personuppgifter"),
        {**CONTACT_POST, "kontakt__email": "inte en adress", "action": "next"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'value="Storgatan 1"' in html
    case.refresh_from_db()
    assert case.unsaved_input["personuppgifter"]["kontakt__email"] == ["inte en adress"]
    # Coming back later shows what was typed.
    again = client.get(step_url(case, "personuppgifter")).content.decode()
    assert 'value="inte en adress"' in again


def test_foregaende_keeps_the_answers_of_the_step(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    response = client.post(
        step_url(case, "forslag"),
        {"rubrik": "Fler bänkar", "beskrivning": "", "action": "previous"},
    )
    assert response["Location"] == step_url(case, "personuppgifter")
    case.refresh_from_db()
    assert case.unsaved_input["forslag"]["rubrik"] == ["Fler bänkar"]
    html = client.get(step_url(case, "forslag")).content.decode()
    assert 'value="Fler bänkar"' in html


def test_spara_saves_the_draft_and_says_where_to_find_it(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    response = client.post(
        step_url(case, "forslag"),
        {"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "action": "save"},
        follow=True,
    )
    assert "Du hittar det på Mina sidor under Ej inskickade ärenden" in response.content.decode()
    case.refresh_from_db()
    assert case.answers["rubrik"] == "Fler bänkar"
    assert case.last_saved_at is not None


def test_a_condition_hides_a_field_and_drops_its_answer(
    client, suggestion, anna, settings, tmp_path
):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }}  # fmt: skip
    client.force_login(anna)
    _response, case = fill_first_step(client)
    upload = SimpleUploadedFile("skiss.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        step_url(case, "forslag"),
        {"rubrik": "Bänkar", "beskrivning": "Text", "har_bilaga": "ja", "bilagor": upload,
         "action": "save"},
    )  # fmt: skip
    case.refresh_from_db()
    assert case.answers["bilagor"][0]["name"] == "skiss.pdf"
    client.post(
        step_url(case, "forslag"),
        {"rubrik": "Bänkar", "beskrivning": "Text", "har_bilaga": "nej", "action": "save"},
    )
    case.refresh_from_db()
    assert "bilagor" not in case.answers


def test_the_preview_shows_every_answer_with_change_links_and_submits(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    response = client.post(
        step_url(case, "forslag"),
        {"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "har_bilaga": "nej",
         "action": "next"},
    )  # fmt: skip
    preview = reverse("cases:preview", kwargs={"reference": case.reference})
    assert response["Location"] == preview
    html = client.get(preview).content.decode()
    assert "Fler bänkar" in html
    assert "Vid älven." in html
    assert html.count(">Ändra<") >= 3
    submitted = client.post(preview)
    receipt = reverse("cases:receipt", kwargs={"reference": case.reference})
    assert submitted["Location"] == receipt
    case.refresh_from_db()
    assert case.number is not None
    page = client.get(receipt).content.decode()
    assert f"<strong>{case.number}</strong>" in page
    assert reverse("cases:my_pages") in page


def test_a_resent_submit_creates_nothing_new(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    client.post(
        step_url(case, "forslag"),
        {"rubrik": "R", "beskrivning": "B", "har_bilaga": "nej", "action": "next"},
    )
    preview = reverse("cases:preview", kwargs={"reference": case.reference})
    client.post(preview)
    client.post(preview)
    assert Case.objects.submitted().count() == 1


def test_an_incomplete_case_cannot_be_submitted(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    preview = reverse("cases:preview", kwargs={"reference": case.reference})
    response = client.post(preview)
    assert response["Location"] == step_url(case, "forslag")
    # The step that is missing, with its errors, to go on from.
    assert "govuk-error-summary" in client.get(response["Location"]).content.decode()
    case.refresh_from_db()
    assert case.number is None


def test_another_citizen_gets_404_on_every_runner_url(client, suggestion, anna, bertil):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    client.force_login(bertil)
    for url in [
        step_url(case, "personuppgifter"),
        reverse("cases:preview", kwargs={"reference": case.reference}),
    ]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "save"}).status_code == 404
    assert (
        client.get(reverse("cases:receipt", kwargs={"reference": case.reference})).status_code
        == 404
    )


def test_an_unknown_step_or_reference_is_404(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    assert client.get(step_url(case, "finns-inte")).status_code == 404
    assert client.get("/e-tjanst/inte-ett-uuid/steg/forslag/").status_code == 404


def test_wrong_methods_are_refused(client, suggestion, anna):
    client.force_login(anna)
    _response, case = fill_first_step(client)
    assert client.put(START).status_code == 405
    assert client.delete(step_url(case, "forslag")).status_code == 405
    receipt = reverse("cases:receipt", kwargs={"reference": case.reference})
    assert client.post(receipt).status_code == 405


def test_the_runner_needs_the_csrf_token(suggestion, anna):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(anna)
    assert strict.post(START, {**CONTACT_POST, "action": "next"}).status_code == 403


def test_an_inactive_e_service_cannot_be_started(client, suggestion, anna):
    suggestion.is_active = False
    suggestion.save()
    client.force_login(anna)
    assert client.get(START).status_code == 404

"""An e-service's draft, versions, "Jämför" and copies, under Administrera → E-tjänster."""

import copy

import pytest
from django.urls import reverse

from sjalvservice.cases import services as case_services
from sjalvservice.cases.tests.fixtures import ANSWERS, SUGGESTION
from sjalvservice.eservices.definitions import dump_yaml, load_definition_text, parse_definition
from sjalvservice.eservices.models import EService, EServiceChange, EServiceDraft
from sjalvservice.eservices.services import publish_version
from sjalvservice.eservices.tests.conftest import make_eservice


@pytest.fixture
def admin_client(client, karin, staff_login):
    return staff_login(client, karin)


def url(name, *args):
    return reverse(f"backoffice:{name}", args=args)


def changed_suggestion(label="Förslagets rubrik"):
    data = copy.deepcopy(SUGGESTION)
    data["steps"][1]["fields"][0]["label"] = label
    return data


def test_whatever_is_written_is_kept_as_the_draft_even_when_it_is_invalid(
    admin_client, suggestion, karin
):
    publish = url("manage_eservice_publish", suggestion.pk)
    broken = "schema_version: 1\nsteps: [\n"
    response = admin_client.post(publish, {"definition": broken, "preview": "1"})
    assert response.status_code == 200
    assert "Definitionen har ett fel" in response.content.decode()

    draft = EServiceDraft.objects.get(eservice=suggestion)
    assert (draft.text, draft.updated_by, draft.based_on) == (
        broken, karin, suggestion.current_version
    )  # fmt: skip
    # Coming back later shows the draft, not the published definition.
    page = admin_client.get(publish).content.decode()
    assert "steps: [" in page
    assert "Du ändrar utkastet" in page
    assert suggestion.versions.count() == 1


def test_spara_only_saves_and_says_so(admin_client, suggestion):
    publish = url("manage_eservice_publish", suggestion.pk)
    text = dump_yaml(changed_suggestion())
    response = admin_client.post(publish, {"definition": text, "save": "1"}, follow=True)
    assert response.redirect_chain == [(publish, 302)]
    assert "Utkastet är sparat." in response.content.decode()
    assert EServiceDraft.objects.get(eservice=suggestion).text == text
    assert suggestion.versions.count() == 1


def test_publishing_the_draft_makes_the_next_version_and_lets_the_draft_go(
    admin_client, suggestion
):
    publish = url("manage_eservice_publish", suggestion.pk)
    text = dump_yaml(changed_suggestion())
    admin_client.post(publish, {"definition": text, "save": "1"})
    response = admin_client.post(publish, {"definition": text, "publish": "1"})
    assert response.status_code == 302
    assert suggestion.current_version.number == 2
    assert not EServiceDraft.objects.filter(eservice=suggestion).exists()


def test_a_draft_that_cannot_be_published_stays_with_its_problems(admin_client, suggestion):
    publish = url("manage_eservice_publish", suggestion.pk)
    data = changed_suggestion()
    data["steps"][1]["fields"][3]["condition"] = {"field": "finns_inte", "equals": "ja"}
    response = admin_client.post(publish, {"definition": dump_yaml(data), "publish": "1"})
    assert response.status_code == 200
    assert "finns_inte" in response.content.decode()
    assert suggestion.versions.count() == 1
    assert EServiceDraft.objects.get(eservice=suggestion).text == dump_yaml(data)


def test_the_draft_can_be_thrown_away_and_that_is_logged(admin_client, suggestion, karin):
    admin_client.post(
        url("manage_eservice_publish", suggestion.pk),
        {"definition": "title: x", "save": "1"},
    )
    response = admin_client.post(url("manage_eservice_discard_draft", suggestion.pk))
    assert response["Location"] == url("manage_eservice", suggestion.pk)
    assert not EServiceDraft.objects.filter(eservice=suggestion).exists()
    assert suggestion.changes.filter(
        action=EServiceChange.Action.DRAFT_DISCARDED, actor=karin
    ).exists()


def test_the_versions_page_lists_every_version_newest_first(admin_client, suggestion, karin):
    publish_version(suggestion, changed_suggestion(), by=karin)
    page = admin_client.get(url("manage_eservice_versions", suggestion.pk)).content.decode()
    assert page.index("Version 2") < page.index("Version 1")
    assert "Karin Administratör" in page
    assert url("manage_eservice_version", suggestion.pk, 1) in page
    assert f"{url('manage_eservice_compare', suggestion.pk)}?fran=1&amp;till=2" in page


def test_a_version_is_shown_whole_and_can_be_copied_back_to_the_draft(
    admin_client, suggestion, karin
):
    publish_version(suggestion, changed_suggestion(), by=karin)
    page = admin_client.get(url("manage_eservice_version", suggestion.pk, 1)).content.decode()
    assert "Ersatt: nya ärenden startas på version 2" in page
    assert "Beskriv ditt förslag" in page  # its fields, all of them
    assert "Bifoga filer" in page

    response = admin_client.post(url("manage_eservice_version_to_draft", suggestion.pk, 1))
    assert response["Location"] == url("manage_eservice_publish", suggestion.pk)
    draft = EServiceDraft.objects.get(eservice=suggestion)
    assert load_definition_text(draft.text)["steps"][1]["fields"][0]["label"] == "Rubrik"
    assert draft.based_on == suggestion.current_version  # it replaces what is published now
    assert suggestion.changes.filter(
        action=EServiceChange.Action.DRAFTED, detail="Version 1."
    ).exists()
    # Unchanged, it is the content of version 1, which is not published a second time.
    response = admin_client.post(
        url("manage_eservice_publish", suggestion.pk), {"definition": draft.text, "publish": "1"}
    )
    assert "densamma som version 1" in response.content.decode()
    assert suggestion.versions.count() == 2


def test_jamfor_shows_the_draft_against_the_published_version_by_default(admin_client, suggestion):
    admin_client.post(
        url("manage_eservice_publish", suggestion.pk),
        {"definition": dump_yaml(changed_suggestion()), "save": "1"},
    )
    page = admin_client.get(url("manage_eservice_compare", suggestion.pk)).content.decode()
    assert '<option value="1" selected>' in page
    assert '<option value="utkast" selected>' in page
    assert "1 skillnad" in page
    assert "Förslagets rubrik" in page
    assert "label" in page


def test_jamfor_of_two_versions_and_of_a_draft_with_errors(admin_client, suggestion, karin):
    publish_version(suggestion, changed_suggestion(), by=karin)
    compare = url("manage_eservice_compare", suggestion.pk)
    page = admin_client.get(compare).content.decode()  # no draft: 1 against 2
    assert '<option value="2" selected>' in page
    assert "Förslagets rubrik" in page

    admin_client.post(
        url("manage_eservice_publish", suggestion.pk), {"definition": "steps: [", "save": "1"}
    )
    page = admin_client.get(compare).content.decode()
    assert "Utkastet har fel och kan inte jämföras" in page
    assert admin_client.get(compare, {"fran": "9", "till": "1"}).status_code == 404
    assert admin_client.get(compare, {"fran": "x", "till": "1"}).status_code == 404


def test_a_version_2_does_not_change_a_case_begun_on_version_1(suggestion, anna, karin):
    case = case_services.start_draft(suggestion, owner=anna)
    publish_version(suggestion, changed_suggestion(), by=karin)
    case = case_services.submit(case, by=anna, answers=ANSWERS)
    assert case.eservice_version.number == 1
    assert case_services.start_draft(suggestion, owner=anna).eservice_version.number == 2


def test_an_e_service_of_another_municipality_is_copied_into_a_draft_of_ones_own(
    client, staff_login, editor, lycksele, skelleftea, category
):
    theirs = EService.objects.create(
        municipality=lycksele, category=category, slug="felanmalan-lycksele",
        title="Felanmälan", short_description="Anmäl fel.", contact="gata@lycksele.example",
        requires_login=True,
    )  # fmt: skip
    publish_version(theirs, {**SUGGESTION, "title": "Felanmälan"})
    staff_login(client, editor)

    search = client.get(url("manage_eservice_copy_search"), {"q": "felanmälan"}).content.decode()
    assert url("manage_eservice_copy", theirs.slug) in search
    assert "Lycksele kommun" in search
    form = client.get(url("manage_eservice_copy", theirs.slug)).content.decode()
    assert 'value="felanmalan-lycksele-skelleftea"' in form

    response = client.post(
        url("manage_eservice_copy", theirs.slug),
        {"title": "Felanmälan i Skellefteå", "slug": "felanmalan-skelleftea"},
    )
    ours = EService.objects.get(slug="felanmalan-skelleftea")
    assert response["Location"] == url("manage_eservice_publish", ours.pk)
    assert (ours.municipality, ours.short_description, ours.contact) == (
        skelleftea, "Anmäl fel.", ""
    )  # fmt: skip
    assert not ours.versions.exists()  # not in the catalogue until its draft is published
    draft = load_definition_text(ours.draft.text)
    assert draft["title"] == "Felanmälan i Skellefteå"
    assert parse_definition(draft).steps == parse_definition(SUGGESTION).steps
    change = ours.changes.get()
    assert change.detail == "Kopia av Felanmälan (Lycksele kommun), version 1."
    # Theirs is untouched, and still not reachable through our administration.
    assert theirs.versions.count() == 1
    assert client.get(url("manage_eservice_versions", theirs.pk)).status_code == 404


def test_a_copy_needs_a_free_address_and_only_published_e_services_are_copied(
    admin_client, suggestion, skelleftea, category
):
    response = admin_client.post(
        url("manage_eservice_copy", suggestion.slug), {"title": "Kopia", "slug": suggestion.slug}
    )
    assert response.status_code == 200
    assert "Det finns redan en e-tjänst med kortnamnet medborgarforslag" in (
        response.content.decode()
    )
    hidden = make_eservice(skelleftea, category, slug="utkast-tjanst", title="T", published=False)
    assert admin_client.get(url("manage_eservice_copy", hidden.slug)).status_code == 404


def test_versions_and_drafts_of_another_municipality_are_404(
    client, staff_login, david, suggestion
):
    staff_login(client, david)  # Lycksele's handler
    david.is_editor = True
    david.save(update_fields=["is_editor"])
    for name, args in [
        ("manage_eservice_versions", [suggestion.pk]),
        ("manage_eservice_version", [suggestion.pk, 1]),
        ("manage_eservice_compare", [suggestion.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 404
    for name, args in [
        ("manage_eservice_version_to_draft", [suggestion.pk, 1]),
        ("manage_eservice_discard_draft", [suggestion.pk]),
    ]:
        assert client.post(url(name, *args)).status_code == 404
    assert not EServiceDraft.objects.exists()


def test_a_handler_who_is_no_editor_reaches_none_of_it(client, staff_login, julia, suggestion):
    staff_login(client, julia)
    assert client.get(url("manage_eservice_versions", suggestion.pk)).status_code == 404
    assert client.get(url("manage_eservice_copy_search")).status_code == 404

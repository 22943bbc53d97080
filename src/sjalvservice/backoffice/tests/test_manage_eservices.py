"""Administrera → E-tjänster: a new e-service, its details, closing it for new cases, its
change log, and the redaktör who does this without handling cases."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sjalvservice.backoffice.access import cases_for, colleagues_for, eservices_for
from sjalvservice.backoffice.models import StaffChange
from sjalvservice.cases import services
from sjalvservice.cases.models import Case, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.eservices.models import EService, EServiceChange
from sjalvservice.eservices.tests.conftest import SIMPLE_DEFINITION

DETAILS = {
    "title": "Ansökan om parkeringstillstånd",
    "title_en": "Apply for a parking permit",
    "short_description": "Sök tillstånd att parkera.",
    "short_description_en": "",
    "description": "Första stycket.\n\nAndra stycket.",
    "description_en": "",
    "keywords": "parkering, p-tillstånd",
    "requires_login": "on",
    "handling_days": "21",
    "contact": "trafik@skelleftea.example, 0910-73 50 00",
}


@pytest.fixture
def admin_client(client, karin, staff_login):
    return staff_login(client, karin)


def details_url(eservice):
    return reverse("backoffice:manage_eservice", args=[eservice.pk])


def test_a_new_e_service_is_made_with_its_details_and_shown_once_published(
    admin_client, karin, category, skelleftea
):
    response = admin_client.post(
        reverse("backoffice:manage_eservice_add"),
        {**DETAILS, "slug": "parkeringstillstand", "category": category.pk},
    )
    eservice = EService.objects.get(slug="parkeringstillstand")
    assert response.status_code == 302
    assert response["Location"] == details_url(eservice)
    assert eservice.municipality == skelleftea
    assert (eservice.title_en, eservice.handling_days) == ("Apply for a parking permit", 21)
    assert eservice.contact.startswith("trafik@skelleftea.example")
    assert eservice.requires_login
    change = eservice.changes.get()
    assert (change.action, change.actor, change.actor_name) == (
        EServiceChange.Action.CREATED, karin, "Karin Administratör"
    )  # fmt: skip
    # Not for residents until its form is published.
    assert admin_client.get(eservice.get_absolute_url()).status_code == 404
    publish = reverse("backoffice:manage_eservice_publish", args=[eservice.pk])
    published = admin_client.post(
        publish, {"definition": json.dumps(SIMPLE_DEFINITION), "publish": "1"}
    )
    assert published.status_code == 302
    assert published["Location"] == details_url(eservice)
    page = admin_client.get(eservice.get_absolute_url()).content.decode()
    assert "Ansökan om parkeringstillstånd" in page
    assert "trafik@skelleftea.example" in page
    assert [change.action for change in eservice.changes.order_by("pk")] == [
        EServiceChange.Action.CREATED, EServiceChange.Action.PUBLISHED,
    ]  # fmt: skip
    assert eservice.changes.latest("pk").detail == "Version 1."


def test_a_taken_short_name_or_a_missing_title_is_said_in_place_and_nothing_is_made(
    admin_client, category, suggestion
):
    response = admin_client.post(
        reverse("backoffice:manage_eservice_add"),
        {**DETAILS, "title": "", "slug": "medborgarforslag", "category": category.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv e-tjänstens namn" in page
    assert "Det finns redan en e-tjänst med kortnamnet medborgarforslag" in page
    assert 'href="#id_slug"' in page  # the error summary links to the field
    assert 'value="Sök tillstånd att parkera."' in page  # what was typed is kept
    assert EService.objects.count() == 1


def test_the_details_are_saved_and_the_change_log_names_what_changed(
    admin_client, suggestion, category
):
    form = admin_client.get(details_url(suggestion)).context["form"]
    posted = {name: value for name, value in form.initial.items() if value is not None}
    posted["category"] = category.pk
    posted["requires_login"] = "on" if suggestion.requires_login else ""
    response = admin_client.post(details_url(suggestion), {**posted, "title_en": "Proposal"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.title_en == "Proposal"
    change = suggestion.changes.get()
    assert (change.action, change.detail) == (EServiceChange.Action.DETAILS, "Namn på engelska")
    # The same details again: nothing changed, nothing logged.
    again = admin_client.post(details_url(suggestion), {**posted, "title_en": "Proposal"})
    assert again.status_code == 302
    assert suggestion.changes.count() == 1
    # English is searched too.
    assert "proposal" in EService.objects.get(pk=suggestion.pk).search_text


def test_a_bad_handling_time_keeps_everything_else_typed(admin_client, suggestion, category):
    response = admin_client.post(
        details_url(suggestion),
        {**DETAILS, "category": category.pk, "handling_days": "två veckor"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Skriv handläggningstiden med siffror, till exempel 14" in page
    assert "Ansökan om parkeringstillstånd" in page
    suggestion.refresh_from_db()
    assert suggestion.title == "Medborgarförslag"


def test_a_closed_e_service_says_why_and_takes_no_new_case_but_finishes_drafts(
    admin_client, suggestion, anna
):
    draft = services.start_draft(suggestion, owner=anna)
    closing = reverse("backoffice:manage_eservice_closing", args=[suggestion.pk])
    refused = admin_client.post(closing, {"message": ""})
    assert refused.status_code == 200
    assert "Skriv varför e-tjänsten är stängd" in refused.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.accepts_cases

    message = "Stängd under sommaren. Öppnar igen den 15 augusti."
    assert admin_client.post(closing, {"message": message}).status_code == 302
    suggestion.refresh_from_db()
    assert not suggestion.accepts_cases

    client = Client()  # Anna's browser, beside the administrator's
    client.force_login(anna)
    detail = client.get(suggestion.get_absolute_url()).content.decode()
    assert message in detail
    assert suggestion.start_url not in detail
    start = client.get(suggestion.start_url)
    assert start.status_code == 200
    assert "tar inte emot nya ärenden" in start.content.decode()
    before = Case.objects.count()
    posted = client.post(suggestion.start_url, {"action": "save"})
    assert "tar inte emot nya ärenden" in posted.content.decode()
    assert Case.objects.count() == before
    # What Anna had begun she can still send in.
    sent = services.submit(draft, by=anna, answers=ANSWERS)
    assert sent.status_kind == StatusKind.SUBMITTED

    assert admin_client.post(closing).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.accepts_cases
    assert client.get(suggestion.start_url).status_code == 200
    assert "tar inte emot" not in client.get(suggestion.start_url).content.decode()
    assert [change.action for change in suggestion.changes.order_by("pk")] == [
        EServiceChange.Action.CLOSED, EServiceChange.Action.OPENED,
    ]  # fmt: skip
    assert suggestion.changes.order_by("pk").first().detail == message


def test_the_closed_message_is_shown_in_english_where_it_is_translated(client, suggestion):
    suggestion.accepts_cases = False
    suggestion.closed_message = "Stängd under sommaren."
    suggestion.closed_message_en = "Closed for the summer."
    suggestion.save()
    client.cookies["django_language"] = "en"
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert "Closed for the summer." in page
    assert "Stängd under sommaren." not in page
    suggestion.closed_message_en = ""
    suggestion.save()
    page = client.get(suggestion.get_absolute_url()).content.decode()
    assert '<div class="govuk-inset-text" lang="sv">Stängd under sommaren.</div>' in page


def test_the_change_log_pages_by_keyset_at_the_same_cost(admin_client, suggestion, karin):
    from sjalvservice.eservices.services import record_change

    for number in range(55):
        record_change(suggestion, karin, EServiceChange.Action.DETAILS, f"Ändring {number}")
    url = reverse("backoffice:manage_eservice_changes", args=[suggestion.pk])
    admin_client.get(url)  # the session and the site, read once
    with CaptureQueriesContext(connection) as first_page:
        first = admin_client.get(url)
    page = first.content.decode()
    assert "Ändring 54" in page
    assert "Ändring 5<" in page
    assert "Ändring 4<" not in page
    older = first.context["older"]
    with CaptureQueriesContext(connection) as second_page:
        second = admin_client.get(url, {"efter": older})
    assert "Ändring 4<" in second.content.decode()
    assert "Ändring 54" not in second.content.decode()
    assert len(second_page) == len(first_page)


def test_a_redaktor_edits_the_e_services_and_reaches_no_case(
    editor_client, editor, suggestion, anna, annas_case, category
):
    services.assign(annas_case, handler=editor, by=editor)  # from before she was a redaktör
    assert editor_client.get(reverse("backoffice:manage_eservices")).status_code == 200
    assert editor_client.get(details_url(suggestion)).status_code == 200
    publish = reverse("backoffice:manage_eservice_publish", args=[suggestion.pk])
    assert editor_client.get(publish).status_code == 200
    # No cases, queues or bookings, and not the administrator's pages.
    inbox = editor_client.get(reverse("backoffice:inbox"))
    assert inbox.status_code == 302
    assert inbox["Location"] == reverse("backoffice:manage_eservices")
    case = reverse("backoffice:case", args=[annas_case.number])
    assert editor_client.get(case).status_code == 404
    assert not cases_for(editor).exists()
    assert not eservices_for(editor).exists()
    assert editor not in colleagues_for(annas_case)
    for name in ("manage", "manage_handlers", "manage_groups", "manage_access_log"):
        assert editor_client.get(reverse(f"backoffice:{name}")).status_code == 404, name
    for name in ("manage_eservice_retention", "manage_reply_templates"):
        url = reverse(f"backoffice:{name}", args=[suggestion.pk])
        assert editor_client.get(url).status_code == 404, name
    # Her menu is the e-services alone.
    page = editor_client.get(reverse("backoffice:manage_eservices")).content.decode()
    assert reverse("backoffice:reservations") not in page
    assert reverse("backoffice:manage_access_log") not in page


def test_a_redaktor_reaches_nothing_of_another_municipality(editor_client, lycksele, category):
    theirs = EService.objects.create(
        municipality=lycksele, category=category, slug="batplats", title="Båtplats"
    )
    for name in ("manage_eservice", "manage_eservice_closing", "manage_eservice_changes",
                 "manage_eservice_publish"):  # fmt: skip
        url = reverse(f"backoffice:{name}", args=[theirs.pk])
        assert editor_client.get(url).status_code == 404, name
        if name != "manage_eservice_changes":
            posted = editor_client.post(url, {**DETAILS, "message": "Stängd"})
            assert posted.status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.accepts_cases
    assert theirs.title == "Båtplats"


def test_the_administrator_makes_a_handler_a_redaktor_and_back(admin_client, julia, annas_case):
    url = reverse("backoffice:manage_handler_role", args=[julia.pk])
    assert admin_client.post(url).status_code == 302
    julia.refresh_from_db()
    assert julia.is_editor
    assert not cases_for(julia).exists()
    change = StaffChange.objects.get(action=StaffChange.Action.ROLE_CHANGED)
    assert (change.target_name, change.detail) == ("Julia Landsell", "Redaktör.")
    page = admin_client.get(reverse("backoffice:manage_handler", args=[julia.pk]))
    assert "Gör till handläggare" in page.content.decode()
    assert admin_client.post(url).status_code == 302
    julia.refresh_from_db()
    assert not julia.is_editor
    assert cases_for(julia).filter(pk=annas_case.pk).exists()
    assert admin_client.get(url).status_code == 405


def test_an_administrator_has_no_role_to_change(admin_client, karin):
    url = reverse("backoffice:manage_handler_role", args=[karin.pk])
    assert admin_client.post(url).status_code == 404
    karin.refresh_from_db()
    assert not karin.is_editor


def test_the_list_links_each_e_service_and_marks_the_closed_ones(admin_client, suggestion):
    suggestion.accepts_cases = False
    suggestion.save()
    page = admin_client.get(reverse("backoffice:manage_eservices")).content.decode()
    assert details_url(suggestion) in page
    assert "Stängd för nya ärenden" in page
    assert reverse("backoffice:manage_eservice_add") in page


def test_a_change_is_timed_and_kept_when_its_maker_is_gone(suggestion, cecilia):
    from sjalvservice.eservices.services import close_eservice

    close_eservice(suggestion, by=cecilia, message="Stängd.")
    cecilia.delete()
    change = suggestion.changes.get()
    assert change.actor is None
    assert change.actor_name == "Cecilia Handläggare"
    assert abs(change.created_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)

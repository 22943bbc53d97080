"""Municipality administration: handlers, groups, e-services, the access log."""

import json

import pytest
import yaml
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.access import eservices_for
from sjalvservice.backoffice.models import Assignment, HandlerGroup
from sjalvservice.core.models import AccessLog
from sjalvservice.eservices.tests.conftest import SIMPLE_DEFINITION, make_eservice

PASSWORD = "a-long-test-password"


@pytest.fixture
def admin_client(client, karin, staff_login):
    return staff_login(client, karin)


@pytest.fixture
def boat_place(lycksele, category):
    """An e-service of Lycksele, which Skellefteå's administrator must never reach."""
    return make_eservice(lycksele, category, slug="batplats", title="Båtplats")


@pytest.fixture
def lycksele_group(lycksele, david, boat_place):
    group = HandlerGroup.objects.create(municipality=lycksele, name="Fritid")
    group.members.add(david)
    group.eservices.add(boat_place)
    return group


@pytest.fixture
def council_office(skelleftea, julia, suggestion):
    group = HandlerGroup.objects.create(municipality=skelleftea, name="Kommunledningskontoret")
    group.members.add(julia)
    group.eservices.add(suggestion)
    return group


def manage_urls(handler, group, eservice):
    """Every management URL with the methods it answers, with objects where it takes one."""
    read, form, action = ("get",), ("get", "post"), ("post",)
    return [
        (reverse("backoffice:manage"), read),
        (reverse("backoffice:manage_handlers"), read),
        (reverse("backoffice:manage_handler_add"), form),
        (reverse("backoffice:manage_handler", args=[handler.pk]), form),
        (reverse("backoffice:manage_handler_active", args=[handler.pk]), action),
        (reverse("backoffice:manage_handler_reset_second_factor", args=[handler.pk]), action),
        (reverse("backoffice:manage_handler_role", args=[handler.pk]), action),
        (reverse("backoffice:manage_groups"), read),
        (reverse("backoffice:manage_group_add"), form),
        (reverse("backoffice:manage_group", args=[group.pk]), form),
        (reverse("backoffice:manage_eservices"), read),
        (reverse("backoffice:manage_eservice_publish", args=[eservice.pk]), form),
        (reverse("backoffice:manage_eservice_add"), form),
        (reverse("backoffice:manage_eservice", args=[eservice.pk]), form),
        (reverse("backoffice:manage_eservice_closing", args=[eservice.pk]), form),
        (reverse("backoffice:manage_eservice_changes", args=[eservice.pk]), read),
        (reverse("backoffice:manage_eservice_versions", args=[eservice.pk]), read),
        (reverse("backoffice:manage_eservice_version", args=[eservice.pk, 1]), read),
        (reverse("backoffice:manage_eservice_compare", args=[eservice.pk]), read),
        (reverse("backoffice:manage_eservice_version_to_draft", args=[eservice.pk, 1]), action),
        (reverse("backoffice:manage_eservice_discard_draft", args=[eservice.pk]), action),
        (reverse("backoffice:manage_eservice_copy_search"), read),
        (reverse("backoffice:manage_eservice_copy", args=[eservice.slug]), form),
        (reverse("backoffice:manage_builder", args=[eservice.pk]), form),
        (reverse("backoffice:manage_builder_add_step", args=[eservice.pk]), form),
        (reverse("backoffice:manage_builder_step", args=[eservice.pk, "forslag"]), form),
        (reverse("backoffice:manage_builder_add_field", args=[eservice.pk, "forslag"]), form),
        (reverse("backoffice:manage_builder_field", args=[eservice.pk, "rubrik"]), form),
        (reverse("backoffice:manage_builder_statuses", args=[eservice.pk]), form),
        (reverse("backoffice:manage_builder_texts", args=[eservice.pk]), form),
        (reverse("backoffice:manage_builder_publish", args=[eservice.pk]), action),
        (reverse("backoffice:manage_builder_preview", args=[eservice.pk, "forslag"]), read),
        (reverse("backoffice:manage_builder_test", args=[eservice.pk]), form),
        (reverse("backoffice:manage_builder_test_step", args=[eservice.pk, "forslag"]), form),
        (reverse("backoffice:manage_builder_test_summary", args=[eservice.pk]), form),
        (reverse("backoffice:manage_builder_test_receipt", args=[eservice.pk]), read),
        (reverse("backoffice:manage_access_log"), read),
    ]


def test_the_overview_links_to_every_part(admin_client):
    response = admin_client.get(reverse("backoffice:manage"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("manage_handlers", "manage_groups", "manage_eservices", "manage_access_log"):
        assert reverse(f"backoffice:{name}") in page
    assert "Skellefteå kommun" in page


def test_a_handler_gets_404_on_every_management_url(
    client, julia, staff_login, council_office, suggestion, cecilia
):
    staff_login(client, julia)
    for url, methods in manage_urls(cecilia, council_office, suggestion):
        for method in methods:
            response = getattr(client, method)(url, {"name": "X", "definition": "x"})
            assert response.status_code == 404, (method, url)
    assert Assignment.objects.filter(handler=cecilia).count() == 0
    assert User.objects.get(pk=cecilia.pk).is_active


def test_anonymous_visitors_go_to_the_staff_login(client, cecilia, council_office, suggestion):
    for url, methods in manage_urls(cecilia, council_office, suggestion):
        for method in methods:
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("backoffice:login"))


def test_a_municipality_administrator_without_the_second_factor_goes_to_the_login(client, karin):
    client.force_login(karin)
    response = client.get(reverse("backoffice:manage"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_another_municipalitys_handlers_groups_and_e_services_are_404(
    admin_client, david, lycksele_group, boat_place
):
    text = json.dumps({**SIMPLE_DEFINITION, "title": "Kapad"})
    for url, methods in manage_urls(david, lycksele_group, boat_place):
        if not any(str(pk) in url for pk in (david.pk, lycksele_group.pk, boat_place.pk)):
            continue
        for method in methods:
            data = {"name": "Övertagen", "definition": text, "publish": "1"}
            response = getattr(admin_client, method)(url, data)
            assert response.status_code == 404, (method, url)
    david.refresh_from_db()
    assert david.is_active
    lycksele_group.refresh_from_db()
    assert lycksele_group.name == "Fritid"
    assert boat_place.versions.count() == 1


def test_the_handler_list_shows_e_services_groups_status_and_second_factor(
    admin_client, julia, cecilia, david, council_office, staff_login
):
    TOTPDevice.objects.create(user=julia, name="Mobil", confirmed=True)
    cecilia.is_active = False
    cecilia.save()
    response = admin_client.get(reverse("backoffice:manage_handlers"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Julia Landsell" in page
    assert "Medborgarförslag" in page
    assert "Kommunledningskontoret" in page
    assert "Inaktiverat" in page
    assert "Tvåstegsverifiering inte aktiverad" in page  # Cecilia has no app
    assert "David Lind" not in page


def test_platform_administrators_are_not_managed_here(admin_client, skelleftea):
    root = User.objects.create_superuser("root", PASSWORD, municipality=skelleftea)
    assert "root" not in admin_client.get(reverse("backoffice:manage_handlers")).content.decode()
    url = reverse("backoffice:manage_handler", args=[root.pk])
    assert admin_client.get(url).status_code == 404


def test_an_administrator_adds_a_handler(admin_client, skelleftea):
    response = admin_client.post(
        reverse("backoffice:manage_handler_add"),
        {"username": "nils", "first_name": "Nils", "last_name": "Nilsson",
         "email": "nils@skelleftea.example", "password": "Granskog-Vinter-2025"},
    )  # fmt: skip
    nils = User.objects.get(username="nils")
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:manage_handler", args=[nils.pk])
    assert nils.is_staff
    assert nils.is_active
    assert not nils.is_superuser
    assert not nils.is_municipality_admin
    assert nils.municipality == skelleftea
    assert nils.check_password("Granskog-Vinter-2025")
    assert not TOTPDevice.objects.filter(user=nils).exists()
    page = admin_client.get(response["Location"]).content.decode()
    assert "Nils Nilsson är tillagd" in page
    assert "govuk-notification-banner--success" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "kort"}, "lösenordet är för kort"),
        ({"password": "nilsnilsson1"}, ""),
        ({"password": "123456789012"}, ""),
        ({"username": "julia"}, "Användarnamnet är upptaget"),
        ({"username": "JULIA"}, "Användarnamnet är upptaget"),
        ({"username": "nils nilsson"}, "Användarnamnet får bara innehålla"),
        ({"email": "inte-en-adress"}, "Skriv e-postadressen i rätt format"),
        ({"first_name": ""}, "Skriv handläggarens förnamn"),
    ],
)
def test_a_handler_with_bad_details_is_not_added(admin_client, julia, changes, message):
    data = {
        "username": "nils",
        "first_name": "Nils",
        "last_name": "Nilsson",
        "email": "nils@skelleftea.example",
        "password": "Granskog-Vinter-2025",
        **changes,
    }
    response = admin_client.post(reverse("backoffice:manage_handler_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert User.objects.filter(is_staff=True).count() == 2  # Karin and Julia


def test_an_administrator_assigns_e_services_and_groups(
    admin_client, cecilia, suggestion, council_office
):
    url = reverse("backoffice:manage_handler", args=[cecilia.pk])
    page = admin_client.get(url).content.decode()
    assert "Medborgarförslag" in page
    assert "Kommunledningskontoret" in page
    response = admin_client.post(url, {"eservices": [suggestion.pk], "groups": [council_office.pk]})
    assert response.status_code == 302
    assert response["Location"] == url
    assert Assignment.objects.filter(handler=cecilia, eservice=suggestion).exists()
    assert council_office.members.filter(pk=cecilia.pk).exists()
    assert list(eservices_for(cecilia)) == [suggestion]
    assert "sparade" in admin_client.get(url).content.decode()
    # Unticking everything takes it all away again.
    admin_client.post(url, {})
    assert not Assignment.objects.filter(handler=cecilia).exists()
    assert not council_office.members.filter(pk=cecilia.pk).exists()
    assert not eservices_for(cecilia).exists()


def test_an_e_service_or_group_of_another_municipality_cannot_be_assigned(
    admin_client, cecilia, boat_place, lycksele_group
):
    url = reverse("backoffice:manage_handler", args=[cecilia.pk])
    for data in ({"eservices": [boat_place.pk]}, {"groups": [lycksele_group.pk]}):
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert "Välj bara bland alternativen i listan" in response.content.decode()
    assert not Assignment.objects.filter(handler=cecilia).exists()
    assert not lycksele_group.members.filter(pk=cecilia.pk).exists()


def test_the_handler_page_rejects_other_methods(admin_client, cecilia):
    url = reverse("backoffice:manage_handler", args=[cecilia.pk])
    assert admin_client.put(url).status_code == 405


def test_an_administrator_deactivates_and_reactivates_a_handler(admin_client, cecilia):
    url = reverse("backoffice:manage_handler_active", args=[cecilia.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response["Location"] == reverse("backoffice:manage_handler", args=[cecilia.pk])
    cecilia.refresh_from_db()
    assert not cecilia.is_active
    admin_client.post(url)
    cecilia.refresh_from_db()
    assert cecilia.is_active


def test_an_administrator_cannot_deactivate_themselves(admin_client, karin):
    admin_client.post(reverse("backoffice:manage_handler_active", args=[karin.pk]))
    karin.refresh_from_db()
    assert karin.is_active


def test_an_administrator_resets_a_handlers_second_factor(admin_client, cecilia, client):
    TOTPDevice.objects.create(user=cecilia, name="Mobil", confirmed=True)
    url = reverse("backoffice:manage_handler_reset_second_factor", args=[cecilia.pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert "återställd" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cecilia).exists()


def test_a_reset_second_factor_means_enrolling_at_the_next_login(admin_client, cecilia):
    from django.test import Client

    TOTPDevice.objects.create(user=cecilia, name="Mobil", confirmed=True)
    admin_client.post(reverse("backoffice:manage_handler_reset_second_factor", args=[cecilia.pk]))
    other = Client()
    response = other.post(
        reverse("backoffice:login"), {"username": "cecilia", "password": PASSWORD}
    )
    assert response["Location"] == reverse("backoffice:enrol")


def test_an_administrator_creates_and_edits_a_group(admin_client, skelleftea, julia, cecilia):
    suggestion = julia.assignments.get().eservice
    response = admin_client.post(
        reverse("backoffice:manage_group_add"),
        {"name": "  Bygg och  miljö ", "members": [julia.pk, cecilia.pk],
         "eservices": [suggestion.pk]},
    )  # fmt: skip
    assert response["Location"] == reverse("backoffice:manage_groups")
    group = HandlerGroup.objects.get(municipality=skelleftea)
    assert group.name == "Bygg och miljö"
    assert set(group.members.all()) == {julia, cecilia}
    assert list(eservices_for(cecilia)) == [suggestion]
    page = admin_client.get(reverse("backoffice:manage_groups")).content.decode()
    assert "Gruppen Bygg och miljö är skapad." in page
    assert "Cecilia Handläggare" in page

    url = reverse("backoffice:manage_group", args=[group.pk])
    assert 'value="Bygg och miljö"' in admin_client.get(url).content.decode()
    admin_client.post(url, {"name": "Bygglov", "members": [julia.pk]})
    group.refresh_from_db()
    assert group.name == "Bygglov"
    assert list(group.members.all()) == [julia]
    assert not group.eservices.exists()


def test_a_group_needs_a_free_name_and_members_and_e_services_of_the_municipality(
    admin_client, council_office, david, boat_place
):
    url = reverse("backoffice:manage_group_add")
    for data, message in [
        ({"name": ""}, "Skriv gruppens namn"),
        ({"name": "kommunledningskontoret"}, "Det finns redan en grupp med det namnet"),
        ({"name": "Ny", "members": [david.pk]}, "Välj bara bland alternativen i listan"),
        ({"name": "Ny", "eservices": [boat_place.pk]}, "Välj bara bland alternativen i listan"),
        ({"name": "Ny", "members": ["x"]}, "Välj bara bland alternativen i listan"),
    ]:
        response = admin_client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode(), data
    assert list(HandlerGroup.objects.all()) == [council_office]
    # Keeping the group's own name when editing is fine.
    edit = reverse("backoffice:manage_group", args=[council_office.pk])
    assert admin_client.post(edit, {"name": "Kommunledningskontoret"}).status_code == 302


def test_the_e_service_list_shows_the_municipalitys_own(admin_client, suggestion, boat_place):
    page = admin_client.get(reverse("backoffice:manage_eservices")).content.decode()
    assert "Medborgarförslag" in page
    assert "Båtplats" not in page
    assert reverse("backoffice:manage_eservice_publish", args=[suggestion.pk]) in page


def test_the_publish_page_lists_the_texts_without_english(admin_client, suggestion):
    url = reverse("backoffice:manage_eservice_publish", args=[suggestion.pk])
    page = admin_client.get(url).content.decode()
    assert "texter saknar engelsk översättning" in page
    assert "fields.<wbr>rubrik.<wbr>label</code>" in page
    translated = {
        **SIMPLE_DEFINITION,
        "translations": {"en": {"title": "Proposal", "steps": {}, "fields": {}}},
    }
    english = yaml.safe_load(yaml.safe_dump(translated))
    steps = english["translations"]["en"]["steps"]
    fields = english["translations"]["en"]["fields"]
    for step in SIMPLE_DEFINITION["steps"]:
        steps[step["key"]] = {"title": f"Step {step['key']}"}
        for field in step["fields"]:
            fields[field["key"]] = {"label": f"Field {field['key']}"}
            if field.get("hint"):
                fields[field["key"]]["hint"] = "A hint"
            if field.get("choices"):
                fields[field["key"]]["choices"] = {c["value"]: "X" for c in field["choices"]}
    text = yaml.safe_dump(english, allow_unicode=True, sort_keys=False)
    page = admin_client.post(url, {"definition": text, "preview": "1"}).content.decode()
    assert "Förhandsgranskning" in page
    assert "saknar engelsk översättning" not in page, page[page.find("saknar") - 300 :][:600]


def test_an_administrator_previews_and_publishes_a_new_version(admin_client, suggestion, karin):
    url = reverse("backoffice:manage_eservice_publish", args=[suggestion.pk])
    page = admin_client.get(url).content.decode()
    assert "Den senaste versionen är 1" in page
    assert "title: Medborgarförslag" in page  # the current version as YAML
    changed = {**SIMPLE_DEFINITION, "title": "Medborgarförslag 2"}
    text = yaml.safe_dump(changed, allow_unicode=True, sort_keys=False)

    response = admin_client.post(url, {"definition": text, "preview": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Förhandsgranskning" in page
    assert "1. Uppgifter" in page
    assert suggestion.versions.count() == 1

    response = admin_client.post(url, {"definition": text, "publish": "1"}, follow=True)
    details = reverse("backoffice:manage_eservice", args=[suggestion.pk])
    assert response.redirect_chain[-1][0] == details
    version = suggestion.versions.get(number=2)
    assert version.published_by == karin
    assert version.definition["title"] == "Medborgarförslag 2"
    assert "Version 2 av Medborgarförslag är publicerad." in response.content.decode()


def test_problems_in_a_definition_are_shown_and_nothing_is_published(admin_client, suggestion):
    url = reverse("backoffice:manage_eservice_publish", args=[suggestion.pk])
    broken = json.dumps({**SIMPLE_DEFINITION, "steps": []})
    response = admin_client.post(url, {"definition": broken, "publish": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Definitionen har" in page
    assert 'href="#id_definition"' in page
    response = admin_client.post(url, {"definition": "", "publish": "1"})
    assert "Skriv eller klistra in en definition." in response.content.decode()
    assert suggestion.versions.count() == 1


def test_publishing_an_e_service_of_another_municipality_is_404(admin_client, boat_place):
    url = reverse("backoffice:manage_eservice_publish", args=[boat_place.pk])
    text = json.dumps({**SIMPLE_DEFINITION, "title": "Kapad"})
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"definition": text, "publish": "1"}).status_code == 404
    assert boat_place.versions.count() == 1


def log_row(municipality, number, **fields):
    return AccessLog.objects.create(
        user_name="Julia Landsell", action=AccessLog.Action.CASE, municipality=municipality,
        case_number=number, ip_address="192.0.2.10", **fields,
    )  # fmt: skip


def test_the_access_log_shows_only_the_municipalitys_rows_newest_first(
    admin_client, skelleftea, lycksele
):
    log_row(skelleftea, 1001)
    log_row(lycksele, 2002, detail="Lycksele-rad")
    log_row(skelleftea, 1003)
    response = admin_client.get(reverse("backoffice:manage_access_log"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.case_number for row in rows] == [1003, 1001]
    assert "Lycksele-rad" not in response.content.decode()


def test_the_access_log_filters_by_case_number(admin_client, skelleftea, lycksele):
    log_row(skelleftea, 1001)
    log_row(skelleftea, 1002)
    log_row(lycksele, 1001)
    response = admin_client.get(reverse("backoffice:manage_access_log"), {"arende": "1001"})
    assert [row.case_number for row in response.context["rows"]] == [1001]
    assert response.context["rows"][0].municipality_id == skelleftea.pk
    response = admin_client.get(reverse("backoffice:manage_access_log"), {"arende": "abc"})
    assert "Skriv ärendenumret med siffror" in response.content.decode()
    assert len(response.context["rows"]) == 2


def test_the_access_log_pages_by_keyset_fifty_at_a_time(
    admin_client, skelleftea, django_assert_max_num_queries
):
    AccessLog.objects.bulk_create(
        AccessLog(user_name="Julia", action=AccessLog.Action.CASE, municipality=skelleftea,
                  case_number=n)
        for n in range(1, 121)
    )  # fmt: skip
    url = reverse("backoffice:manage_access_log")
    seen = []
    params = {}
    pages = 0
    while True:
        with django_assert_max_num_queries(12):
            response = admin_client.get(url, params)
        rows = response.context["rows"]
        assert len(rows) <= 50
        seen.extend(row.pk for row in rows)
        pages += 1
        if not response.context["older"]:
            break
        assert "Nästa sida" in response.content.decode()
        params = {"efter": response.context["older"]}
    assert pages == 3
    assert len(seen) == len(set(seen)) == 120
    ordered = AccessLog.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
    assert seen == list(ordered)


def test_a_broken_cursor_shows_the_first_page(admin_client, skelleftea):
    log_row(skelleftea, 1001)
    for cursor in ("x", "2025-01-01_x", "_5", "2025-13-45T00:00:00_3"):
        response = admin_client.get(reverse("backoffice:manage_access_log"), {"efter": cursor})
        assert response.status_code == 200
        assert len(response.context["rows"]) == 1


def test_an_administrator_keeps_the_reply_templates_of_an_e_service(
    admin_client, suggestion, boat_place
):
    from sjalvservice.backoffice.models import ReplyTemplate

    page = reverse("backoffice:manage_reply_templates", args=[suggestion.pk])
    assert "E-tjänsten har inga svarsmallar ännu." in admin_client.get(page).content.decode()
    data = {"title": "Mottaget", "text": "Vi har tagit emot ditt förslag."}
    assert admin_client.post(page, data).status_code == 302
    template = ReplyTemplate.objects.get()
    assert (template.eservice, template.title) == (suggestion, "Mottaget")
    again = admin_client.post(page, data)
    assert again.status_code == 200
    assert "Det finns redan en svarsmall med den rubriken." in again.content.decode()
    edit = reverse("backoffice:manage_reply_template", args=[template.pk])
    admin_client.post(edit, {"title": "Mottaget", "text": "Tack för ditt förslag."})
    template.refresh_from_db()
    assert template.text == "Tack för ditt förslag."
    admin_client.post(edit, {"delete": "1"})
    assert not ReplyTemplate.objects.exists()
    # Another municipality's e-service and its templates do not exist here.
    foreign = ReplyTemplate.objects.create(eservice=boat_place, title="Båt", text="Hej.")
    assert (
        admin_client.get(
            reverse("backoffice:manage_reply_templates", args=[boat_place.pk])
        ).status_code
        == 404
    )
    assert (
        admin_client.post(
            reverse("backoffice:manage_reply_template", args=[foreign.pk]), {"delete": "1"}
        ).status_code
        == 404
    )
    assert ReplyTemplate.objects.filter(pk=foreign.pk).exists()

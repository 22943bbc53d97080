import pytest
import yaml
from django.urls import reverse

from sjalvservice.accounts.models import User
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.tests.conftest import SIMPLE_DEFINITION


@pytest.fixture
def platform_admin(db):
    return User.objects.create_superuser("root", "a-long-test-password")


@pytest.fixture
def admin_client(client, staff_login, platform_admin):
    return staff_login(client, platform_admin)


def publish_url(eservice):
    return reverse("admin:eservices_eservice_publish", args=[eservice.pk])


def definition_text(**changes):
    return yaml.safe_dump({**SIMPLE_DEFINITION, **changes}, allow_unicode=True, sort_keys=False)


def test_the_platform_administrator_lists_filters_and_searches_e_services(
    admin_client, building_permit, fault_report, lycksele
):
    url = reverse("admin:eservices_eservice_changelist")
    html = admin_client.get(url).content.decode()
    assert "Anmälan om bygglov" in html
    assert "Felanmälan gata och park" in html
    html = admin_client.get(url, {"municipality__id__exact": lycksele.pk}).content.decode()
    assert "Anmälan om bygglov" not in html
    html = admin_client.get(url, {"q": "attefallshus"}).content.decode()
    assert "Anmälan om bygglov" in html
    assert "Felanmälan gata och park" not in html


def test_the_change_page_shows_the_versions_read_only_and_links_to_publishing(
    admin_client, building_permit
):
    version = building_permit.versions.get()
    url = reverse("admin:eservices_eservice_change", args=[building_permit.pk])
    html = admin_client.get(url).content.decode()
    assert "Publicerade versioner" in html
    assert version.content_hash[:12] in html
    assert version.content_hash not in html
    assert 'name="versions-0-number"' not in html  # read only
    assert f'href="{publish_url(building_permit)}"' in html
    assert "Publicera ny version" in html


def test_the_platform_administrator_adds_an_e_service(admin_client, skelleftea, building):
    response = admin_client.post(
        reverse("admin:eservices_eservice_add"),
        {"title": "Ansökan om parkeringstillstånd", "slug": "parkering",
         "municipality": skelleftea.pk, "category": building.pk, "short_description": "",
         "description": "", "keywords": "p-tillstånd", "requires_login": "on",
         "is_active": "on", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    eservice = EService.objects.get(slug="parkering")
    assert eservice.search_text.startswith("ansokan om parkeringstillstand\n")
    assert not EService.objects.published().filter(pk=eservice.pk).exists()


def test_the_publish_page_is_prefilled_with_the_current_version_as_yaml(
    admin_client, building_permit
):
    response = admin_client.get(publish_url(building_permit))
    assert response.status_code == 200
    text = response.context["form"].initial["definition"]
    assert yaml.safe_load(text) == building_permit.current_version.definition
    assert "null" not in text
    assert "Den senaste versionen är 1." in response.content.decode()


def test_the_preview_shows_every_step_and_publishes_nothing(admin_client, building_permit):
    two_steps = {**SIMPLE_DEFINITION, "steps": [*SIMPLE_DEFINITION["steps"], {
        "key": "mer", "title": "Mer om saken",
        "fields": [{"key": "mer_text", "type": "textarea", "label": "Berätta mer"}],
    }]}  # fmt: skip
    response = admin_client.post(
        publish_url(building_permit),
        {"definition": yaml.safe_dump(two_steps, allow_unicode=True), "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1. Uppgifter" in html
    assert "2. Mer om saken" in html
    assert "Berätta mer" in html
    assert "<fieldset disabled>" in html
    assert building_permit.versions.count() == 1


def test_publishing_makes_the_next_version_and_returns_to_the_e_service(
    admin_client, building_permit, platform_admin
):
    response = admin_client.post(
        publish_url(building_permit),
        {"definition": definition_text(title="Ny version"), "publish": "1"},
        follow=True,
    )
    version = building_permit.versions.get(number=2)
    assert version.published_by == platform_admin
    assert version.definition["title"] == "Ny version"
    assert response.redirect_chain[-1][0] == reverse(
        "admin:eservices_eservice_change", args=[building_permit.pk]
    )
    assert "Version 2 av Anmälan om bygglov är publicerad." in response.content.decode()


def test_publishing_json_works_too(admin_client, building_permit):
    import json

    admin_client.post(
        publish_url(building_permit),
        {"definition": json.dumps({**SIMPLE_DEFINITION, "title": "Från JSON"}), "publish": "1"},
    )
    assert building_permit.versions.get(number=2).definition["title"] == "Från JSON"


def test_publishing_an_unchanged_definition_says_so(admin_client, skelleftea, building):
    from sjalvservice.eservices.services import publish_version

    eservice = EService.objects.create(
        municipality=skelleftea, category=building, slug="x", title="X"
    )
    publish_version(eservice, SIMPLE_DEFINITION)
    response = admin_client.post(
        publish_url(eservice), {"definition": definition_text(), "publish": "1"}, follow=True
    )
    assert "Ingen ny version: definitionen är densamma som version 1." in (
        response.content.decode()
    )
    assert eservice.versions.count() == 1


def test_problems_are_listed_with_their_path_and_the_text_is_kept(admin_client, building_permit):
    broken = definition_text(steps=[{"key": "Fel nyckel", "title": "Steg", "fields": []}])
    response = admin_client.post(
        publish_url(building_permit), {"definition": broken, "publish": "1"}
    )
    assert response.status_code == 200
    assert response.context["problems"]
    html = response.content.decode()
    assert "<code>steps" in html
    assert "Fel nyckel" in html  # the textarea keeps what was written
    assert building_permit.versions.count() == 1


def test_text_that_is_not_yaml_is_a_problem_too(admin_client, building_permit):
    response = admin_client.post(
        publish_url(building_permit), {"definition": "steps: [oavslutad", "preview": "1"}
    )
    assert response.status_code == 200
    assert response.context["problems"]
    assert building_permit.versions.count() == 1


def test_a_text_nested_too_deep_is_a_problem_and_the_text_is_kept(admin_client, building_permit):
    deep = "steps: " + "[" * 2000 + "]" * 2000
    response = admin_client.post(publish_url(building_permit), {"definition": deep, "preview": "1"})
    assert response.status_code == 200
    [(_path, message)] = response.context["problems"]
    assert "fler än 50 nivåer" in message
    assert response.context["form"]["definition"].value() == deep
    assert building_permit.versions.count() == 1


def test_an_empty_definition_is_refused(admin_client, building_permit):
    response = admin_client.post(publish_url(building_permit), {"definition": "", "publish": "1"})
    assert "Skriv eller klistra in en definition." in response.content.decode()


def test_going_back_to_an_old_version_is_explained(admin_client, building_permit):
    for title in ["Två", "Tre"]:
        admin_client.post(
            publish_url(building_permit),
            {"definition": definition_text(title=title), "publish": "1"},
        )
    response = admin_client.post(
        publish_url(building_permit), {"definition": definition_text(title="Två"), "publish": "1"}
    )
    assert response.status_code == 200
    assert "inte längre är den senaste" in response.content.decode()
    assert building_permit.versions.count() == 3


def test_the_publish_page_rejects_other_methods(admin_client, building_permit):
    assert admin_client.put(publish_url(building_permit)).status_code == 405


def test_an_unknown_e_service_is_404(admin_client, db):
    url = reverse("admin:eservices_eservice_publish", args=[999])
    assert admin_client.get(url).status_code == 404


def test_a_handler_cannot_manage_the_catalogue_in_the_admin(
    client, staff_login, cecilia, building_permit
):
    # The admin is the platform administrators': to other staff it does not exist.
    staff_login(client, cecilia)
    assert client.get(reverse("admin:eservices_eservice_changelist")).status_code == 404
    assert client.get(publish_url(building_permit)).status_code == 404
    response = client.post(
        publish_url(building_permit), {"definition": definition_text(title="X"), "publish": "1"}
    )
    assert response.status_code == 404
    assert building_permit.versions.count() == 1


def test_anonymous_visitors_are_sent_to_the_admin_login(client, building_permit):
    response = client.get(publish_url(building_permit))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_platform_administrator_manages_categories(admin_client):
    response = admin_client.post(
        reverse("admin:eservices_category_add"),
        {"name": "Skola och förskola", "slug": "skola", "position": "3", "description": ""},
    )
    assert response.status_code == 302
    html = admin_client.get(reverse("admin:eservices_category_changelist")).content.decode()
    assert "Skola och förskola" in html


def test_the_change_page_and_the_publish_page_show_what_has_no_english(
    admin_client, building_permit
):
    url = reverse("admin:eservices_eservice_change", args=[building_permit.pk])
    html = admin_client.get(url).content.decode()
    assert "Saknar engelsk översättning" in html
    assert "namn på engelska" in html  # the e-service's own title
    assert "translations.en.title" in html  # the form's
    html = admin_client.get(publish_url(building_permit)).content.decode()
    assert "texter saknar engelsk översättning" in html
    assert '<code>translations.en.title</code></td><td lang="sv">' in html

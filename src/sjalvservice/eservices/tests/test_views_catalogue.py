from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sjalvservice.eservices.models import Category
from sjalvservice.eservices.tests.conftest import make_eservice

HOME = "/"
CATALOGUE = "/tjanster/"


def submit_cases(eservice, count, *, days_ago=1):
    """Submitted cases of an e-service, as the cases app would leave them."""
    from sjalvservice.cases.models import Case, Status, StatusKind

    status = Status.objects.default_for(StatusKind.SUBMITTED)
    for _ in range(count):
        Case.objects.create(
            eservice=eservice, eservice_version=eservice.versions.get(), status=status,
            municipality=eservice.municipality,
            submitted_at=timezone.now() - timedelta(days=days_ago),
        )  # fmt: skip


def test_the_urls_are_where_the_portal_expects_them(db):
    assert reverse("eservices:home") == "/"
    assert reverse("eservices:catalogue") == "/tjanster/"
    assert reverse("eservices:detail", kwargs={"slug": "bygglov"}) == "/tjanster/bygglov/"


# The start page


def test_the_start_page_has_the_search_box_the_most_used_and_the_categories(
    client, building_permit, fault_report
):
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'action="{CATALOGUE}"' in html
    assert 'method="get"' in html
    assert ">Sök e-tjänst</label>" in html
    assert "Sök t.ex. serveringstillstånd, felanmälan, bygglov" in html
    assert "Mest använda tjänsterna" in html
    assert (
        'href="/tjanster/bygglov/">Till tjänsten'
        '<span class="govuk-visually-hidden"> Anmälan om bygglov</span></a>'
    ) in html
    assert "Skellefteå kommun" in html
    assert "Sök bygglov för att bygga nytt eller bygga till." in html
    assert ">Bygga och bo</h3>" in html
    assert ">Gator och parker</h3>" in html


def test_the_start_page_works_for_a_logged_in_citizen(client, anna, building_permit):
    client.force_login(anna)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Anna Testersson</summary>" in response.content.decode()


def test_the_start_page_rejects_post(client, db):
    assert client.post(HOME).status_code == 405


def test_the_start_page_ignores_query_strings_it_does_not_know(client, building_permit):
    response = client.get(HOME + "?q=<script>&x=1")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<body")[1].split("<script")[0]


def test_the_start_page_says_so_when_there_are_no_e_services(client, skelleftea):
    html = client.get(HOME).content.decode()
    assert "Det finns inga e-tjänster här ännu." in html
    assert "Mest använda tjänsterna" not in html


def test_the_most_used_are_ranked_by_cases_submitted_in_the_last_90_days(
    client, skelleftea, building
):
    services = {
        name: make_eservice(skelleftea, building, slug=name, title=title)
        for name, title in [("a", "Ärende A"), ("b", "Bygglov B"), ("c", "Cykel C"),
                            ("d", "Damm D"), ("e", "Eld E"), ("f", "Fiske F"), ("g", "Grus G")]
    }  # fmt: skip
    submit_cases(services["g"], 3)
    submit_cases(services["e"], 2)
    submit_cases(services["a"], 5, days_ago=91)  # too long ago to count
    response = client.get(HOME)
    most_used = [eservice.slug for eservice in response.context["catalogue"].most_used]
    # Ties (no cases) go by title in Swedish order, which puts Ä after the others.
    assert most_used == ["g", "e", "b", "c", "d", "f"]


def test_drafts_do_not_count_towards_the_most_used(client, skelleftea, building):
    from sjalvservice.cases.models import Case, Status, StatusKind

    popular = make_eservice(skelleftea, building, slug="z", title="Zebra")
    make_eservice(skelleftea, building, slug="a", title="Alfa")
    draft = Status.objects.default_for(StatusKind.DRAFT)
    for _ in range(3):
        Case.objects.create(eservice=popular, eservice_version=popular.versions.get(),
                            municipality=skelleftea, status=draft)  # fmt: skip
    response = client.get(HOME)
    assert [e.slug for e in response.context["catalogue"].most_used] == ["a", "z"]


def test_the_start_page_leaves_out_e_services_that_are_not_published(
    client, skelleftea, lycksele, building
):
    make_eservice(skelleftea, building, slug="draft", title="Utkasttjänst", published=False)
    make_eservice(skelleftea, building, slug="off", title="Avstängd tjänst", is_active=False)
    make_eservice(lycksele, building, slug="elsewhere", title="Lyckseles tjänst")
    lycksele.is_active = False
    lycksele.save()
    make_eservice(skelleftea, building, slug="ok", title="Synlig tjänst")
    html = client.get(HOME).content.decode()
    assert "Synlig tjänst" in html
    for title in ["Utkasttjänst", "Avstängd tjänst", "Lyckseles tjänst"]:
        assert title not in html


@pytest.mark.parametrize("count", [1, 50])
def test_the_start_page_costs_one_query_however_many_e_services(
    client, skelleftea, building, django_assert_num_queries, count
):
    for index in range(count):
        make_eservice(skelleftea, building, slug=f"t-{index}", title=f"Tjänst {index}")
    with django_assert_num_queries(1):
        assert client.get(HOME).status_code == 200


def test_the_services_menu_entry_is_the_current_page_on_the_start_page(client, db):
    html = client.get(HOME).content.decode()
    assert 'href="/" aria-current="page"><strong' in html


# The search page


def test_the_search_page_shows_the_matches_with_their_count(client, building_permit, fault_report):
    response = client.get(CATALOGUE, {"q": "bygglof"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "1 e-tjänst<" in html
    assert 'href="/tjanster/bygglov/">Anmälan om bygglov</a>' in html
    assert "Felanmälan gata och park" not in html
    assert 'value="bygglof"' in html
    assert "<title>Sökresultat för bygglof" in html


def test_the_search_page_without_words_lists_every_e_service(client, building_permit, fault_report):
    html = client.get(CATALOGUE).content.decode()
    assert "2 e-tjänster<" in html
    assert "Anmälan om bygglov" in html
    assert "Felanmälan gata och park" in html


def test_the_search_page_filters_by_municipality_and_category(
    client, building_permit, fault_report, streets
):
    html = client.get(CATALOGUE, {"kommun": "lycksele"}).content.decode()
    assert "1 e-tjänst<" in html
    assert "Felanmälan gata och park" in html
    assert '<option value="lycksele" selected>Lycksele kommun</option>' in html
    html = client.get(CATALOGUE, {"kategori": "bygga-och-bo", "q": ""}).content.decode()
    assert "Anmälan om bygglov" in html
    assert "Felanmälan gata och park" not in html
    html = client.get(CATALOGUE, {"kommun": "skelleftea", "kategori": "gator-och-parker"})
    assert "0 e-tjänster<" in html.content.decode()


def test_the_filters_are_labelled_selects_in_a_get_form(client, building_permit):
    html = client.get(CATALOGUE).content.decode()
    assert '<form method="get" action="/tjanster/"' in html
    assert '<label class="govuk-label govuk-label--s" for="id_kommun">Kommun</label>' in html
    assert '<select class="govuk-select" id="id_kommun" name="kommun">' in html
    assert '<option value="">Alla kommuner</option>' in html
    assert '<label class="govuk-label govuk-label--s" for="id_kategori">Kategori</label>' in html
    assert '<option value="">Alla kategorier</option>' in html


def test_the_search_page_gives_advice_when_nothing_matches(client, building_permit):
    html = client.get(CATALOGUE, {"q": "xyzzy"}).content.decode()
    assert "0 e-tjänster<" in html
    assert "Vi hittade ingen e-tjänst som passar din sökning." in html
    assert "kontrollera stavningen" in html
    assert 'href="/tjanster/">se alla e-tjänster</a>' in html


def test_an_unknown_municipality_is_an_error_shown_in_the_summary(client, building_permit):
    response = client.get(CATALOGUE, {"kommun": "atlantis"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fel: " in html
    assert "govuk-error-summary" in html
    assert '<a href="#id_kommun">Välj en kommun i listan.</a>' in html
    assert "govuk-select--error" in html
    assert response.context["results"] is None


def test_an_unknown_category_is_an_error(client, building_permit):
    html = client.get(CATALOGUE, {"kategori": "<b>x</b>"}).content.decode()
    assert '<a href="#id_kategori">Välj en kategori i listan.</a>' in html
    assert "<b>x</b>" not in html


def test_a_search_that_is_too_long_is_an_error(client, building_permit):
    html = client.get(CATALOGUE, {"q": "bygglov " * 30}).content.decode()
    assert "Sökningen får vara högst 200 tecken lång." in html
    assert 'aria-describedby="id_q-hint id_q-error"' in html


def test_the_search_page_rejects_post(client, db):
    assert client.post(CATALOGUE, {"q": "bygglov"}).status_code == 405


def test_the_search_page_works_for_a_logged_in_citizen(client, anna, building_permit):
    client.force_login(anna)
    assert "1 e-tjänst<" in client.get(CATALOGUE, {"q": "bygglov"}).content.decode()


def test_the_services_menu_entry_is_current_on_the_search_page(client, db):
    html = client.get(CATALOGUE).content.decode()
    assert 'href="/" aria-current="true"><strong' in html


@pytest.mark.parametrize("count", [1, 50])
def test_the_search_page_costs_three_queries_however_many_e_services(
    client, skelleftea, lycksele, building, django_assert_num_queries, count
):
    for index in range(count):
        make_eservice(skelleftea, building, slug=f"t-{index}", title=f"Bygglov {index}")
    with django_assert_num_queries(3):  # municipalities, categories, e-services
        response = client.get(CATALOGUE, {"q": "bygglov", "kommun": "skelleftea",
                                          "kategori": "bygga-och-bo"})  # fmt: skip
    assert len(response.context["results"]) == count


# The e-service page


def test_the_e_service_page_describes_the_service_and_offers_to_start_it(client, building_permit):
    response = client.get("/tjanster/bygglov/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert '<h1 class="govuk-heading-xl">Anmälan om bygglov</h1>' in html
    assert "Skellefteå kommun" in html
    assert "Bygga och bo" in html
    assert '<p class="govuk-body">Du behöver bygglov för att bygga ett hus.</p>' in html
    assert '<p class="govuk-body">Bifoga ritningar.</p>' in html
    assert "Du behöver logga in med e-legitimation" in html
    assert 'href="/tjanster/bygglov/starta/"' in html
    assert "Starta e-tjänsten" in html


def test_the_e_service_page_says_when_no_login_is_needed(client, fault_report):
    html = client.get("/tjanster/felanmalan/").content.decode()
    assert "Du behöver inte logga in" in html
    assert "Du behöver logga in med e-legitimation" not in html


def test_a_logged_in_citizen_is_not_told_to_log_in_first(client, anna, building_permit):
    client.force_login(anna)
    html = client.get("/tjanster/bygglov/").content.decode()
    assert "får du först logga in" not in html


@pytest.mark.parametrize("case", ["unknown", "inactive", "unpublished", "closed-municipality"])
def test_the_e_service_page_is_404_unless_the_service_is_published(
    client, skelleftea, lycksele, building, case
):
    make_eservice(skelleftea, building, slug="inactive", title="Av", is_active=False)
    make_eservice(skelleftea, building, slug="unpublished", title="Utkast", published=False)
    make_eservice(lycksele, building, slug="closed-municipality", title="Stängd")
    lycksele.is_active = False
    lycksele.save()
    assert client.get(f"/tjanster/{case}/").status_code == 404


def test_the_e_service_page_rejects_post(client, building_permit):
    assert client.post("/tjanster/bygglov/").status_code == 405


def test_the_e_service_page_costs_one_query(client, building_permit, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/tjanster/bygglov/")


def test_the_e_service_page_escapes_what_administrators_wrote(client, skelleftea):
    category = Category.objects.create(name="<i>Kategori</i>", slug="k")
    make_eservice(skelleftea, category, slug="x", title="<script>alert(1)</script>",
                  description="<b>fet</b>")  # fmt: skip
    html = client.get("/tjanster/x/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html

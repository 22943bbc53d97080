import pytest
from django.urls import reverse

PAGES = ["eservices:home", "core:accessibility", "core:privacy", "core:cookies"]


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_the_page_to_anonymous_visitors_in_swedish(client, skelleftea, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert html.count("<h1") == 1
    assert response["Content-Language"] == "sv"


@pytest.mark.parametrize("name", PAGES)
def test_it_rejects_post(client, name):
    assert client.post(reverse(name)).status_code == 405


def test_the_footer_links_to_the_three_information_pages(client, db):
    html = client.get(reverse("eservices:home")).content.decode()
    for name, label in [
        ("core:accessibility", "Tillgänglighetsredogörelse"),
        ("core:privacy", "Personuppgifter"),
        ("core:cookies", "Kakor"),
    ]:
        assert f'href="{reverse(name)}">{label}</a>' in html


def test_the_header_offers_services_my_pages_and_login_to_anonymous_visitors(client, db):
    html = client.get(reverse("eservices:home")).content.decode()
    assert "Tjänster" in html
    assert "Mina sidor" in html
    assert "Logga in" in html
    assert "Logga ut" not in html


def test_the_header_shows_the_logged_in_persons_name_as_a_menu(client, anna):
    client.force_login(anna)
    html = client.get(reverse("eservices:home")).content.decode()
    assert "Anna Testersson</summary>" in html
    for label in ["Mina uppgifter", "Mina engagemang", "Logga ut"]:
        assert label in html
    assert f'action="{reverse("eid:logout")}"' in html


def test_the_contact_pages_name_each_municipalitys_contact(client, skelleftea):
    for name in ["core:accessibility", "core:privacy"]:
        assert "kommun@skelleftea.example" in client.get(reverse(name)).content.decode()

import pytest
from django.urls import reverse

PAGES = ["accounts:my_pages", "accounts:my_details", "accounts:my_engagements"]


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_login_and_back(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={reverse(name)}"


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_the_page_to_the_logged_in_citizen(client, anna, name):
    client.force_login(anna)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("name", PAGES)
def test_it_rejects_post(client, anna, name):
    client.force_login(anna)
    assert client.post(reverse(name)).status_code == 405


def test_my_details_show_only_the_logged_in_persons_own_data(client, anna, bertil):
    client.force_login(bertil)
    html = client.get(reverse("accounts:my_details")).content.decode()
    assert "197504129912" in html
    assert "Bertil Provsson" in html
    assert "198101059825" not in html
    assert "Anna" not in html

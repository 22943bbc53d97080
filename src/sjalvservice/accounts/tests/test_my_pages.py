import pytest
from django.urls import reverse

PAGES = [
    "cases:my_pages",
    "accounts:my_details",
    "accounts:my_engagements",
    "reservations:my_queue_places",
    "reservations:my_bookings",
]


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_anonymous_visitors_to_login_and_back(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('eid:login')}?next={reverse(name)}"


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_the_page_to_the_logged_in_citizen(client, anna, name):
    client.force_login(anna)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("name", [name for name in PAGES if name != "accounts:my_details"])
def test_it_rejects_post(client, anna, name):
    client.force_login(anna)
    assert client.post(reverse(name)).status_code == 405


def test_my_details_show_only_the_logged_in_persons_own_data(client, anna, bertil):
    client.force_login(bertil)
    html = client.get(reverse("accounts:my_details")).content.decode()
    assert "19750412-9912" in html
    assert 'value="Bertil"' in html
    assert 'value="Provsson"' in html
    assert "810105" not in html
    assert "Anna" not in html


def test_the_sub_navigation_has_the_handbooks_five_entries(client, anna):
    client.force_login(anna)
    html = client.get(reverse("cases:my_pages")).content.decode()
    html = html[html.index('<nav class="sjs-subnav"') :]
    entries = ["Mina ärenden", "Mina uppgifter", "Mina organisationer", "Mina köplatser",
               "Mina bokningar"]  # fmt: skip
    positions = [html.index(f">{entry}</a>") for entry in entries]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("name", "empty"),
    [("reservations:my_queue_places", "Du står inte i någon kö."),
     ("reservations:my_bookings", "Du har inga bokningar.")],
)  # fmt: skip
def test_queue_places_and_bookings_say_when_there_are_none(client, anna, name, empty):
    client.force_login(anna)
    assert empty in client.get(reverse(name)).content.decode()

"""Staff accounts cannot use the citizen side: Mina sidor, e-service forms, queues and
bookings answer with a page that says so, and nothing is made in their name."""

import pytest
from django.urls import reverse

from sjalvservice.cases.models import Case

CITIZEN_PAGES = [
    ("cases:my_pages", []),
    ("cases:drafts", []),
    ("accounts:my_details", []),
    ("accounts:my_engagements", []),
    ("reservations:my_queue_places", []),
    ("reservations:my_bookings", []),
]


@pytest.mark.parametrize(("name", "args"), CITIZEN_PAGES)
def test_staff_get_a_page_saying_they_are_logged_in_as_staff(
    client, staff_login, julia, name, args
):
    staff_login(client, julia)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Du är inloggad som handläggare" in html
    assert reverse("backoffice:inbox") in html


def test_staff_cannot_start_an_e_service(client, staff_login, julia, suggestion):
    staff_login(client, julia)
    response = client.post(reverse("cases:start", args=[suggestion.slug]))
    assert response.status_code == 403
    assert not Case.objects.filter(owner=julia).exists()


def test_citizens_and_the_public_pages_are_untouched(client, anna, julia, staff_login):
    client.force_login(anna)
    assert client.get(reverse("cases:my_pages")).status_code == 200
    client.logout()
    staff_login(client, julia)
    assert client.get(reverse("eservices:catalogue")).status_code == 200
    assert client.get(reverse("backoffice:inbox")).status_code == 200

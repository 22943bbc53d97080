from django.contrib.sessions.models import Session
from django.urls import reverse


def test_logout_ends_the_server_session(client, anna):
    client.force_login(anna)
    assert Session.objects.count() == 1
    response = client.post(reverse("eid:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("eservices:home")
    assert Session.objects.count() == 0
    assert client.get(reverse("cases:my_pages")).status_code == 302


def test_logout_is_never_done_by_a_get(client, anna):
    client.force_login(anna)
    assert client.get(reverse("eid:logout")).status_code == 405
    assert client.get(reverse("cases:my_pages")).status_code == 200


def test_logout_needs_the_csrf_token(anna):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    assert client.post(reverse("eid:logout")).status_code == 403

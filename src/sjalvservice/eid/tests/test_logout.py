from django.contrib.sessions.models import Session
from django.urls import reverse


def test_logout_ends_the_server_session(client, anna):
    client.force_login(anna)
    assert Session.objects.count() == 1
    response = client.post(reverse("eid:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("eid:logged_out")
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


def test_logout_lands_on_a_page_that_says_so(client, anna):
    client.force_login(anna)
    response = client.post(reverse("eid:logout"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("eid:logged_out")
    assert '<h1 class="govuk-heading-xl">Du är utloggad</h1>' in html
    assert html.count("<h1") == 1
    assert f'href="{reverse("eid:login")}">Logga in igen</a>' in html
    assert f'href="{reverse("eservices:home")}">Till startsidan</a>' in html
    assert "Du loggades ut eftersom" not in html
    assert 'id="session-timeout"' not in html


def test_a_staff_member_logging_out_here_is_sent_to_the_back_office_login_afterwards(
    client, cecilia
):
    # The timeout dialog's "Logga ut" posts here on every page, the back office's too.
    client.force_login(cecilia)
    response = client.post(reverse("eid:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("eid:logged_out") + "?vem=personal"
    html = response.content.decode()
    assert f'href="{reverse("backoffice:login")}">Logga in igen</a>' in html
    assert f'href="{reverse("eid:login")}"' not in html

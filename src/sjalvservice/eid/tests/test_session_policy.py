import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from sjalvservice.eid.services import LAST_ACTIVITY, LOGIN_AT


@pytest.fixture
def logged_in(client, anna):
    client.force_login(anna)
    client.get(reverse("cases:my_pages"))  # the policy starts with the first request
    return client


def age_session(client, *, idle: float = 0, since_login: float = 0) -> None:
    session = client.session
    session[LAST_ACTIVITY] = time.time() - idle
    session[LOGIN_AT] = time.time() - since_login
    session.save()


def test_the_session_cookie_ends_with_the_browser(logged_in, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    response = logged_in.get(reverse("cases:my_pages"))
    assert response.status_code == 200
    assert logged_in.cookies["sessionid"]["expires"] == ""
    assert logged_in.cookies["sessionid"]["httponly"]
    assert logged_in.cookies["sessionid"]["samesite"] == "Lax"


def test_inactivity_logs_the_person_out_and_says_why(logged_in, settings):
    age_session(logged_in, idle=settings.SESSION_IDLE_TIMEOUT + 1)
    response = logged_in.get(reverse("cases:my_pages"))
    assert response.status_code == 302
    assert response["Location"] == reverse("eid:logged_out") + "?orsak=inaktivitet"
    assert logged_in.get(reverse("cases:my_pages")).status_code == 302
    page = logged_in.get(response["Location"]).content.decode()
    assert "Du loggades ut eftersom du inte har gjort något på 30 minuter." in page


def test_activity_just_inside_the_limit_keeps_the_person_logged_in(logged_in, settings):
    age_session(logged_in, idle=settings.SESSION_IDLE_TIMEOUT - 5)
    assert logged_in.get(reverse("cases:my_pages")).status_code == 200


def test_the_absolute_lifetime_ends_even_an_active_session(logged_in, settings):
    age_session(logged_in, idle=0, since_login=settings.SESSION_COOKIE_AGE + 1)
    response = logged_in.get(reverse("cases:my_pages"))
    assert response["Location"] == reverse("eid:logged_out") + "?orsak=tid"


def test_a_timed_out_session_is_gone_on_the_server(logged_in, settings):
    key = logged_in.session.session_key
    age_session(logged_in, idle=settings.SESSION_IDLE_TIMEOUT + 1)
    logged_in.get(reverse("cases:my_pages"))
    assert not Session.objects.filter(session_key=key).exists()


def test_background_requests_do_not_count_as_activity(logged_in, settings):
    age_session(logged_in, idle=60)
    before = logged_in.session[LAST_ACTIVITY]
    response = logged_in.get(reverse("eid:session_status"), HTTP_X_BACKGROUND="1")
    assert response.json()["authenticated"] is True
    assert response.json()["remaining"] >= settings.SESSION_IDLE_TIMEOUT - 61
    assert logged_in.session[LAST_ACTIVITY] == before


def test_continuing_resets_the_inactivity_clock(logged_in, settings):
    age_session(logged_in, idle=settings.SESSION_IDLE_TIMEOUT - 60)
    response = logged_in.post(reverse("eid:session_extend"))
    assert response.status_code == 200
    assert response.json()["remaining"] >= settings.SESSION_IDLE_TIMEOUT - 2


def test_continuing_needs_a_post_with_csrf_and_a_login(client, anna):
    from django.test import Client

    assert client.get(reverse("eid:session_extend")).status_code == 405
    assert client.post(reverse("eid:session_extend")).status_code == 302  # to login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(anna)
    assert strict.post(reverse("eid:session_extend")).status_code == 403


def test_an_htmx_request_after_timeout_is_sent_to_the_logged_out_page(logged_in, settings):
    age_session(logged_in, idle=settings.SESSION_IDLE_TIMEOUT + 1)
    response = logged_in.get(reverse("cases:my_pages"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("eid:logged_out"))


def test_the_status_of_an_anonymous_visitor_is_not_logged_in(client, db):
    assert client.get(reverse("eid:session_status")).json() == {
        "authenticated": False,
        "remaining": 0,
    }


def test_the_warning_dialog_is_on_every_page_for_logged_in_people_only(client, anna):
    assert 'id="session-timeout"' not in client.get("/").content.decode()
    client.force_login(anna)
    html = client.get("/").content.decode()
    assert 'id="session-timeout"' in html
    assert "Fortsätt vara inloggad" in html
    assert 'data-idle="1800"' in html


def test_the_logged_out_page_rejects_post(client, db):
    assert client.post(reverse("eid:logged_out")).status_code == 405


def test_staff_follow_the_same_policy_and_log_in_again_at_the_back_office(
    client, staff_login, julia, settings
):
    staff_login(client, julia)
    assert client.get(reverse("backoffice:inbox")).status_code == 200
    age_session(client, idle=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(reverse("backoffice:inbox"))
    assert response["Location"] == reverse("eid:logged_out") + "?orsak=inaktivitet&vem=personal"
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("backoffice:login")}"' in page
    assert f'href="{reverse("eid:login")}"' not in page


@pytest.mark.parametrize("name", ["eid:bankid_status", "eid:bankid_qr"])
def test_a_poll_with_a_replaced_session_leaves_the_new_cookie_alone(client, db, name):
    # The poll that completed the login replaced the session; a poll sent just before
    # still carries the old, now deleted, session's cookie.
    client.cookies["sessionid"] = "a" * 32
    response = client.get(reverse(name), headers={"X-Background": "1"})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_other_pages_still_drop_a_cookie_of_a_deleted_session(client, db):
    client.cookies["sessionid"] = "a" * 32
    response = client.get(reverse("eid:bankid"))
    assert response.cookies["sessionid"]["max-age"] == 0

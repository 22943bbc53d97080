"""The portal's own pages for 400, 403, the CSRF failure, 404 and 500 (DEBUG off)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import include, path, reverse
from django.utils import translation

from sjalvservice import urls as project_urls
from sjalvservice.core import errors


def broken(request):
    raise RuntimeError("a bug in a view")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


def failing_context_processor(request):
    raise RuntimeError("a context processor that needs what is broken")


# The project's URLs and handlers, plus views that fail in each way.
urlpatterns = [
    path("test/trasig/", broken),
    path("test/forbjuden/", forbidden),
    path("test/misstankt/", suspicious),
    path("", include(project_urls)),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

with_failing_views = pytest.mark.urls(__name__)


def assert_portal_layout(html):
    assert html.count("<h1") == 1
    assert f'class="govuk-generic-header__homepage-link">{settings.PORTAL_NAME}</a>' in html
    assert "Hoppa till huvudinnehållet" in html
    assert f'href="{reverse("core:accessibility")}">Tillgänglighetsredogörelse</a>' in html


@override_settings(DEBUG=False)
def test_a_missing_page_is_404_in_the_portals_layout_in_swedish(client, db):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert_portal_layout(html)
    assert "<title>Sidan finns inte – " in html
    assert '<h1 class="govuk-heading-xl">Sidan finns inte</h1>' in html
    assert f'href="{reverse("eservices:home")}">startsidan</a>' in html
    assert f'href="{reverse("cases:my_pages")}">Mina sidor</a>' in html
    # The whole layout, with the main menu and the login link.
    assert "govuk-service-navigation__link" in html
    assert "Logga in" in html


@override_settings(DEBUG=False)
def test_in_english_the_404_page_is_in_english(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert 'aria-current="true">English</span>' in html
    with translation.override("en"):
        heading = translation.gettext("Sidan finns inte")
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in html


@override_settings(DEBUG=False)
def test_a_logged_in_person_keeps_their_menu_on_the_404_page(client, anna):
    client.force_login(anna)
    html = client.get("/mina-sidor/finns-inte/").content.decode()
    assert "Anna Testersson</summary>" in html
    assert "Sidan finns inte" in html


@override_settings(DEBUG=False)
def test_in_the_back_office_the_404_page_leads_to_the_inbox(client, db):
    response = client.get("/handlaggare/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'href="{reverse("backoffice:inbox")}">inkorgen</a>' in html
    assert f'href="{reverse("cases:my_pages")}">Mina sidor</a>' not in html


@override_settings(DEBUG=False)
def test_a_post_to_a_missing_page_is_404_too(client, db):
    response = client.post("/finns-inte/", {"namn": "Anna"})
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_form_posted_without_its_csrf_token_gets_the_portals_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("backoffice:login"), {"username": "cecilia", "password": "a-long-test-password"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert_portal_layout(html)
    assert '<h1 class="govuk-heading-xl">Formuläret kunde inte skickas</h1>' in html
    assert "kakor (cookies) är avstängda" in html
    assert "ladda om den och försök igen" in html
    assert "Det du redan har sparat eller skickat in finns kvar" in html


@override_settings(DEBUG=False)
def test_the_same_form_with_its_token_is_not_refused(db):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("backoffice:login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("backoffice:login"),
        {"username": "cecilia", "password": "fel", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
    assert "Formuläret kunde inte skickas" not in response.content.decode()


@override_settings(DEBUG=False)
def test_the_csrf_page_links_back_to_the_page_the_form_was_on(db):
    client = Client(enforce_csrf_checks=True)
    form_page = "http://testserver" + reverse("backoffice:login")
    response = client.post(reverse("backoffice:login"), HTTP_REFERER=form_page)
    assert response.status_code == 403
    assert f'<a class="govuk-link" href="{form_page}">Tillbaka till sidan du var på</a>' in (
        response.content.decode()
    )


@override_settings(DEBUG=False)
def test_the_csrf_page_never_links_back_to_another_site(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("backoffice:login"), HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "evil.example" not in html
    assert "Tillbaka till sidan du var på" not in html


@with_failing_views
@override_settings(DEBUG=False)
def test_a_permission_denied_is_403_in_the_portals_layout(client, db):
    response = client.get("/test/forbjuden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert_portal_layout(html)
    assert '<h1 class="govuk-heading-xl">Du har inte tillgång till sidan</h1>' in html
    assert "kontakta din kommun" in html


@with_failing_views
@override_settings(DEBUG=False)
def test_a_suspicious_request_is_400_in_the_portals_layout(client):
    response = client.get("/test/misstankt/")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert_portal_layout(html)
    assert '<h1 class="govuk-heading-xl">Sidan kunde inte visas</h1>' in html
    assert "a tampered request" not in html


# No database fixture: the 500 page must not touch the database.
@with_failing_views
@override_settings(DEBUG=False)
def test_a_view_that_fails_gives_500_in_the_portals_layout_without_the_database():
    client = Client(raise_request_exception=False)
    response = client.get("/test/trasig/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="sv"' in html
    assert_portal_layout(html)
    assert "<title>Något gick fel hos oss – " in html
    assert '<h1 class="govuk-heading-xl">Något gick fel hos oss</h1>' in html
    assert "Försök igen om en stund" in html
    assert "kontakta din kommun" in html
    assert "a bug in a view" not in html


@with_failing_views
@override_settings(DEBUG=False)
def test_the_500_page_renders_when_the_context_processors_would_fail():
    engine = {**settings.TEMPLATES[0]}
    engine["OPTIONS"] = {
        **engine["OPTIONS"],
        "context_processors": [
            *engine["OPTIONS"]["context_processors"],
            f"{__name__}.failing_context_processor",
        ],
    }
    client = Client(raise_request_exception=False)
    with override_settings(TEMPLATES=[engine]):
        response = client.get("/test/trasig/")
    assert response.status_code == 500
    assert "Något gick fel hos oss" in response.content.decode()


@with_failing_views
@override_settings(DEBUG=False)
def test_the_500_page_is_in_the_persons_language():
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/test/trasig/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="en"' in html
    with translation.override("en"):
        heading = translation.gettext("Något gick fel hos oss")
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in html


@with_failing_views
@override_settings(DEBUG=False)
def test_if_the_500_page_itself_fails_a_plain_line_is_shown(monkeypatch):
    def unrenderable(*args, **kwargs):
        raise RuntimeError("the template cannot be rendered")

    monkeypatch.setattr(errors.loader, "render_to_string", unrenderable)
    client = Client(raise_request_exception=False)
    response = client.get("/test/trasig/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Något gick fel. Försök igen senare."

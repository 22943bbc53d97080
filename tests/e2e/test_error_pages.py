"""The error pages in a browser: the 404 page and the CSRF failure page, with axe-core."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 320]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_404_page_is_accessible_and_leads_to_the_start_page(
    page: Page, live_server, axe, width
):
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(live_server.url + "/finns-inte/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Sidan finns inte")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.locator("main").get_by_role("link", name="startsidan").click()
    page.wait_for_url(live_server.url + "/")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_form_sent_without_its_cookie_gets_the_csrf_page_and_works_after_going_back(
    page: Page, context, live_server, axe, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/handlaggare/logga-in/")
    # As when cookies are off, or the cookie was gone by the time the form was sent.
    context.clear_cookies(name="csrftoken")
    page.get_by_label("Användarnamn").fill("cecilia")
    page.get_by_label("Lösenord").fill("fel-losenord-123")
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name="Fortsätt").click()
    assert posted.value.status == 403
    expect(page.locator("h1")).to_have_text("Formuläret kunde inte skickas")
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Tillbaka till sidan du var på").click()
    page.wait_for_url(live_server.url + "/handlaggare/logga-in/")
    page.get_by_label("Användarnamn").fill("cecilia")
    page.get_by_label("Lösenord").fill("fel-losenord-123")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Fel användarnamn eller lösenord")

"""Mina köplatser and Mina bokningar in a browser, at phone and desktop width."""

import pytest
from playwright.sync_api import Page, expect

from sjalvservice.reservations import services
from sjalvservice.reservations.tests.fixtures import citizens, in_two_days_at
from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [320, 1280])
def test_places_and_bookings_and_their_confirmations_are_accessible(
    page: Page, live_server, log_in, axe, boat_places, lyckan, width
):
    first, jenny = citizens(2)
    services.join_queue(boat_places, first)
    services.join_queue(boat_places, jenny)
    services.book(lyckan, jenny, in_two_days_at(9))
    log_in(jenny)
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(live_server.url + "/mina-sidor/koplatser/")
    expect(page.locator("h1")).to_have_text("Mina köplatser")
    card = page.locator(".govuk-summary-card", has_text="Båtplatser i Lycksele")
    expect(card.locator("dd").nth(1)).to_have_text("2")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Bekräfta köplatsen Båtplatser i Lycksele").click()
    expect(page.get_by_text("är bekräftad till och med")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Lämna kön Båtplatser i Lycksele").click()
    expect(page.locator("h1")).to_have_text("Vill du lämna Båtplatser i Lycksele?")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Avbryt").click()

    page.goto(live_server.url + "/mina-sidor/bokningar/")
    expect(page.locator("h1")).to_have_text("Mina bokningar")
    expect(page.get_by_text("09:00–10:00")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Avboka").click()
    expect(page.locator("h1")).to_have_text("Vill du avboka Sammanträdesrum Lyckan?")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, avboka").click()
    expect(page.get_by_text("Din bokning av Sammanträdesrum Lyckan är avbokad.")).to_be_visible()
    expect(page.get_by_text("Du har inga bokningar.")).to_be_visible()
    assert_accessible(axe, page)

"""Mina köplatser and Mina bokningar in a browser, at phone and desktop width."""

import datetime

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


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def fill_contact(page: Page) -> None:
    page.get_by_label("Förnamn", exact=True).fill("Test")
    page.get_by_label("Efternamn", exact=True).fill("Testsson")
    page.get_by_label("Adress", exact=True).fill("Storgatan 1")
    page.get_by_label("Postnummer", exact=True).fill("921 31")
    page.get_by_label("Ort", exact=True).fill("Lycksele")
    page.get_by_label("E-postadress", exact=True).fill("test@example.se")
    page.get_by_role("button", name="Nästa").click()


@pytest.mark.parametrize("width", [320, 1280])
def test_a_resident_books_lyckan_through_boka_lokal_and_finds_it_in_mina_bokningar(
    page: Page, live_server, log_in, axe, demo, width
):
    (person,) = citizens(1)
    log_in(person)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/tjanster/boka-lokal/")
    page.get_by_role("link", name="Starta e-tjänsten").click()
    fill_contact(page)

    # The week's free times, by day; the next week is a link away, by keyboard too.
    expect(page.get_by_role("group", name="Välj en tid")).to_be_visible()
    week = page.locator(".sjs-booking__week")
    first_week = week.inner_text()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Nästa vecka").focus()
    page.keyboard.press("Enter")
    expect(week).not_to_have_text(first_week)
    expect(page.get_by_role("link", name="Föregående vecka")).to_be_visible()
    # Nästa without a time says so, linked to the times.
    page.get_by_role("button", name="Nästa").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Välj en ledig tid")
    assert_accessible(axe, page)
    page.locator(".govuk-error-summary a").click()
    chosen = page.locator(".sjs-booking__day .govuk-radios__input").first
    expect(chosen).to_be_focused()
    page.keyboard.press("Space")
    expect(chosen).to_be_checked()
    page.get_by_role("button", name="Nästa").click()

    page.get_by_label("Hur många personer kommer?").fill("8")
    page.get_by_label("Vad ska rummet användas till?").fill("Styrelsemöte i föreningen")
    page.get_by_label("Jag har läst villkoren").check()
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_text("Sammanträdesrum Lyckan").first).to_be_visible()
    expect(page.get_by_text(" kl. ").first).to_be_visible()
    page.get_by_role("button", name="Skicka in").click()
    expect(page.get_by_text("Tack för din bokning!")).to_be_visible()

    page.goto(live_server.url + "/mina-sidor/bokningar/")
    card = page.locator(".govuk-summary-card", has_text="Sammanträdesrum Lyckan")
    expect(card).to_contain_text("Bekräftad")
    assert_accessible(axe, page)


def test_a_resident_joins_the_boat_place_queue_and_sees_the_position(
    page: Page, live_server, log_in, axe, demo
):
    (person,) = citizens(1)
    log_in(person)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/tjanster/batplats/starta/")
    fill_contact(page)
    page.get_by_label("Motorbåt").check()
    page.get_by_label("Båtens längd, i meter").fill("5,5")
    page.get_by_label("Båtens bredd, i meter").fill("2")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Ansia småbåtshamn").check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Skicka in").click()
    expect(page.get_by_text("Du står nu i kö till en båtplats")).to_be_visible()

    page.goto(live_server.url + "/mina-sidor/koplatser/")
    card = page.locator(".govuk-summary-card", has_text="Båtplatser i Lycksele")
    # Bertil and Jenny of the demo are ahead.
    expect(card.locator("dd").nth(1)).to_have_text("3")
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [320, 1280])
def test_a_handler_offers_a_boat_place_and_cancels_a_booking(
    page: Page, live_server, axe, demo, width
):
    from sjalvservice.reservations.models import Resource
    from tests.e2e.test_backoffice_case import staff_logs_in

    (person,) = citizens(1)
    # The demo's Lyckan is open on weekdays: the first weekday from the day after tomorrow.
    starts = in_two_days_at(10)
    while starts.isoweekday() > 5:
        starts += datetime.timedelta(days=1)
    services.book(Resource.objects.get(slug="lyckan"), person, starts)
    page.set_viewport_size({"width": width, "height": 800})
    staff_logs_in(page, live_server, "david")

    page.goto(live_server.url + "/handlaggare/koer-och-bokningar/")
    expect(page.locator("h1")).to_have_text("Köer och bokningar")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Båtplatser i Lycksele").click()
    expect(page.locator("h1")).to_have_text("Båtplatser i Lycksele")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Erbjud plats till nästa i kön").click()
    expect(page.get_by_text("Platsen är erbjuden till Bertil Provsson")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Tackade ja (Bertil Provsson)").click()
    expect(page.get_by_text("Bertil Provsson tackade ja till platsen.")).to_be_visible()

    page.goto(live_server.url + "/handlaggare/koer-och-bokningar/")
    page.get_by_role("link", name="Sammanträdesrum Lyckan").click()
    expect(page.locator("h1")).to_have_text("Sammanträdesrum Lyckan")
    day = starts.date()
    monday = day - datetime.timedelta(days=day.weekday())
    page.goto(page.url + f"?vecka={monday.isoformat()}")
    expect(page.locator(".govuk-summary-list__value", has_text="Test 0")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Avboka 10:00 Test 0").click()
    expect(page.locator("h1")).to_have_text("Vill du avboka bokningen för Test 0?")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, avboka").click()
    expect(page.get_by_text("Bokningen är avbokad.")).to_be_visible()
    expect(page.get_by_text("Avbokad", exact=True)).to_be_visible()

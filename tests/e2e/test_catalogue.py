"""The catalogue in a browser: search from the start page, filter, open an e-service."""

import pytest
from playwright.sync_api import Page, expect

from sjalvservice.eservices.models import Category
from sjalvservice.eservices.tests.conftest import make_eservice
from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/tjanster/",
    "/tjanster/?q=bygglof",
    "/tjanster/?q=xyzzy",
    "/tjanster/?kommun=atlantis",
    "/tjanster/bygglov/",
    "/tjanster/felanmalan/",
]


@pytest.fixture
def catalogue(skelleftea, lycksele):
    building = Category.objects.create(name="Bygga och bo", slug="bygga-och-bo")
    streets = Category.objects.create(name="Gator, parker och trafik", slug="gator")
    make_eservice(
        skelleftea, building, slug="bygglov", title="Anmälan om bygglov",
        short_description="Sök bygglov för att bygga nytt, bygga till eller ändra användningen.",
        description="Du behöver bygglov för att bygga ett hus.\n\nBifoga skalenliga ritningar.",
        keywords="tillbyggnad, attefallshus",
    )  # fmt: skip
    make_eservice(
        lycksele, building, slug="bygglov-lycksele", title="Bygglov för fritidshus",
        short_description="Sök bygglov för ett fritidshus i Lycksele kommun.",
    )  # fmt: skip
    make_eservice(
        lycksele, streets, slug="felanmalan", title="Felanmälan gata och park",
        short_description="Anmäl fel på gator, cykelvägar, parker och gatubelysning.",
        keywords="gatlykta, potthål", requires_login=False,
    )  # fmt: skip


def test_a_resident_searches_filters_and_opens_an_e_service(page: Page, live_server, catalogue):
    page.goto(live_server.url + "/")
    page.get_by_label("Sök e-tjänst").fill("bygglof")
    page.get_by_role("button", name="Sök", exact=True).click()
    assert page.url == live_server.url + "/tjanster/?q=bygglof"
    expect(page.get_by_role("heading", name="2 e-tjänster")).to_be_visible()
    expect(page.get_by_label("Sök e-tjänst")).to_have_value("bygglof")

    page.get_by_label("Kommun").select_option(label="Lycksele kommun")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("heading", name="1 e-tjänst")).to_be_visible()
    expect(page.get_by_label("Kommun")).to_have_value("lycksele")

    page.get_by_role("link", name="Bygglov för fritidshus").click()
    expect(page.locator("h1")).to_have_text("Bygglov för fritidshus")
    expect(page.get_by_text("Du behöver logga in med e-legitimation")).to_be_visible()
    start = page.get_by_role("link", name="Starta e-tjänsten")
    expect(start).to_have_attribute("href", "/tjanster/bygglov-lycksele/starta/")


def test_a_most_used_card_leads_to_its_e_service(page: Page, live_server, catalogue):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Till tjänsten Felanmälan gata och park").click()
    expect(page.locator("h1")).to_have_text("Felanmälan gata och park")
    expect(page.get_by_text("Du behöver inte logga in")).to_be_visible()


def test_a_search_by_keyboard_alone(page: Page, live_server, catalogue):
    page.goto(live_server.url + "/")
    page.get_by_label("Sök e-tjänst").focus()
    page.keyboard.type("gatlykta")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="1 e-tjänst")).to_be_visible()
    expect(page.get_by_role("link", name="Felanmälan gata och park")).to_be_visible()


def test_an_unknown_filter_value_moves_focus_to_the_error_summary(
    page: Page, live_server, catalogue
):
    page.goto(live_server.url + "/tjanster/?kommun=atlantis")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Välj en kommun i listan.").click()
    expect(page.get_by_label("Kommun")).to_be_focused()


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", PAGES)
def test_the_catalogue_pages_are_accessible_at_desktop_and_phone_width(
    page: Page, live_server, catalogue, axe, path, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    assert_page_basics(page)
    assert_accessible(axe, page)

"""Mina sidor with more cases than it shows: "Visa alla", the list pages and "Nästa sida"
in a browser, at phone and desktop width."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def annas_cases(suggestion, anna):
    """Anna with 25 ongoing Medborgarförslag (more than a section shows) and a draft."""
    from sjalvservice.cases import services

    services.start_draft(suggestion, owner=anna)
    return [
        services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers={})
        for _ in range(25)
    ]


@pytest.mark.parametrize("width", [1280, 320])
def test_visa_alla_and_nasta_sida_walk_the_ongoing_cases(
    page: Page, live_server, anna, annas_cases, log_in, axe, width
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/mina-sidor/")
    expect(page.get_by_role("link", name="Till ärende")).to_have_count(10 + 20)
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Visa alla pågående ärenden").click()
    expect(page.locator("h1")).to_have_text("Pågående ärenden")
    expect(page).to_have_title("Pågående ärenden – Mina sidor – Självservice")
    expect(page.locator("tbody tr")).to_have_count(20)
    newest = annas_cases[-1].number
    expect(page.locator("tbody tr").first).to_contain_text(str(newest))
    expect(page.get_by_role("link", name="Till början")).to_have_count(0)
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Nästa sida").click()
    expect(page.locator("h1")).to_have_text("Pågående ärenden")
    expect(page.locator("tbody tr")).to_have_count(5)
    expect(page.locator("tbody tr").last).to_contain_text(str(annas_cases[0].number))
    expect(page.get_by_role("link", name="Nästa sida")).to_have_count(0)
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Till början").click()
    expect(page.locator("tbody tr")).to_have_count(20)
    expect(page.locator("tbody tr").first).to_contain_text(str(newest))


@pytest.mark.parametrize("width", [1280, 320])
def test_visa_alla_meddelanden_opens_every_case_with_its_latest_events(
    page: Page, live_server, anna, annas_cases, log_in, axe, width
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/mina-sidor/")
    page.get_by_role("link", name="Visa alla meddelanden").click()
    expect(page.locator("h1")).to_have_text("Mina meddelanden")
    expect(page.get_by_role("table", name="Mina meddelanden")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(20)
    assert_page_basics(page)
    assert_accessible(axe, page)

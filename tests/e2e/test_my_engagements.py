"""Mina engagemang in a browser: the handbook's 3.2 with Bolagsverket, phone width, English."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_handbooks_3_2_adds_an_organisation_from_bolagsverket(
    page: Page, live_server, anna, log_in, axe, bolagsverket
):
    log_in(anna)
    page.goto(live_server.url + "/")
    # "Klicka på ditt namn i menyraden, ett antal alternativ fälls ut."
    page.locator("summary", has_text="Anna Testersson").click()
    # "Välj 'Mina engagemang'."
    page.get_by_role("link", name="Mina engagemang").click()
    expect(page.locator("h1")).to_have_text("Mina engagemang")
    assert_accessible(axe, page)
    # "Välj 'Lägg till organisation' och fyll i de uppgifter som efterfrågas."
    page.get_by_role("link", name="Lägg till organisation").click()
    page.get_by_label("Organisationsnummer").fill("559300-4285")
    page.get_by_role("button", name="Hämta från Bolagsverket").click()
    expect(page.get_by_label("Namn", exact=True)).to_have_value("Testbolaget i Lycksele AB")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_label("Kontaktperson").fill("Anna Testersson")
    page.get_by_role("button", name="Lägg till organisation").click()
    expect(
        page.get_by_text("Testbolaget i Lycksele AB är sparad under Mina engagemang.")
    ).to_be_visible()
    expect(page.get_by_text("559300-4285")).to_be_visible()
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pages_are_accessible(page: Page, live_server, anna, log_in, axe, width, language):
    from sjalvservice.accounts.services import save_organisation

    save_organisation(anna, "8024775317", {"name": "Lycksele Båtklubb", "city": "Lycksele"})
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    if language == "en":
        page.goto(live_server.url + "/sprak/en/?next=/mina-sidor/engagemang/")
    page.goto(live_server.url + "/mina-sidor/engagemang/")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.locator(".govuk-summary-card__actions a").first.click()
    page.locator("#id_name").fill("")
    page.locator("#id_name").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.goto(live_server.url + "/mina-sidor/engagemang/")
    page.locator(".govuk-summary-card__actions a").nth(1).click()
    assert_page_basics(page)
    assert_accessible(axe, page)

"""Mina uppgifter in a browser: the handbook's 3.1, its errors, both languages, phone width."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_handbooks_3_1_changes_the_details_from_the_name_menu(
    page: Page, live_server, anna, log_in, axe
):
    from sjalvservice.accounts.models import Profile

    log_in(anna)
    page.goto(live_server.url + "/")
    # "Klicka på ditt namn i menyraden, ett antal alternativ faller ut."
    page.locator("summary", has_text="Anna Testersson").click()
    # "Välj 'Mina uppgifter'."
    page.get_by_role("link", name="Mina uppgifter").first.click()
    expect(page.locator("h1")).to_have_text("Mina uppgifter")
    # "Gör de ändringar du vill göra och klicka 'Spara ändringar'."
    page.get_by_label("Telefonnummer").fill("0910-73 50 00")
    page.get_by_label("Mobiltelefon").fill("070-123 45 67")
    page.get_by_label("Jag vill bli notifierad via SMS").check()
    page.get_by_role("button", name="Spara ändringar").click()
    expect(page.get_by_text("Dina ändringar är sparade.")).to_be_visible()
    profile = Profile.objects.get(user=anna)
    assert (profile.phone, profile.mobile, profile.notify_sms) == ("0910735000", "0701234567", True)
    assert_page_basics(page)
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_page_and_its_errors_are_accessible(
    page: Page, live_server, anna, log_in, axe, width, language
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    if language == "en":
        page.goto(live_server.url + "/sprak/en/?next=/mina-sidor/uppgifter/")
    page.goto(live_server.url + "/mina-sidor/uppgifter/")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.locator("#id_notify_sms").check()
    page.locator("#id_postal_code").fill("12")
    page.locator("#id_postal_code").press("Enter")  # submits the form by keyboard
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    summary_link = page.locator(".govuk-error-summary a").first
    summary_link.press("Enter")
    expect(page.locator("#id_postal_code")).to_be_focused()
    assert_page_basics(page)
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_mina_personuppgifter_is_accessible(
    page: Page, live_server, anna, log_in, axe, width, language
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    if language == "en":
        page.goto(live_server.url + "/sprak/en/?next=/mina-sidor/uppgifter/")
    page.goto(live_server.url + "/mina-sidor/uppgifter/")
    page.locator("a[href='/mina-sidor/personuppgifter/']").click()
    expect(page.locator("h1")).to_have_count(1)
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.locator("form[action='/mina-sidor/personuppgifter/pdf/'] button").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)

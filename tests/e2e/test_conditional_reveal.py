"""A follow-up question revealed in place (GOV.UK conditional reveal) in Felanmälan gata och park:
"Vill du få återkoppling?" Ja reveals "E-postadress" right under it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def to_the_contact_step(page: Page, base_url: str) -> None:
    page.goto(base_url + "/tjanster/felanmalan-gata-och-park/starta/")
    page.get_by_label("Gatubelysning").check()
    page.get_by_label("Var finns felet?").fill("Storgatan 12")
    page.get_by_label("Beskriv felet").fill("Lampan lyser inte.")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", name="Bild", exact=True)).to_be_visible()
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", name="Kontakt", exact=True)).to_be_visible()


def test_choosing_ja_reveals_the_email_question_in_place(page: Page, live_server, demo, axe):
    to_the_contact_step(page, live_server.url)
    yes = page.get_by_role("radio", name="Ja")
    no = page.get_by_role("radio", name="Nej")
    email = page.get_by_label("E-postadress", exact=True)
    expect(email).to_be_hidden()
    expect(yes).to_have_attribute("aria-controls", "conditional-id_aterkoppling_0")
    assert_page_basics(page)
    assert_accessible(axe, page)

    # By click: shown at once, with no trip to the server.
    yes.click()
    expect(email).to_be_visible()
    assert_accessible(axe, page)
    email.fill("anna@example.se")
    no.click()
    expect(email).to_be_hidden()

    # By keyboard: the arrow keys move the choice back to Ja; what was typed is still there.
    no.focus()
    page.keyboard.press("ArrowLeft")
    expect(yes).to_be_checked()
    expect(email).to_be_visible()
    expect(email).to_have_value("anna@example.se")
    page.keyboard.press("Tab")
    expect(email).to_be_focused()

    page.set_viewport_size({"width": 320, "height": 700})
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_the_revealed_question_is_validated_only_when_its_choice_is_made(
    page: Page, live_server, demo, axe
):
    to_the_contact_step(page, live_server.url)
    page.get_by_role("radio", name="Ja").click()
    page.get_by_role("button", name="Nästa").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Skriv din e-postadress, till exempel namn@exempel.se")
    email = page.get_by_label("E-postadress", exact=True)
    expect(email).to_be_visible()  # under Ja, with its error
    expect(page.get_by_role("radio", name="Ja")).to_be_checked()
    assert_page_basics(page)
    assert_accessible(axe, page)
    summary.get_by_role("link").first.click()
    expect(email).to_be_focused()

    # Typed, then hidden again: not validated, not kept as an answer.
    email.fill("inte-en-adress")
    page.get_by_role("radio", name="Nej").click()
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", name="Förhandsgranska")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("inte-en-adress")
    assert_accessible(axe, page)


def test_without_javascript_the_question_is_shown_and_checked_as_posted(
    browser: Browser, live_server, demo, axe
):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    try:
        to_the_contact_step(page, live_server.url)
        email = page.get_by_label("E-postadress", exact=True)
        expect(email).to_be_visible()  # GOV.UK's default without its script
        email.fill("inte-en-adress")
        page.get_by_role("radio", name="Nej").check()
        page.get_by_role("button", name="Nästa").click()
        expect(page.get_by_role("heading", name="Förhandsgranska")).to_be_visible()
        page.go_back()
        page.goto(page.url)
        page.get_by_role("radio", name="Ja").check()
        page.get_by_label("E-postadress", exact=True).fill("")
        page.get_by_role("button", name="Nästa").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Skriv din e-postadress")
        assert_page_basics(page)
    finally:
        context.close()

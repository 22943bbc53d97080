"""A case from both sides in Chromium: Jenny submits, Julia asks for a supplement,
Jenny supplements, Julia sees the change and closes the case."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def current_code() -> str:
    from base64 import b32decode

    from django_otp.oath import totp

    return f"{totp(b32decode(DEMO_SECRET)):06d}"


def jenny_submits(page: Page, live_server) -> str:
    page.goto(live_server.url + "/tjanster/medborgarforslag/starta/")
    page.get_by_label("Förnamn", exact=True).fill("Jenny")
    page.get_by_label("Efternamn", exact=True).fill("Testersson")
    page.get_by_label("Adress", exact=True).fill("Storgatan 1")
    page.get_by_label("Postnummer", exact=True).fill("931 30")
    page.get_by_label("Ort", exact=True).fill("Skellefteå")
    page.get_by_label("E-postadress", exact=True).fill("jenny@example.se")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Rubrik", exact=True).fill("Fler parkbänkar")
    page.get_by_label("Beskriv ditt förslag").fill("Vid älven.")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("h1")).to_have_text("Ditt ärende är inskickat")
    return page.locator(".govuk-panel__body strong").inner_text()


def staff_logs_in(page: Page, live_server, username: str = "julia") -> None:
    """A demo handler logs in with password and one-time code and lands in the inbox."""
    page.goto(live_server.url + "/handlaggare/")
    expect(page).to_have_url(live_server.url + "/handlaggare/logga-in/?next=/handlaggare/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("sjalvservice-demo")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Engångskod").fill(current_code())
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("h1")).to_have_text("Inkorg")


def test_julia_asks_for_a_supplement_jenny_supplements_julia_closes(
    browser: Browser, page: Page, live_server, demo, log_in, axe
):
    from sjalvservice.accounts.models import User

    jenny = User.objects.get(personal_identity_number="198101059825")
    log_in(jenny)
    number = jenny_submits(page, live_server)

    staff = browser.new_context(locale="sv-SE")
    julia = staff.new_page()
    try:
        staff_logs_in(julia, live_server)
        assert_page_basics(julia)
        assert_accessible(axe, julia)
        julia.get_by_role("link", name=number, exact=True).click()
        expect(julia.locator("h1")).to_have_text("Medborgarförslag (Inskickat)")
        assert_page_basics(julia)
        assert_accessible(axe, julia)
        julia.get_by_role("button", name="Tilldela mig").click()
        expect(julia.get_by_text("Handläggaren är ändrad.")).to_be_visible()

        # Asking without saying what to supplement is refused, with the error linked.
        julia.get_by_label("Ny status").select_option(label="Väntar på komplettering")
        julia.get_by_role("button", name="Ändra status").click()
        summary = julia.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        assert_accessible(axe, julia)
        summary.get_by_role("link").first.click()
        expect(julia.get_by_label("Meddelande som skickas med statusändringen")).to_be_focused()
        julia.get_by_label("Meddelande som skickas med statusändringen").fill(
            "Skriv var längs älven bänkarna ska stå."
        )
        julia.get_by_role("button", name="Ändra status").click()
        expect(julia.get_by_text("Status ändrad till Väntar på komplettering.")).to_be_visible()

        # Jenny reads the message and supplements.
        page.goto(live_server.url + f"/mina-sidor/arenden/{number}/")
        expect(page.locator("h1")).to_have_text("Medborgarförslag (Väntar på komplettering)")
        expect(page.get_by_role("cell", name="Julia Landsell").first).to_be_visible()
        page.get_by_role("link", name="Ändra ärende").last.click()
        page.get_by_role("button", name="Nästa").click()
        page.get_by_label("Beskriv ditt förslag").fill("Vid älven, nedanför bron.")
        page.get_by_role("button", name="Nästa").click()
        page.get_by_role("button", name="Skicka in").click()
        page.goto(live_server.url + f"/mina-sidor/arenden/{number}/")
        expect(page.locator("h1")).to_have_text("Medborgarförslag (Kompletterat)")

        # Julia finds it back under Att hantera, sees the change and closes the case.
        julia.goto(live_server.url + "/handlaggare/")
        julia.get_by_role("link", name=number, exact=True).click()
        expect(julia.locator("h1")).to_have_text("Medborgarförslag (Kompletterat)")
        expect(julia.get_by_text("Vid älven, nedanför bron.")).to_be_visible()
        expect(julia.get_by_text("Tidigare: Vid älven.")).to_be_visible()
        assert_accessible(axe, julia)
        julia.get_by_label("Ny status").select_option(label="Avslutat")
        julia.get_by_role("button", name="Ändra status").click()
        expect(julia.locator("h1")).to_have_text("Medborgarförslag (Avslutat)")

        page.goto(live_server.url + "/mina-sidor/")
        expect(page.get_by_role("cell", name="Avslutat").first).to_be_visible()

        # The back office reflows at 320 px.
        julia.set_viewport_size({"width": 320, "height": 800})
        for path in ("/handlaggare/", f"/handlaggare/arenden/{number}/"):
            julia.goto(live_server.url + path)
            assert_page_basics(julia)
            assert_accessible(axe, julia)
    finally:
        staff.close()

"""Chapter 1 of the handbook in a browser: log in with BankID both ways, log out."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def go_to_the_e_id_choice(page: Page, live_server, axe) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Logga in").click()
    expect(page.locator("h1")).to_have_text("Logga in")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    expect(page.locator("h1")).to_have_text("Logga in med e-legitimation")
    assert_page_basics(page)
    assert_accessible(axe, page)


def approve_in_the_test_app(app: Page, axe) -> None:
    expect(app.locator("h1")).to_be_visible()
    assert_accessible(axe, app)
    app.get_by_label("Jenny Testersson").check()
    app.get_by_role("button", name="Legitimera").click()


def test_mobilt_bankid_with_the_animated_qr_code(page: Page, live_server, bankid, axe, context):
    go_to_the_e_id_choice(page, live_server, axe)
    page.get_by_role("button", name="Mobilt BankID").click()
    expect(page.locator("h1")).to_have_text("Mobilt BankID")
    qr = page.get_by_role("img", name="QR-kod för Mobilt BankID")
    expect(qr).to_be_visible()
    first = qr.get_attribute("src")
    expect(page.get_by_role("status")).to_contain_text("Starta BankID-appen.")
    assert_page_basics(page)
    assert_accessible(axe, page)
    # The code changes every second, computed on the server.
    expect(page.get_by_role("img", name="QR-kod för Mobilt BankID")).not_to_have_attribute(
        "src", first, timeout=5000
    )

    with context.expect_page() as opened:
        page.get_by_role("link", name="Öppna test-BankID-appen").click()
    app = opened.value
    approve_in_the_test_app(app, axe)
    expect(app.locator("body")).to_contain_text("Klart")

    page.wait_for_url(live_server.url + "/mina-sidor/", timeout=10000)
    expect(page.locator("summary.sjs-user-menu__summary")).to_contain_text("Jenny Testersson")
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_bankid_on_this_device_through_the_autostart_link(page: Page, live_server, bankid, axe):
    go_to_the_e_id_choice(page, live_server, axe)
    page.get_by_role("button", name="BankID på den här enheten").click()
    expect(page.locator("h1")).to_have_text("BankID på den här enheten")
    expect(page.get_by_role("status")).to_contain_text("Försöker starta BankID-appen.")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Starta BankID-appen").click()
    approve_in_the_test_app(page, axe)
    # The app returns to the portal's returnUrl, which completes the login.
    page.wait_for_url(live_server.url + "/mina-sidor/", timeout=10000)
    expect(page.locator("summary.sjs-user-menu__summary")).to_contain_text("Jenny Testersson")


def test_a_login_started_from_a_page_that_needs_it_returns_there(page: Page, live_server, bankid):
    page.goto(live_server.url + "/mina-sidor/uppgifter/")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.get_by_role("button", name="BankID på den här enheten").click()
    page.get_by_role("link", name="Starta BankID-appen").click()
    page.get_by_label("Jenny Testersson").check()
    page.get_by_role("button", name="Legitimera").click()
    page.wait_for_url(live_server.url + "/mina-sidor/uppgifter/", timeout=10000)
    expect(page.locator("h1")).to_have_text("Mina uppgifter")


def test_cancelling_in_the_app_shows_bankids_message(page: Page, live_server, bankid, axe):
    page.goto(live_server.url + "/logga-in/e-legitimation/")
    page.get_by_role("button", name="BankID på den här enheten").click()
    page.get_by_role("link", name="Starta BankID-appen").click()
    page.get_by_role("button", name="Avbryt").click()
    page.goto(live_server.url + "/logga-in/e-legitimation/vantar/")
    # The order is gone from the session once failed, so the page shows the choice again
    # or the failure; either way nobody is logged in.
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()
    assert_accessible(axe, page)


def test_avbryt_on_the_waiting_page_cancels(page: Page, live_server, bankid, axe):
    page.goto(live_server.url + "/logga-in/e-legitimation/")
    page.get_by_role("button", name="Mobilt BankID").click()
    page.get_by_role("button", name="Avbryt").click()
    expect(page.locator("h1")).to_have_text("Logga in med e-legitimation")
    expect(page.get_by_text("Åtgärden avbruten.")).to_be_visible()
    assert_accessible(axe, page)


def test_the_timeout_warning_offers_to_stay_logged_in(
    page: Page, live_server, anna, log_in, axe, settings, client
):
    from sjalvservice.eid.services import LAST_ACTIVITY

    # With an idle limit of three minutes the page asks the server after one minute.
    settings.SESSION_IDLE_TIMEOUT = 180
    log_in(anna)
    page.clock.install()
    page.goto(live_server.url + "/mina-sidor/")
    dialog = page.get_by_role("dialog", name="Du loggas snart ut")
    expect(dialog).to_be_hidden()
    # Meanwhile 100 seconds pass on the server without activity.
    session = client.session
    session[LAST_ACTIVITY] -= 100
    session.save()
    page.clock.run_for(61_000)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Fortsätt vara inloggad")).to_be_focused()
    assert_accessible(axe, page)
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()

"""Chapter 1 of the handbook in a browser: log in with BankID both ways, log out."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

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


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def watch_csp(page: Page) -> list[str]:
    """What the browser refused under the Content-Security-Policy, as the page fixture does."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """An iPhone's browser: its User-Agent, a 375 x 667 screen and touch."""
    context = browser.new_context(
        user_agent=IPHONE,
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
    )
    page = context.new_page()
    refused = watch_csp(page)
    yield page
    context.close()
    assert refused == [], "\n".join(refused)


@pytest.fixture
def no_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}, locale="sv-SE"
    )
    yield context
    context.close()


def assert_accessible_without_javascript(axe, page: Page, checker: Page) -> None:
    """axe-core needs JavaScript (its timers never fire in a page without), so the page as
    a browser without JavaScript shows it, ``<noscript>`` content in place and no scripts,
    is checked in ``checker``, a page of a context with JavaScript, at the same address."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    html = html.replace("<noscript>", "<div>").replace("</noscript>", "</div>")
    checker.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
    checker.goto(page.url)
    checker.unroute(page.url)
    assert_page_basics(checker)
    assert_accessible(axe, checker)


def test_on_a_phone_bankid_on_this_device_is_the_first_choice(
    phone: Page, live_server, bankid, axe
):
    phone.goto(live_server.url + "/logga-in/e-legitimation/")
    buttons = phone.locator("main").get_by_role("button")
    expect(buttons).to_have_text(["BankID på den här enheten", "Mobilt BankID"])
    expect(buttons.first).not_to_have_class("govuk-button--secondary")
    expect(buttons.nth(1)).to_have_class("govuk-button govuk-button--secondary")
    assert_page_basics(phone)
    assert_accessible(axe, phone)


def test_on_a_computer_mobilt_bankid_is_the_first_choice(page: Page, live_server, bankid):
    page.goto(live_server.url + "/logga-in/e-legitimation/")
    buttons = page.locator("main").get_by_role("button")
    expect(buttons).to_have_text(["Mobilt BankID", "BankID på den här enheten"])
    expect(buttons.nth(1)).to_have_class("govuk-button govuk-button--secondary")


def test_on_a_phone_the_qr_page_leads_over_to_bankid_on_this_device(
    phone: Page, live_server, bankid, axe
):
    phone.goto(live_server.url + "/mina-sidor/uppgifter/")
    phone.get_by_role("link", name="Logga in med e-legitimation").click()
    phone.get_by_role("button", name="Mobilt BankID").click()
    expect(phone.locator("h1")).to_have_text("Mobilt BankID")
    qr = phone.get_by_role("img", name="QR-kod för Mobilt BankID")
    first = qr.get_attribute("src")
    # htmx, loaded on this page alone, still redraws the code every second.
    expect(qr).not_to_have_attribute("src", first or "", timeout=5000)
    assert_page_basics(phone)
    assert_accessible(axe, phone)

    phone.get_by_role("button", name="BankID på den här enheten").click()
    expect(phone.locator("h1")).to_have_text("BankID på den här enheten")
    expect(phone.get_by_role("status")).to_contain_text("Försöker starta BankID-appen.")
    expect(phone.get_by_role("button", name="Mobilt BankID")).to_be_visible()
    assert_page_basics(phone)
    assert_accessible(axe, phone)
    phone.get_by_role("link", name="Starta BankID-appen").click()
    phone.get_by_label("Jenny Testersson").check()
    phone.get_by_role("button", name="Legitimera").click()
    phone.wait_for_url(live_server.url + "/mina-sidor/uppgifter/", timeout=10000)
    expect(phone.locator("h1")).to_have_text("Mina uppgifter")


def test_without_javascript_the_waiting_page_waits_for_fortsatt(
    no_js: BrowserContext, live_server, bankid, axe, context: BrowserContext
):
    page = no_js.new_page()
    page.goto(live_server.url + "/logga-in/e-legitimation/?next=/mina-sidor/")
    page.get_by_role("button", name="Mobilt BankID").click()
    expect(page.locator("h1")).to_have_text("Mobilt BankID")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert page.locator("script[src*=htmx]").count() == 1
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.wait_for_timeout(2500)
    assert loads == [], "the page reloaded itself"
    expect(page.get_by_role("status")).to_contain_text("Starta BankID-appen.")
    expect(page.get_by_role("button", name="Fortsätt")).to_be_visible()
    expect(page.get_by_role("button", name="Avbryt")).to_be_visible()
    assert_page_basics(page)
    assert_accessible_without_javascript(axe, page, context.new_page())

    # The code cannot animate without JavaScript; a new one comes on request.
    qr = page.get_by_role("img", name="QR-kod för Mobilt BankID")
    first = qr.get_attribute("src")
    page.get_by_role("button", name="Visa ny QR-kod").click()
    expect(qr).not_to_have_attribute("src", first or "")
    app = no_js.new_page()
    app.goto(page.get_by_role("link", name="Öppna test-BankID-appen").get_attribute("href") or "")
    app.get_by_label("Jenny Testersson").check()
    app.get_by_role("button", name="Legitimera").click()
    expect(app.locator("body")).to_contain_text("Klart")

    # BankID is asked at most once a second; the new QR code's page just asked.
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(live_server.url + "/mina-sidor/")
    expect(page.locator("summary.sjs-user-menu__summary")).to_contain_text("Jenny Testersson")


def test_logging_out_lands_on_the_logged_out_page(page: Page, live_server, anna, log_in, axe):
    log_in(anna)
    page.goto(live_server.url + "/mina-sidor/")
    page.locator("summary.sjs-user-menu__summary").click()
    page.get_by_role("button", name="Logga ut").click()
    expect(page.locator("h1")).to_have_text("Du är utloggad")
    expect(page.get_by_role("link", name="Logga in igen")).to_be_visible()
    expect(page.get_by_role("link", name="Till startsidan")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Till startsidan").click()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()

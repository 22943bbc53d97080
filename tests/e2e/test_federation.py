"""Handbook 1.1 through the region: the portal -> Region Västerbotten's IdP -> BankID chain."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def through_region(region, live_server, settings):
    """The region as the installation's only login method, with the portal on live_server."""
    settings.LOGIN_METHODS = ["federation"]
    region.serve_portal_at(live_server.url)
    return region


def log_in_at_the_region(page: Page, axe, *, width_checks: bool = False) -> None:
    """From the region's login page: BankID on this device, Jenny in the test app."""
    expect(page.locator("h1")).to_contain_text("Region Västerbotten")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="BankID", exact=True).click()
    page.get_by_role("link", name="Öppna BankID").click()
    page.get_by_label("Jenny Testersson").check()
    page.get_by_role("button", name="Legitimera").click()


def test_logging_in_through_the_region_lands_on_mina_sidor_as_jenny(
    page: Page, live_server, through_region, axe
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Logga in").click()
    # The only method: straight to the region, which says who the person logs in with.
    expect(page.locator("h1")).to_contain_text("Region Västerbotten")
    log_in_at_the_region(page, axe)
    page.wait_for_url(live_server.url + "/mina-sidor/", timeout=15000)
    expect(page.locator("summary.sjs-user-menu__summary")).to_contain_text("Jenny Testersson")
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_mobilt_bankid_at_the_region_by_its_qr_code(
    page: Page, live_server, through_region, bankid, axe
):
    page.goto(live_server.url + "/logga-in/")
    page.get_by_role("button", name="Mobilt BankID").click()
    expect(page.get_by_role("img", name="QR-kod att läsa av med BankID-appen")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    # Jenny scans the code with the app on her phone (the BankID simulator's control API).
    (login,) = through_region.post_get("logins")["logins"]
    bankid.complete(login["orderRef"], "198101059825", "Jenny", "Testersson")
    page.wait_for_url(live_server.url + "/mina-sidor/", timeout=15000)
    expect(page.locator("summary.sjs-user-menu__summary")).to_contain_text("Jenny Testersson")


def test_an_e_service_that_needs_login_asks_nothing_more_after_the_region(
    page: Page, live_server, through_region, axe, suggestion
):
    page.goto(live_server.url + suggestion.get_absolute_url())
    page.get_by_role("link", name="Starta e-tjänsten").click()
    # The e-service needs e-legitimation: the region asks once ...
    log_in_at_the_region(page, axe)
    # ... and the login brings the person back into the e-service's form.
    page.wait_for_url(f"{live_server.url}{suggestion.get_absolute_url()}**", timeout=15000)
    expect(page.locator("summary.sjs-user-menu__summary")).to_contain_text("Jenny Testersson")
    form_page = page.url
    assert "/logga-in/" not in form_page
    # Starting it again (or another that needs login) asks for nothing more.
    page.goto(live_server.url + suggestion.get_absolute_url())
    page.get_by_role("link", name="Starta e-tjänsten").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}{suggestion.get_absolute_url()}")
    assert "Region Västerbotten" not in page.content()


def test_avbryt_at_the_region_leaves_nobody_logged_in_and_says_so(
    page: Page, live_server, through_region, axe
):
    page.goto(live_server.url + "/logga-in/")
    page.get_by_role("button", name="Avbryt").click()
    expect(page.locator("h1")).to_have_text("Inloggningen gick inte igenom")
    expect(page.get_by_text("Du avbröt inloggningen. Du är inte inloggad.")).to_be_visible()
    expect(page.get_by_role("link", name="Logga in")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [320, 1280])
def test_the_regions_pages_and_the_failure_page_at_phone_and_desktop_width(
    page: Page, live_server, through_region, axe, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/logga-in/")
    expect(page.locator("h1")).to_contain_text("Region Västerbotten")
    assert_page_basics(page)
    assert_accessible(axe, page)
    # By keyboard alone: Tab to "Mobilt BankID" and press Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Mobilt BankID":
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("img", name="QR-kod att läsa av med BankID-appen")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Avbryt").click()
    expect(page.locator("h1")).to_have_text("Inloggningen gick inte igenom")
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_without_javascript_every_step_has_a_button_to_go_on(
    browser, live_server, through_region, axe
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 800}, locale="sv-SE"
    )
    page = context.new_page()
    page.goto(live_server.url + "/logga-in/")
    page.get_by_role("button", name="BankID", exact=True).click()
    page.get_by_role("link", name="Öppna BankID").click()
    page.get_by_label("Jenny Testersson").check()
    page.get_by_role("button", name="Legitimera").click()
    # Back at the region, whose page would post the answer by itself; here by its button.
    page.get_by_role("button", name="Fortsätt").click()
    # The portal's own page carries the answer on with the login's cookie (see views.acs).
    expect(page.locator("h1")).to_have_text("Du loggas in")
    assert_page_basics(page)
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(live_server.url + "/mina-sidor/", timeout=15000)
    expect(page.locator("h1")).to_have_text("Mina sidor")
    context.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_the_page_that_carries_the_answer_on_is_accessible(
    page: Page, live_server, through_region, axe, width
):
    # Held on the page: its script, which would send the form on at once, does not load.
    page.route("**/continue-login.js", lambda route: route.abort())
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/logga-in/")
    page.get_by_role("button", name="BankID", exact=True).click()
    page.get_by_role("link", name="Öppna BankID").click()
    page.get_by_label("Jenny Testersson").check()
    page.get_by_role("button", name="Legitimera").click()
    expect(page.locator("h1")).to_have_text("Du loggas in")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Fortsätt").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/mina-sidor/", timeout=15000)

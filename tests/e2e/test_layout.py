"""The layout every page shares: header, menu, footer, language switch, keyboard use."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

PUBLIC_PAGES = ["/", "/tillganglighet/", "/personuppgifter/", "/kakor/", "/logga-in/"]
MY_PAGES = [
    "/mina-sidor/",
    "/mina-sidor/uppgifter/",
    "/mina-sidor/engagemang/",
    "/mina-sidor/koplatser/",
    "/mina-sidor/bokningar/",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible_at_desktop_and_phone_width(
    page: Page, live_server, skelleftea, axe, path, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    assert_page_basics(page)
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", MY_PAGES)
def test_my_pages_are_accessible_with_the_name_menu_open(
    page: Page, live_server, anna, log_in, axe, path, width
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    page.locator("summary", has_text="Anna Testersson").click()
    expect(page.get_by_role("link", name="Mina engagemang").first).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    page: Page, live_server, db
):
    page.goto(live_server.url + "/kakor/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    # GOV.UK's skip link module focuses <main>, so the next Tab starts inside the content.
    expect(page.locator("main")).to_be_focused()


def test_a_person_can_open_the_name_menu_and_log_out_by_keyboard_alone(
    page: Page, live_server, anna, log_in
):
    log_in(anna)
    page.goto(live_server.url + "/mina-sidor/")
    summary = page.locator("summary", has_text="Anna Testersson")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Mina uppgifter").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("details.sjs-user-menu")).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # Mina uppgifter
    page.keyboard.press("Tab")  # Mina engagemang
    page.keyboard.press("Tab")  # Logga ut
    expect(page.get_by_role("button", name="Logga ut")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/utloggad/")
    expect(page.locator("h1")).to_have_text("Du är utloggad")
    page.goto(live_server.url + "/mina-sidor/")
    assert "/logga-in/" in page.url


def test_the_language_switch_translates_the_page_and_keeps_the_place(
    page: Page, live_server, db, axe
):
    page.goto(live_server.url + "/kakor/")
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Cookies")
    assert page.url == live_server.url + "/kakor/"
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("link", name="Accessibility statement")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Svenska").click()
    expect(page.locator("h1")).to_have_text("Kakor")


def test_the_current_menu_entry_is_marked_for_assistive_technology(
    page: Page, live_server, anna, log_in
):
    log_in(anna)
    page.goto(live_server.url + "/mina-sidor/uppgifter/")
    main_menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(main_menu.get_by_role("link", name="Mina sidor")).to_have_attribute(
        "aria-current", "true"
    )
    sub_menu = page.get_by_role("navigation", name="Mina sidor")
    expect(sub_menu.get_by_role("link", name="Mina uppgifter")).to_have_attribute(
        "aria-current", "page"
    )

"""Notices in Chromium: a handler's "Mina notiser", an administrator writing and
previewing an e-service's own texts, and the notices on the case page, by keyboard and at
phone width."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics
from tests.e2e.test_backoffice_case import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def staff_logs_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/handlaggare/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("sjalvservice-demo")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Engångskod").fill(current_code())
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("h1")).to_have_text("Inkorg")


@pytest.mark.parametrize("width", [1280, 320])
def test_a_handler_turns_off_mail_for_new_cases_by_keyboard(
    page: Page, live_server, demo, axe, width
):
    from sjalvservice.notifications.models import StaffEmailOptOut

    page.set_viewport_size({"width": width, "height": 800})
    staff_logs_in(page, live_server, "julia")
    if width < 641:  # on a phone the menu is folded away
        page.locator(".govuk-service-navigation__toggle").click()
    page.get_by_role("link", name="Mina notiser").click()
    expect(page.locator("h1")).to_have_text("Mina notiser")
    assert_page_basics(page)
    assert_accessible(axe, page)
    box = page.get_by_label("Nytt ärende i mina e-tjänster")
    expect(box).to_be_checked()
    box.focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dina val av notiser är sparade.")).to_be_visible()
    expect(page.get_by_label("Nytt ärende i mina e-tjänster")).not_to_be_checked()
    assert list(StaffEmailOptOut.objects.values_list("kind", flat=True)) == ["new_case"]
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 320])
def test_an_administrator_writes_checks_and_previews_a_notice(
    page: Page, live_server, demo, axe, width
):
    page.set_viewport_size({"width": width, "height": 900})
    staff_logs_in(page, live_server, "kommunadmin")
    page.goto(live_server.url + "/handlaggare/administrera/e-tjanster/")
    page.get_by_role("link", name="Notiser för Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Notiser")
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("link", name="Ärendet har skickats in").click()
    expect(page.locator("h1")).to_have_text("Ärendet har skickats in")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_label("Ämnesrad i e-post (Svenska)").fill("Tack för ditt förslag {nummer}")
    page.get_by_role("button", name="Spara texterna").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("{nummer} finns inte")
    assert_accessible(axe, page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Ämnesrad i e-post (Svenska)")).to_be_focused()

    page.get_by_label("Ämnesrad i e-post (Svenska)").fill("Tack för ditt förslag {arendenummer}")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name="Förhandsgranskning")).to_be_visible()
    expect(page.get_by_text("Tack för ditt förslag 1234")).to_be_visible()
    # The HTML e-mail is shown in a sandboxed frame, never in the page itself.
    frame = page.locator("iframe.sjs-email-preview").first
    expect(frame).to_have_attribute("sandbox", "")
    expect(frame).to_have_attribute("srcdoc", re.compile("Vi har tagit emot ditt ärende 1234"))
    shown = [f.evaluate("document.body.innerText") for f in page.frames[1:]]
    assert "Vi har tagit emot ditt ärende 1234" in shown[0]
    assert "We have received your case 1234" in shown[1]
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("button", name="Spara texterna").click()
    expect(page.get_by_text("Texterna för Ärendet har skickats in är sparade.")).to_be_visible()
    expect(page.get_by_role("row", name="Ärendet har skickats in")).to_contain_text("Egna: Svenska")

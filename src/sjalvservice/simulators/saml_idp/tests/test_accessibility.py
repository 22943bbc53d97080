"""The IdP's pages in Chromium: axe-core at 320 px and at desktop width, keyboard focus, and
the script that follows the login and posts the Response.

They use the shared Chromium fixture (the project's conftest) and never skip.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route, expect

from ..server import Simulator
from .support import ACS, BankIdControl, Resident, TestSp

pytestmark = pytest.mark.browser


def _checker(page: Page) -> Callable[[str], None]:
    axe = Axe()

    def check(label: str) -> None:
        expect(page.locator("h1")).to_have_count(1)
        page.wait_for_load_state()
        results = axe.run(page)
        assert results.response["violations"] == [], f"{label}: {results.generate_report()}"
        assert page.locator("html").get_attribute("lang") == "sv", label
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{label}: scrolls sideways by {overflow} px"

    return check


@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_passes_axe_and_fits_the_width(
    browser: Browser,
    idp: Simulator,
    sp: TestSp,
    resident: Resident,
    bankid: BankIdControl,
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    page = context.new_page()
    # The pages as without the IdP's script (axe itself needs JavaScript): the Response page
    # then stays put instead of posting to the SP, which does not exist here.
    page.route(f"{idp.url}static/idp.js", lambda route: route.fulfill(body="", status=200))
    check = _checker(page)
    try:
        page.goto(idp.url)
        check("home page")

        page.goto(sp.redirect_request()[1])
        check("login page")
        page.keyboard.press("Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

        page.get_by_role("button", name="Mobilt BankID", exact=True).click()
        expect(page.locator("h1")).to_have_text("Legitimera dig med Mobilt BankID")
        check("QR page")
        expect(page.get_by_role("img", name="QR-kod att läsa av med BankID-appen")).to_be_visible()

        page.get_by_role("button", name="Avbryt").click()
        expect(page.locator("h1")).to_have_text("Du skickas tillbaka till tjänsten")
        check("response page")
        expect(page.get_by_role("button", name="Fortsätt")).to_be_visible()

        page.goto(sp.redirect_request()[1])
        page.get_by_role("button", name="BankID", exact=True).click()
        expect(page.locator("h1")).to_have_text("Legitimera dig med BankID")
        check("autostart page")
        expect(page.get_by_role("link", name="Öppna BankID")).to_be_visible()

        bankid.client.post(
            "/_control/fail-next", json={"errorCode": "maintenance", "endpoint": "auth"}
        )
        page.goto(sp.redirect_request()[1])
        page.get_by_role("button", name="Mobilt BankID", exact=True).click()
        check("login page with an error")
        expect(page.get_by_role("alert")).to_contain_text("Internt tekniskt fel")

        page.goto(f"{idp.url}wait/okand")
        check("error page")
    finally:
        context.close()


def test_the_script_follows_the_login_and_posts_the_response(
    browser: Browser, idp: Simulator, sp: TestSp, resident: Resident, bankid: BankIdControl
) -> None:
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    posted: list[dict[str, list[str]]] = []

    def acs(route: Route) -> None:
        posted.append(parse_qs(route.request.post_data or ""))
        route.fulfill(status=200, content_type="text/html", body="<p>Inloggad</p>")

    page.route(f"{ACS}**", acs)
    try:
        request_id, url = sp.redirect_request("/hem")
        page.goto(url)
        page.get_by_role("button", name="Mobilt BankID", exact=True).click()
        first = page.locator("#qr svg").inner_html()
        # The script fetches a new QR code every second.
        page.wait_for_function(
            "first => document.querySelector('#qr svg').innerHTML !== first",
            arg=first,
            timeout=5000,
        )
        (login,) = resident.client.get("/_control/logins").json()["logins"]
        bankid.complete(login["orderRef"])
        expect(page.get_by_text("Inloggad")).to_be_visible(timeout=10000)
    finally:
        context.close()
    ((fields),) = posted
    assert fields["RelayState"] == ["/hem"]
    answer = sp.parse(fields["SAMLResponse"][0], request_id)
    assert answer.get_identity()["personalIdentityNumber"] == ["198101059825"]

"""The Test-BankID pages in Chromium, checked with axe-core at 320 px and at desktop width.

They use the shared Chromium fixture (the project's conftest) and never skip.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from ..server import Simulator
from .support import TestApp, b64

pytestmark = pytest.mark.browser


def _checker(page: Page) -> Callable[[str], None]:
    axe = Axe()

    def check(label: str) -> None:
        # expect() waits for a navigation started by a click; count() would not.
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
def test_every_page_state_passes_axe_and_fits_the_width(
    browser: Browser, simulator: Simulator, app: TestApp, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    page = context.new_page()
    check = _checker(page)
    try:
        page.goto(simulator.app_url)
        check("start page")
        page.get_by_label("QR-kodens innehåll").fill("bankid.x.0.abc")
        page.get_by_role("button", name="Läs av QR-kod").click()
        check("start page with an error")
        assert page.get_by_role("alert").is_visible()

        order_ref = app.start(userVisibleData=b64("Logga in på Självservice " + "x" * 120))
        page.goto(simulator.app_url)
        page.get_by_label("QR-kodens innehåll").fill(app.qr(order_ref))
        page.get_by_role("button", name="Läs av QR-kod").click()
        check("identify page")
        page.get_by_role("button", name="Legitimera").click()
        check("identify page without a choice")
        page.get_by_role("radio", name="Annan person").check()
        page.get_by_role("button", name="Legitimera").click()
        check("identify page with field errors")
        page.keyboard.press("Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.get_by_role("radio", name="Jenny Testersson, 19810105-9825").check()
        page.get_by_role("button", name="Legitimera").click()
        check("done page")
        assert app.collect(order_ref).json()["status"] == "complete"

        mrtd = app.api.post("auth", json={"endUserIp": "192.0.2.1", "requirement": {"mrtd": True}})
        page.goto(f"{simulator.app_url}?autostarttoken={mrtd.json()['autoStartToken']}")
        check("ID document page")
        page.get_by_role("button", name="Avbryt").click()
        check("cancelled page")

        body = {"personalNumber": "197504129912", "callInitiator": "RP"}
        assert app.api.post("phone/auth", json=body).status_code == 200
        page.goto(simulator.app_url)
        page.get_by_label("Personnummer").fill("197504129912")
        page.get_by_role("button", name="Hämta telefonärende").click()
        check("call page")

        page.goto(f"{simulator.app_url}?autostarttoken=unknown")
        check("error page")
    finally:
        context.close()

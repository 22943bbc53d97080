"""The mailbox pages in Chromium: axe-core at 320 px and at desktop width, and the HTML part
rendered in its sandbox (styled, but without scripts or remote images).

They use the shared Chromium fixture (the project's conftest) and never skip.
"""

from __future__ import annotations

import base64

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route

from ..server import Simulator
from .support import message, send

pytestmark = pytest.mark.browser

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
LONG = "ett-mycket-långt-ord-utan-mellanslag-" * 6
HTML = (
    '<!DOCTYPE html><html lang="sv"><head><title>Ny status</title></head><body>'
    '<p id="styled" style="color: rgb(255, 0, 0)">Hej Anna!</p>'
    '<p><a id="link" href="https://portal.example/arenden/42">Öppna ärendet</a></p>'
    '<img id="pixel" alt="" src="https://tracker.example/p.png">'
    '<script>document.title = "skript körde"</script></body></html>'
)


def _check(page: Page, label: str) -> None:
    results = Axe().run(page)
    assert results.response["violations"] == [], f"{label}: {results.generate_report()}"
    assert page.locator("h1").count() == 1, label
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{label}: scrolls sideways by {overflow} px"


@pytest.mark.parametrize("width", [320, 1280])
def test_both_pages_pass_axe_and_fit_the_width(
    browser: Browser, simulator: Simulator, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    page = context.new_page()
    try:
        page.goto(simulator.page_url)
        _check(page, "empty list")
        send(
            simulator,
            message(
                subject=f"Ditt ärende har fått ny status {LONG}",
                to=[f"{LONG}@example.test"],
                text=f"Hej!\n{LONG}{LONG}\nhttps://portal.example/{LONG}\n",
                html=HTML,
                headers={"Content-Language": "sv"},
            ),
        )
        page.goto(simulator.page_url)
        _check(page, "list")
        page.get_by_role("link", name="Ditt ärende har fått ny status").click()
        page.wait_for_url("**/messages/1")
        _check(page, "message")
    finally:
        context.close()


def test_the_html_part_renders_styled_without_scripts_or_remote_images(
    browser: Browser, simulator: Simulator
) -> None:
    send(simulator, message(text="Hej!\n", html=HTML))
    context = browser.new_context()
    requested: list[str] = []

    def answer(route: Route) -> None:
        requested.append(route.request.url)
        if "tracker" in route.request.url:
            route.fulfill(body=PNG, content_type="image/png")
        else:
            route.fulfill(body="Ärendet", content_type="text/plain; charset=utf-8")

    # Nothing leaves the machine: both hosts answer here, so a blocked image is the policy's
    # doing and not a failed lookup.
    context.route("https://tracker.example/**", answer)
    context.route("https://portal.example/**", answer)
    page = context.new_page()
    try:
        page.goto(f"{simulator.url}/messages/1")
        frame = page.frame_locator("iframe")
        styled = frame.locator("#styled")
        assert styled.text_content() == "Hej Anna!"
        assert styled.evaluate("node => getComputedStyle(node).color") == "rgb(255, 0, 0)"
        assert frame.locator("#pixel").evaluate("node => node.naturalWidth") == 0
        assert frame.locator("html").evaluate("() => document.title") == "Ny status"
        assert page.title().endswith("Demons brevlåda")
        with page.expect_popup() as popup:
            frame.locator("#link").click()
        assert popup.value.url == "https://portal.example/arenden/42"
        assert requested == ["https://portal.example/arenden/42"]
    finally:
        context.close()

"""Browser tests of the portal: pages, log-in helper, axe-core checks."""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails its test if the browser refused anything under the portal's
    Content-Security-Policy (Chromium reports each refusal on the console)."""
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    assert refused == [], "\n".join(refused)


@pytest.fixture
def log_in(client, context, live_server):
    """Give the browser the session of a logged-in person, as a login would."""

    def log_in(user) -> None:
        client.force_login(user)
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )

    return log_in


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(axe: Axe, page: Page) -> None:
    """No axe-core violations at WCAG 2.1 A/AA (and best practice) on the page as shown."""
    page.wait_for_load_state()
    results = axe.run(page)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def assert_page_basics(page: Page) -> None:
    """One h1, a language on <html>, and no horizontal scrolling at the current width."""
    # expect() waits for a navigation started by a click to finish; count() would not.
    expect(page.locator("h1")).to_have_count(1)
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") in {"sv", "en"}
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"

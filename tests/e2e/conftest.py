"""Browser tests of the portal: pages, log-in helper, and the checks of every page a test
looks at (axe-core, the Nu HTML checker, table cells at 320 px)."""

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e import html_check


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    html_check.record_documents(context)
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


@pytest.fixture(scope="session", autouse=True)
def _nu_html_checker() -> Iterator[None]:
    """The Nu HTML checker's JVM, started while the first tests set up, once per process."""
    html_check.checker.start()
    yield
    html_check.checker.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    if html_check.warnings_seen:
        terminalreporter.section("Nu HTML checker warnings (allowed)")
        for path, message in sorted(html_check.warnings_seen):
            terminalreporter.write_line(f"{path}: {message}")


def assert_accessible(axe: Axe, page: Page) -> None:
    """The page as shown has no axe-core violation at WCAG 2.1 A/AA (and best practice),
    its HTML has no Nu HTML checker error, and at 320 px no table cell breaks inside a
    word and nothing scrolls sideways (see html_check)."""
    page.wait_for_load_state()
    html_check.assert_valid_html(page)
    results = axe.run(page)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
    html_check.assert_readable_when_narrow(page)


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

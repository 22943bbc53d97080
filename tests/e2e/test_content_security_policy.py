"""The Content-Security-Policy as Chromium applies it: the portal's own scripts run, an
injected inline script does not (and every other browser test fails on such a refusal,
through the ``page`` fixture)."""

from playwright.sync_api import BrowserContext


def test_an_injected_inline_script_is_refused_and_reported(context: BrowserContext, live_server):
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/")
    # The portal's own module ran: GOV.UK Frontend marks the body as supported.
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.injected === undefined")
    assert any("script-src" in text for text in refused), refused

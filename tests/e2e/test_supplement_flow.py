"""A resident asked for a supplement, in a browser: the notice on Mina sidor, "Ändra ärende"
with the case's header and the handler's request, the change shown on the preview, and
sending it in; the link from the notice straight to the handler's message."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REQUEST = "Beskriv var bänkarna ska stå."


@pytest.fixture
def waiting(suggestion, anna, cecilia):
    """Anna's Medborgarförslag, which Cecilia asks her to supplement."""
    from sjalvservice.cases import services
    from sjalvservice.cases.models import Status, StatusKind
    from sjalvservice.cases.tests.fixtures import ANSWERS

    case = services.start_draft(suggestion, owner=anna)
    services.save_draft(
        case, answers=ANSWERS, current_step="forslag",
        completed_steps=["personuppgifter", "forslag"],
    )  # fmt: skip
    case = services.submit(case, by=anna, answers=ANSWERS)
    status = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    return services.set_status(case, status=status, by=cecilia, message=REQUEST)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_resident_supplements_the_case_the_handler_asked_about(
    page: Page, live_server, anna, waiting, log_in, axe, width
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/mina-sidor/")
    notice = page.get_by_role("region", name="Viktigt")
    expect(notice).to_contain_text(
        f"Handläggaren behöver fler uppgifter för ärende {waiting.number} (Medborgarförslag)"
    )
    expect(notice.locator("blockquote")).to_have_text(REQUEST)
    assert_page_basics(page)
    assert_accessible(axe, page)

    notice.get_by_role("link", name="Ändra ärende").click()
    expect(page.locator("h1")).to_have_text("Ändra ärende: Medborgarförslag")
    expect(page.get_by_text(f"Ärendenummer {waiting.number}").first).to_be_visible()
    expect(page.locator("blockquote")).to_have_text(REQUEST)
    expect(page.get_by_role("navigation", name="Ärendet")).to_be_visible()
    expect(page.get_by_text("vid ett senare tillfälle")).to_have_count(0)
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("button", name="Nästa").click()
    expect(page.locator("h1")).to_have_text("Ändra ärende: Medborgarförslag")
    expect(page.locator("blockquote")).to_have_text(REQUEST)
    assert_page_basics(page)
    assert_accessible(axe, page)
    rubrik = page.get_by_label("Rubrik", exact=True)
    expect(rubrik).to_have_value("Fler bänkar")
    rubrik.fill("Två bänkar vid bron")
    page.get_by_role("button", name="Nästa").click()

    changes = page.locator("#andringar")
    expect(changes).to_contain_text("Det här har du ändrat")
    expect(changes.locator("dt")).to_have_text(["Rubrik"])
    expect(changes.locator("dd")).to_contain_text("Förut: Fler bänkar")
    expect(changes.locator("dd")).to_contain_text("Nu: Två bänkar vid bron")
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_role("button", name="Skicka in ändringarna").click()
    expect(page.get_by_text("Ditt ärende är kompletterat.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Medborgarförslag (Kompletterat)")
    expect(page.get_by_role("region", name="Viktigt")).to_have_count(0)
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_the_notice_leads_straight_to_the_handlers_message(
    page: Page, live_server, anna, waiting, log_in, axe
):
    log_in(anna)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/mina-sidor/")
    page.get_by_role("link", name=f"Läs meddelandet i ärende {waiting.number}").click()
    message = waiting.messages.get()
    page.wait_for_url(f"**/meddelanden/#meddelande-{message.pk}")
    target = page.locator(":target")
    expect(target).to_have_attribute("id", f"meddelande-{message.pk}")
    expect(target).to_contain_text(REQUEST)
    assert target.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    assert_page_basics(page)
    assert_accessible(axe, page)

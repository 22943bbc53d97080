"""The inbox as a handler meets it in Chromium: a whole row opens its case, by mouse and
by keyboard; supplemented cases and unread messages are flagged; the status list names
each status once; axe-clean at 1280 and 320 px."""

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics
from tests.e2e.test_backoffice_case import jenny_submits, staff_logs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def two_cases_needing_a_look(first_number: str) -> tuple[int, int]:
    """Jenny's case supplemented after Julia asked, and a second case of hers with a
    message Julia has not read."""
    from sjalvservice.accounts.models import User
    from sjalvservice.cases import services
    from sjalvservice.cases.models import Case, StatusKind

    jenny = User.objects.get(personal_identity_number="198101059825")
    julia = User.objects.get(username="julia")
    first = Case.objects.get(number=int(first_number))
    awaiting = services.status_for(first, StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(first, status=awaiting, by=julia, message="Var vid älven?")
    supplemented = services.supplement(first, by=jenny, answers=first.answers)
    draft = services.start_draft(first.eservice, owner=jenny)
    second = services.submit(draft, by=jenny, answers=first.answers)
    services.send_message(second, by=jenny, text="Jag glömde en sak.")
    return supplemented.number or 0, second.number or 0


def row(page: Page, number: int) -> Locator:
    return page.locator("tr.sjs-inbox__row").filter(
        has=page.get_by_role("link", name=str(number), exact=True)
    )


def click_middle_of(page: Page, cell: Locator) -> None:
    """A real click where a person would aim, not on the link itself."""
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def tab_to(page: Page, href: str, most: int = 80) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            return
    raise AssertionError(f"Tab never reached the link to {href}")


def test_a_whole_inbox_row_opens_its_case_and_the_flags_and_statuses_read_clearly(
    browser: Browser, page: Page, live_server, demo, log_in, axe
):
    from sjalvservice.accounts.models import User

    log_in(User.objects.get(personal_identity_number="198101059825"))
    supplemented, unread = two_cases_needing_a_look(jenny_submits(page, live_server))

    staff = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    julia = staff.new_page()
    try:
        staff_logs_in(julia, live_server)
        assert_page_basics(julia)
        assert_accessible(axe, julia)

        first, second = row(julia, supplemented), row(julia, unread)
        expect(first.locator(".govuk-tag")).to_have_text(["Komplettering inkommen"])
        expect(second.locator(".govuk-tag")).to_have_text(["Oläst meddelande"])
        expect(first).to_contain_text("Medborgarförslag")
        expect(first.locator(".sjs-inbox__title")).to_have_text("Fler parkbänkar")
        expect(first.get_by_role("link")).to_have_count(1)

        # A click on the status cell, far from the number, opens the case.
        click_middle_of(julia, first.locator("td").nth(3))
        expect(julia).to_have_url(f"{live_server.url}/handlaggare/arenden/{supplemented}/")
        expect(julia.locator("h1")).to_have_text("Medborgarförslag (Kompletterat)")
        options = julia.get_by_label("Ny status").locator("option").all_inner_texts()
        assert len(options) == len(set(options)), options
        assert options[0] == "Inskickat"
        expect(julia.get_by_label("Meddelande som skickas med statusändringen")).to_be_visible()
        expect(julia.get_by_label("Meddelande till invånaren", exact=True)).to_be_visible()
        assert_page_basics(julia)
        assert_accessible(axe, julia)

        # By keyboard: Tab to the row's one link, Enter.
        julia.goto(live_server.url + "/handlaggare/")
        tab_to(julia, f"/handlaggare/arenden/{unread}/")
        julia.keyboard.press("Enter")
        expect(julia).to_have_url(f"{live_server.url}/handlaggare/arenden/{unread}/")
        expect(julia.locator("h1")).to_have_text("Medborgarförslag (Inskickat)")

        # Opening the case read the message: its flag is gone.
        julia.goto(live_server.url + "/handlaggare/?flik=aktiva")
        expect(row(julia, unread).locator(".govuk-tag")).to_have_count(0)

        # At 320 px the rows stack, labelled, and still open their case anywhere.
        julia.set_viewport_size({"width": 320, "height": 800})
        julia.goto(live_server.url + "/handlaggare/")
        assert_page_basics(julia)
        assert_accessible(axe, julia)
        status_cell = row(julia, supplemented).locator("td").nth(3)
        assert status_cell.evaluate("cell => getComputedStyle(cell, '::before').content") == (
            '"Status: "'
        )
        click_middle_of(julia, status_cell)
        expect(julia).to_have_url(f"{live_server.url}/handlaggare/arenden/{supplemented}/")
        assert_page_basics(julia)
        assert_accessible(axe, julia)
    finally:
        staff.close()

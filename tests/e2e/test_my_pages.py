"""Mina sidor in a browser: the overview, the case page and deleting a saved draft."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def annas_cases(anna):
    """Anna with one saved draft, one submitted and one closed Medborgarförslag."""
    from sjalvservice.cases import services
    from sjalvservice.cases.models import Status, StatusKind
    from sjalvservice.cases.tests.fixtures import SUGGESTION
    from sjalvservice.core.models import Municipality
    from sjalvservice.eservices.models import Category, EService
    from sjalvservice.eservices.services import publish_version

    skelleftea = Municipality.objects.create(
        name="Skellefteå kommun", slug="skelleftea", organisation_number="2120002742",
        contact_email="kommun@skelleftea.example",
    )  # fmt: skip
    category = Category.objects.create(name="Demokrati och påverkan", slug="demokrati")
    suggestion = EService.objects.create(
        municipality=skelleftea, category=category, slug="medborgarforslag",
        title="Medborgarförslag", short_description="Lämna ett förslag.", requires_login=True,
    )  # fmt: skip
    publish_version(suggestion, SUGGESTION)
    draft = services.save_draft(
        services.start_draft(suggestion, owner=anna),
        answers={"rubrik": "Fler bänkar"},
        current_step="forslag",
        completed_steps=["personuppgifter"],
    )
    submitted = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers={})
    closed = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers={})
    closed = services.set_status(
        closed, status=Status.objects.default_for(StatusKind.CLOSED), by=anna
    )
    return {"draft": draft, "submitted": submitted, "closed": closed}


@pytest.mark.parametrize("width", [1280, 320])
def test_mina_sidor_the_case_page_and_the_delete_confirmation_are_accessible(
    page: Page, live_server, anna, annas_cases, log_in, axe, width
):
    log_in(anna)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/mina-sidor/")
    for summary in page.locator("details.govuk-details summary").all():
        summary.click()
    expect(page.get_by_text("Du har 1 ärende som inte har skickats in")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)

    number = annas_cases["submitted"].number
    page.get_by_role("link", name=f"Till ärende {number} Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Medborgarförslag (Inskickat)")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.get_by_role("link", name="Visa ärende").click()
    expect(page.locator("h1")).to_have_text("Medborgarförslag")
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.goto(live_server.url + "/mina-sidor/")
    page.get_by_role("link", name="Ta bort Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Vill du ta bort ditt sparade ärende Medborgarförslag?")
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_a_citizen_deletes_a_saved_draft_by_keyboard_alone(
    page: Page, live_server, anna, annas_cases, log_in, axe
):
    from sjalvservice.cases.models import Case

    log_in(anna)
    page.goto(live_server.url + "/mina-sidor/")
    delete = page.get_by_role("link", name="Ta bort Medborgarförslag")
    delete.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Vill du ta bort ditt sparade ärende Medborgarförslag?")
    page.get_by_role("button", name="Ja, ta bort").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Det sparade ärendet är borttaget.")).to_be_visible()
    expect(page.get_by_text("Du har 0 ärenden som inte har skickats in")).to_be_visible()
    assert_accessible(axe, page)
    assert not Case.objects.filter(pk=annas_cases["draft"].pk).exists()
    assert Case.objects.filter(owner=anna).count() == 2

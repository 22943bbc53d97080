"""Gallring and the logs in Chromium: an administrator sets an e-service's retention by
keyboard, confirms the cases it makes due, reads the purge log and the log of staff
changes; a member of staff on the citizen side gets a page that says why. At desktop and
phone width, with axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics
from tests.e2e.test_notices import staff_logs_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


@pytest.fixture
def old_closed_case(demo):
    """A Medborgarförslag closed two years ago."""
    from django.utils import timezone

    from sjalvservice.accounts.models import User
    from sjalvservice.cases import services
    from sjalvservice.cases.models import Case, Status, StatusKind
    from sjalvservice.cases.tests.fixtures import ANSWERS
    from sjalvservice.eservices.models import EService

    eservice = EService.objects.get(slug="medborgarforslag")
    person = User.objects.filter(personal_identity_number__isnull=False).first()
    julia = User.objects.get(username="julia")
    case = services.submit(services.start_draft(eservice, owner=person), by=person,
                           answers=ANSWERS)  # fmt: skip
    services.set_status(case, status=Status.objects.default_for(StatusKind.CLOSED), by=julia)
    two_years_ago = timezone.now() - dt.timedelta(days=730)
    Case.objects.filter(eservice=eservice, status_kind=StatusKind.CLOSED).update(
        last_event_at=two_years_ago
    )
    return case


@pytest.mark.parametrize("width", [1280, 320])
def test_an_administrator_sets_retention_confirms_and_reads_the_purge_log(
    page: Page, live_server, old_closed_case, axe, width
):
    from django.utils import timezone

    from sjalvservice.cases.retention import purge_closed_cases

    page.set_viewport_size({"width": width, "height": 900})
    staff_logs_in(page, live_server, "kommunadmin")
    page.goto(live_server.url + "/handlaggare/administrera/e-tjanster/")
    page.get_by_role("link", name="Gallring för Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Gallring")
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.get_by_label("Gallra avslutade ärenden efter (dagar)").fill("365")
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Kryssa i rutan")
    expect(page.locator("legend")).to_contain_text("är redan äldre än så")
    assert_page_basics(page)
    assert_accessible(axe, page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Ja, ta bort dem")).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Spara gallringen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Gallringen är sparad.")).to_be_visible()
    expect(page.get_by_role("row", name="Medborgarförslag")).to_contain_text("Efter 365 dagar")

    assert purge_closed_cases(timezone.now()) >= 1
    page.goto(live_server.url + "/handlaggare/administrera/gallringslogg/")
    expect(page.locator("h1")).to_have_text("Gallringslogg")
    number = old_closed_case.number
    first_row = page.locator("tbody tr").first
    expect(first_row.locator("td").nth(1)).to_have_text(
        re.compile(rf"^{number}\s*Medborgarförslag")
    )
    assert_page_basics(page)
    assert_accessible(axe, page)

    page.goto(live_server.url + "/handlaggare/administrera/atkomstlogg/behorigheter/")
    expect(page.locator("h1")).to_have_text("Ändringar av behörigheter")
    assert_page_basics(page)
    assert_accessible(axe, page)


@pytest.mark.parametrize("width", [1280, 320])
def test_staff_on_the_citizen_side_are_told_why_not(page: Page, live_server, demo, axe, width):
    page.set_viewport_size({"width": width, "height": 800})
    staff_logs_in(page, live_server, "julia")
    response = page.goto(live_server.url + "/mina-sidor/")
    assert response is not None
    assert response.status == 403
    assert_page_basics(page)
    assert_accessible(axe, page)

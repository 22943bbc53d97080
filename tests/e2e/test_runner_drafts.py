"""Drafts in a browser on a 320 px phone: "Spara" on an empty step only saves and says so,
and two drafts of one e-service read differently in "Ej inskickade ärenden"."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JENNY = "198101059825"


@pytest.fixture
def demo_eservices(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


@pytest.fixture
def jenny(demo_eservices, log_in):
    from sjalvservice.accounts.models import User

    person = User.objects.get(personal_identity_number=JENNY)
    log_in(person)
    return person


def test_spara_on_an_empty_step_only_saves_and_says_so(page: Page, live_server, jenny, axe):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_server.url + "/tjanster/medborgarforslag/starta/")
    page.get_by_label("Förnamn", exact=True).fill("Jenny")
    page.get_by_label("Efternamn", exact=True).fill("Testersson")
    page.get_by_label("Adress", exact=True).fill("Storgatan 1")
    page.get_by_label("Postnummer", exact=True).fill("931 30")
    page.get_by_label("Ort", exact=True).fill("Skellefteå")
    page.get_by_label("E-postadress", exact=True).fill("jenny@example.se")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", name="Förslag", exact=True)).to_be_visible()

    # "Spara" from the keyboard with every required field still empty.
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_have_count(1)
    expect(banner).to_contain_text("Ditt ärende är sparat")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator(".govuk-error-message")).to_have_count(0)
    assert_page_basics(page)
    assert_accessible(axe, page)

    # Only going on shows what is missing.
    page.get_by_role("button", name="Nästa").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(axe, page)


def test_two_drafts_of_one_e_service_read_differently(page: Page, live_server, jenny, axe):
    from sjalvservice.cases import services
    from sjalvservice.cases.models import Case
    from sjalvservice.eservices.models import EService

    suggestion = EService.objects.get(slug="medborgarforslag")
    services.save_draft(
        services.start_draft(suggestion, owner=jenny),
        answers={"rubrik": "Bänk vid älven"},
        current_step="forslag",
        completed_steps=["personuppgifter"],
    )
    untitled = services.start_draft(suggestion, owner=jenny)
    saved_at = dt.datetime(2026, 12, 3, 13, 5, tzinfo=dt.UTC)  # 14.05 in Sweden
    Case.objects.filter(pk=untitled.pk).update(last_saved_at=saved_at)

    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/mina-sidor/sparade/")
        table = page.get_by_role("table", name="Ej inskickade ärenden")
        expect(
            table.get_by_role("rowheader", name="Medborgarförslag: Bänk vid älven")
        ).to_be_visible()
        expect(
            table.get_by_role("rowheader", name="Medborgarförslag, sparat 3 december 14.05")
        ).to_be_visible()
        assert_page_basics(page)
        assert_accessible(axe, page)

    # The same list in English on a phone: the e-service's English name, the resident's
    # own words as they were written.
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(live_server.url + "/sprak/en/?next=/mina-sidor/sparade/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("rowheader", name="Citizens' proposal: Bänk vid älven")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.goto(live_server.url + "/sprak/sv/?next=/mina-sidor/sparade/")

    # "Fortsätt" says which draft it continues, and takes the keyboard there.
    resume = page.get_by_role("link", name="Fortsätt Medborgarförslag: Bänk vid älven")
    resume.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Rubrik", exact=True)).to_have_value("Bänk vid älven")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

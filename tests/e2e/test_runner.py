"""Fill in Medborgarförslag in a browser: save, leave, come back, submit."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_eservices(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def test_a_citizen_fills_in_saves_leaves_returns_and_submits(
    page: Page, live_server, demo_eservices, log_in, axe
):
    from sjalvservice.accounts.models import User

    jenny = User.objects.get(personal_identity_number="198101059825")
    log_in(jenny)
    page.goto(live_server.url + "/tjanster/medborgarforslag/")
    page.get_by_role("link", name="Starta e-tjänsten").click()
    expect(page.locator("h1")).to_have_text("Medborgarförslag")
    assert_page_basics(page)
    assert_accessible(axe, page)

    # Step 1: Personuppgifter, with an error first.
    page.get_by_label("Förnamn", exact=True).fill("Jenny")
    page.get_by_label("Efternamn", exact=True).fill("Testersson")
    page.get_by_label("Adress", exact=True).fill("Storgatan 1")
    page.get_by_label("Postnummer", exact=True).fill("931 30")
    page.get_by_label("Ort", exact=True).fill("Skellefteå")
    page.get_by_label("E-postadress", exact=True).fill("inte-en-adress")
    page.get_by_role("button", name="Nästa").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert_accessible(axe, page)
    summary.get_by_role("link").first.click()
    page.get_by_label("E-postadress", exact=True).fill("jenny@example.se")
    page.get_by_role("button", name="Nästa").click()

    # Step 2: Förslag; save and leave.
    expect(page.get_by_role("heading", name="Förslag", exact=True)).to_be_visible()
    page.get_by_label("Rubrik", exact=True).fill("Fler parkbänkar vid älven")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Ditt ärende är sparat")).to_be_visible()
    assert_accessible(axe, page)
    draft_url = page.url
    page.goto(live_server.url + "/")

    # Back to the draft: what was typed is still there.
    page.goto(live_server.url + "/mina-sidor/")
    page.get_by_role("link", name="Fortsätt").click()
    assert page.url == draft_url
    expect(page.get_by_label("Rubrik", exact=True)).to_have_value("Fler parkbänkar vid älven")
    page.get_by_label("Beskriv ditt förslag").fill("Det behövs fler bänkar längs älven.")
    page.get_by_role("button", name="Nästa").click()

    # Förhandsgranska, then Skicka in.
    expect(page.get_by_role("heading", name="Förhandsgranska")).to_be_visible()
    expect(page.get_by_text("Fler parkbänkar vid älven")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("h1")).to_have_text("Ditt ärende är inskickat")
    assert_accessible(axe, page)
    number = page.locator(".govuk-panel__body strong").inner_text()
    assert number.isdigit()
    page.get_by_role("link", name="Till Mina sidor").click()
    expect(page.get_by_role("cell", name=number, exact=True)).to_be_visible()


def test_the_open_step_is_saved_before_the_session_times_out(
    page: Page, live_server, demo_eservices, log_in, client, settings
):
    from sjalvservice.accounts.models import User
    from sjalvservice.cases.models import Case
    from sjalvservice.eid.services import LAST_ACTIVITY

    settings.SESSION_IDLE_TIMEOUT = 180
    jenny = User.objects.get(personal_identity_number="198101059825")
    log_in(jenny)
    page.clock.install()
    page.goto(live_server.url + "/tjanster/medborgarforslag/starta/")
    page.get_by_label("Förnamn", exact=True).fill("Jenny")
    page.get_by_label("Adress", exact=True).fill("Storgatan 1")
    # On the server, almost three minutes pass without activity.
    session = client.session
    session[LAST_ACTIVITY] -= 170
    session.save()
    page.clock.run_for(61_000)  # the page asks the server, which says 10 s are left
    # The draft is made first and the open step's input saved into it right after: wait
    # for the input, not only for the draft.
    for _attempt in range(100):
        case = Case.objects.filter(owner=jenny).first()
        if case is not None and "personuppgifter" in case.unsaved_input:
            break
        page.wait_for_timeout(100)
    case = Case.objects.get(owner=jenny)
    assert case.unsaved_input["personuppgifter"]["kontakt__street"] == ["Storgatan 1"]

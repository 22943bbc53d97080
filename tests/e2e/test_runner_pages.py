"""Every step of every demo e-service, and its error state, passes axe-core."""

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Answers that make the steps and fields behind conditions visible too.
REVEALING = {
    "typ_av_atgard": "nybyggnad",
    "har_ombud": "ja",
    "aterkoppling": "ja",
    "typ_av_tillstand": "tillfalligt_allmanheten",
}


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("demo", quiet=True)


def test_every_step_of_every_demo_e_service_is_accessible(
    page: Page, live_server, demo, log_in, axe
):
    from sjalvservice.accounts.models import User
    from sjalvservice.cases import runner, services
    from sjalvservice.eservices.models import EService

    jenny = User.objects.get(personal_identity_number="198101059825")
    log_in(jenny)
    checked = 0
    for eservice in EService.objects.published().order_by("slug"):
        page.goto(f"{live_server.url}/tjanster/{eservice.slug}/starta/")
        assert_page_basics(page)
        assert_accessible(axe, page)
        page.get_by_role("button", name="Nästa").click()  # nothing filled in: errors
        assert_accessible(axe, page)

        case = services.start_draft(eservice, owner=jenny)
        definition = runner.definition_of(case)
        keys = {field.key for field in definition.fields()}
        answers = {key: value for key, value in REVEALING.items() if key in keys}
        services.save_draft(case, answers=answers, current_step="", completed_steps=[])
        for step in runner.visible_steps(definition, answers):
            page.goto(f"{live_server.url}/e-tjanst/{case.reference}/steg/{step.key}/")
            assert_page_basics(page)
            assert_accessible(axe, page)
            checked += 1
        page.goto(f"{live_server.url}/e-tjanst/{case.reference}/forhandsgranska/")
        assert_accessible(axe, page)
    assert checked >= 15

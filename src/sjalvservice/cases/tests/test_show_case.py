""" "Visa ärende": a read-only copy of each submitted revision."""

import pytest
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind

ANSWERS = {"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "har_bilaga": "nej"}


@pytest.fixture
def submitted(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    return services.submit(case, by=anna, answers=ANSWERS)


def show_url(case):
    return reverse("cases:show", kwargs={"number": case.number})


def test_the_owner_sees_what_was_submitted(client, submitted, anna):
    client.force_login(anna)
    response = client.get(show_url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Fler bänkar" in html
    assert "Vid älven." in html
    assert "Inskickade versioner" not in html


def test_each_revision_can_be_shown_after_a_supplement(client, submitted, anna, cecilia):
    services.set_status(
        submitted,
        status=Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT),
        by=cecilia,
        message="Beskriv var bänkarna ska stå.",
    )
    services.supplement(submitted, by=anna, answers={**ANSWERS, "rubrik": "Bättre bänkar"})
    client.force_login(anna)
    latest = client.get(show_url(submitted)).content.decode()
    assert "Bättre bänkar" in latest
    assert "Inskickade versioner" in latest
    first = client.get(show_url(submitted) + "?version=1").content.decode()
    assert "Fler bänkar" in first
    assert "Bättre bänkar" not in first


def test_an_unknown_version_is_404(client, submitted, anna):
    client.force_login(anna)
    assert client.get(show_url(submitted) + "?version=7").status_code == 404
    assert client.get(show_url(submitted) + "?version=x").status_code == 404


def test_another_citizen_gets_404(client, submitted, bertil):
    client.force_login(bertil)
    assert client.get(show_url(submitted)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, submitted):
    response = client.get(show_url(submitted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("eid:login"))


def test_it_rejects_post(client, submitted, anna):
    client.force_login(anna)
    assert client.post(show_url(submitted)).status_code == 405


def test_the_case_page_links_to_it(client, submitted, anna):
    client.force_login(anna)
    html = client.get(reverse("cases:case", kwargs={"number": submitted.number})).content.decode()
    assert f'href="{show_url(submitted)}"' in html

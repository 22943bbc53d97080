"""Supplementing a case: "Väntar på komplettering" -> "Ändra ärende" -> "Kompletterat"."""

import pytest
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import CaseEvent, CaseRevision, Status, StatusKind

ANSWERS = {"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "har_bilaga": "nej"}


@pytest.fixture
def handler(cecilia):
    return cecilia


@pytest.fixture
def submitted(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    services.save_draft(
        case, answers=ANSWERS, current_step="forslag",
        completed_steps=["personuppgifter", "forslag"],
    )  # fmt: skip
    return services.submit(case, by=anna, answers=ANSWERS)


def ask_for_supplement(case, handler):
    status = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    return services.set_status(
        case, status=status, by=handler, message="Beskriv var bänkarna ska stå."
    )


def test_submitting_stores_the_first_revision(submitted):
    assert list(submitted.revisions.values_list("number", "answers")) == [(1, ANSWERS)]


def test_the_change_button_shows_only_while_awaiting_a_supplement(client, submitted, anna, handler):
    client.force_login(anna)
    page = reverse("cases:case", kwargs={"number": submitted.number})
    assert "Ändra ärende" not in client.get(page).content.decode()
    ask_for_supplement(submitted, handler)
    html = client.get(page).content.decode()
    assert "Ändra ärende" in html
    assert "Väntar på komplettering" in html
    assert reverse("cases:step", args=[submitted.reference, "personuppgifter"]) in html


def test_supplementing_stores_a_new_revision_and_keeps_the_old(client, submitted, anna, handler):
    ask_for_supplement(submitted, handler)
    client.force_login(anna)
    step = reverse("cases:step", args=[submitted.reference, "forslag"])
    response = client.post(step, {**ANSWERS, "rubrik": "Fler och bättre bänkar", "action": "next"})
    preview = reverse("cases:preview", args=[submitted.reference])
    assert response["Location"] == preview
    response = client.post(preview, follow=True)
    assert "Ditt ärende är kompletterat." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status.kind == StatusKind.SUPPLEMENTED
    assert submitted.status.name == "Kompletterat"
    revisions = list(CaseRevision.objects.filter(case=submitted).order_by("number"))
    assert [r.answers["rubrik"] for r in revisions] == ["Fler bänkar", "Fler och bättre bänkar"]
    event = submitted.events.get(kind=CaseEvent.Kind.SUPPLEMENTED)
    assert event.person_name == "Anna Testersson"
    html = client.get(reverse("cases:case", kwargs={"number": submitted.number})).content.decode()
    assert "Senast kompletterat" in html
    assert "av Anna Testersson" in html


def test_sending_the_supplement_twice_is_harmless(client, submitted, anna, handler):
    ask_for_supplement(submitted, handler)
    client.force_login(anna)
    preview = reverse("cases:preview", args=[submitted.reference])
    client.post(preview)
    client.post(preview)
    assert submitted.revisions.count() == 2
    assert submitted.events.filter(kind=CaseEvent.Kind.SUPPLEMENTED).count() == 1


@pytest.mark.parametrize(
    "kind",
    [StatusKind.SUBMITTED, StatusKind.IN_PROGRESS, StatusKind.SUPPLEMENTED, StatusKind.CLOSED],
)
def test_a_forged_change_in_another_status_is_refused(client, submitted, anna, handler, kind):
    services.set_status(submitted, status=Status.objects.default_for(kind), by=handler)
    client.force_login(anna)
    step = reverse("cases:step", args=[submitted.reference, "forslag"])
    preview = reverse("cases:preview", args=[submitted.reference])
    assert (
        client.post(step, {**ANSWERS, "rubrik": "Smygändrat", "action": "save"}).status_code == 403
    )
    assert client.post(preview).status_code == 403
    submitted.refresh_from_db()
    assert submitted.answers["rubrik"] == "Fler bänkar"
    assert submitted.revisions.count() == 1
    # Looking is fine: the step sends the owner to the case page.
    assert client.get(step)["Location"] == reverse(
        "cases:case", kwargs={"number": submitted.number}
    )


def test_another_citizen_cannot_supplement(client, submitted, bertil, handler):
    ask_for_supplement(submitted, handler)
    client.force_login(bertil)
    assert client.post(reverse("cases:preview", args=[submitted.reference])).status_code == 404


def test_the_history_shows_the_handlers_status_change(client, submitted, anna, handler):
    ask_for_supplement(submitted, handler)
    client.force_login(anna)
    html = client.get(reverse("cases:case", kwargs={"number": submitted.number})).content.decode()
    assert "Status ändrad" in html
    assert "Cecilia Handläggare" in html

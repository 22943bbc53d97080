"""The case page ("Ärendesöversikt") at /mina-sidor/arenden/<number>/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind


@pytest.fixture
def submitted(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    return services.submit(case, by=anna, answers={})


def case_url(case):
    return reverse("cases:case", args=[case.number])


def test_the_case_page_lives_under_mina_sidor(submitted):
    assert case_url(submitted) == f"/mina-sidor/arenden/{submitted.number}/"


def test_it_shows_the_summary_of_the_case(client, anna, submitted):
    client.force_login(anna)
    response = client.get(case_url(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Medborgarförslag (Inskickat)</h1>' in html
    for label in ["Ärendenummer", "Aktuell status", "Kommun", "Inskickat", "Handläggare"]:
        assert f'<dt class="govuk-summary-list__key">{label}</dt>' in html
    assert f'<dd class="govuk-summary-list__value">{submitted.number}</dd>' in html
    assert "Skellefteå kommun" in html
    assert "Ingen handläggare tilldelad" in html
    assert f"{timezone.localtime(submitted.submitted_at):%Y-%m-%d %H:%M}" in html


def test_it_shows_the_history_in_time_order(client, anna, julia, submitted):
    in_progress = Status.objects.default_for(StatusKind.IN_PROGRESS)
    services.send_message(submitted, by=julia, text="väntar")
    services.set_status(submitted, status=in_progress, by=julia)
    client.force_login(anna)
    html = client.get(case_url(submitted)).content.decode()
    history = html.split("Ärendehistorik</h2>")[1]
    rows = history.split('<tr class="govuk-table__row">')[2:]
    assert len(rows) == 3
    assert "Inskickat" in rows[0]
    assert "Anna Testersson" in rows[0]
    assert '<td class="govuk-table__cell" data-label="Detaljer">-</td>' in rows[0]
    assert "Meddelande från handläggaren" in rows[1]
    assert "väntar" in rows[1]
    assert "Status ändrad" in rows[2]
    assert "Under behandling" in rows[2]
    assert "Medborgarförslag (Under behandling)" in html


def test_it_makes_as_many_queries_for_many_events_as_for_one(client, anna, julia, submitted):
    client.force_login(anna)
    client.get(case_url(submitted))  # warm up: the first request fills caches
    with CaptureQueriesContext(connection) as one:
        client.get(case_url(submitted))
    for _ in range(50):
        services.set_status(submitted, status=submitted.status, by=julia)
    with CaptureQueriesContext(connection) as many:
        response = client.get(case_url(submitted))
    assert response.content.decode().count("Status ändrad") == 50
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_mina_sidor_links_to_the_case_page(client, anna, submitted):
    client.force_login(anna)
    html = client.get(reverse("cases:my_pages")).content.decode()
    assert f'href="{case_url(submitted)}">Till ärende' in html


def test_it_sends_anonymous_visitors_to_login(client, submitted):
    response = client.get(case_url(submitted))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('eid:login')}?next={case_url(submitted)}"


def test_another_citizen_gets_not_found(client, bertil, submitted):
    client.force_login(bertil)
    assert client.get(case_url(submitted)).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_rejects_writes(client, anna, submitted, method):
    client.force_login(anna)
    assert getattr(client, method)(case_url(submitted)).status_code == 405


def test_an_unknown_or_malformed_number_is_not_found(client, anna, submitted):
    client.force_login(anna)
    assert client.get(reverse("cases:case", args=[submitted.number + 1])).status_code == 404
    assert client.get("/mina-sidor/arenden/inte-ett-nummer/").status_code == 404
    assert client.get("/mina-sidor/arenden/-1/").status_code == 404


# The tabs under the summary: "Ärendehistorik" here, "Meddelanden (N)" on its own page.


def test_the_history_is_the_open_tab_beside_the_messages_tab(client, anna, julia, submitted):
    services.send_message(submitted, by=julia, text="Hej Anna!")
    services.send_message(submitted, by=anna, text="Hej Julia!")
    client.force_login(anna)
    html = client.get(case_url(submitted)).content.decode()
    assert html.count("<h1") == 1
    tabs = html.split('<nav id="arendet-flikar"')[1].split("</nav>")[0]
    assert f'href="{case_url(submitted)}#arendet-flikar" aria-current="page">Ärendehistorik' in tabs
    messages_url = reverse("cases:messages", args=[submitted.number])
    assert f'href="{messages_url}#arendet-flikar">Meddelanden (2)' in tabs
    assert "1 oläst</strong>" in tabs
    assert "<script" not in tabs


def test_the_tabs_count_no_unread_messages_when_there_are_none(client, anna, submitted):
    client.force_login(anna)
    html = client.get(case_url(submitted)).content.decode()
    assert "Meddelanden (0)</a>" in html
    assert "oläst" not in html


def test_it_names_the_handler_once_one_is_assigned(client, anna, julia, submitted):
    services.assign(submitted, handler=julia, by=julia)
    client.force_login(anna)
    html = client.get(case_url(submitted)).content.decode()
    assert '<dd class="govuk-summary-list__value">Julia Landsell</dd>' in html
    assert "Ingen handläggare tilldelad" not in html


def test_andra_arende_in_the_case_menu_opens_the_first_step(client, anna, julia, submitted):
    status = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(submitted, status=status, by=julia, message="Komplettera, tack.")
    client.force_login(anna)
    step = reverse("cases:step", args=[submitted.reference, "personuppgifter"])
    for url in [case_url(submitted), reverse("cases:messages", args=[submitted.number])]:
        menu = client.get(url).content.decode().split('class="sjs-subnav"')[1].split("</nav>")[0]
        assert f'href="{step}">Ändra ärende</a>' in menu


def test_the_case_page_makes_as_many_queries_with_messages_as_without(
    client, anna, julia, submitted
):
    client.force_login(anna)
    client.get(case_url(submitted))  # warm up: the first request fills caches
    with CaptureQueriesContext(connection) as none:
        client.get(case_url(submitted))
    for number in range(20):
        services.send_message(submitted, by=julia, text=f"Meddelande {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(case_url(submitted))
    assert "Meddelanden (20)" in response.content.decode()
    assert len(many) == len(none), [q["sql"] for q in many.captured_queries]

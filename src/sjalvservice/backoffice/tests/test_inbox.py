"""The inbox: tabs, filters, search, keyset pagination, and a flat query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.selectors import PAGE_SIZE
from sjalvservice.cases import services
from sjalvservice.cases.models import Case, Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.core.models import AccessLog

INBOX = reverse("backoffice:inbox")


@pytest.fixture
def handler_client(client, staff_login, julia):
    return staff_login(client, julia)


def submit_case(eservice, owner):
    case = services.start_draft(eservice, owner=owner)
    return services.submit(case, by=owner, answers=ANSWERS)


def numbers(response):
    return [
        int(n) for n in re.findall(r'href="/handlaggare/arenden/(\d+)/"', response.content.decode())
    ]


def make_citizens(count):
    # Distinct, checksum-valid personal identity numbers born 1990-01-01.
    from stdnum import luhn

    made = []
    serial = 1
    while len(made) < count:
        base = f"19900101{serial:03d}"
        serial += 1
        check = luhn.calc_check_digit(base[2:])
        number = base + check
        made.append(
            User.objects.create_citizen(number, given_name=f"Person{serial}", surname="Test")
        )
    return made


def test_a_new_case_is_in_att_hantera_and_alla_aktiva(handler_client, annas_case):
    assert numbers(handler_client.get(INBOX)) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"flik": "aktiva"})) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"flik": "mina"})) == []
    assert numbers(handler_client.get(INBOX, {"flik": "avslutade"})) == []


def test_tabs_follow_status_assignment_and_unread_messages(handler_client, annas_case, anna, julia):
    services.set_status(
        annas_case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia
    )
    services.assign(annas_case, handler=julia, by=julia)
    assert numbers(handler_client.get(INBOX)) == []
    assert numbers(handler_client.get(INBOX, {"flik": "mina"})) == [annas_case.number]
    services.send_message(annas_case, by=anna, text="Hur går det?")
    response = handler_client.get(INBOX)
    assert numbers(response) == [annas_case.number]
    assert "Oläst meddelande" in response.content.decode()
    services.set_status(annas_case, status=Status.objects.default_for(StatusKind.CLOSED), by=julia)
    assert numbers(handler_client.get(INBOX, {"flik": "avslutade"})) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"flik": "aktiva"})) == []


def test_an_overdue_case_needs_handling(handler_client, annas_case, julia):
    services.set_status(
        annas_case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia
    )
    assert numbers(handler_client.get(INBOX)) == []
    Case.objects.filter(pk=annas_case.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    response = handler_client.get(INBOX)
    assert numbers(response) == [annas_case.number]
    assert "Försenat" in response.content.decode()


def test_counts_per_tab(handler_client, annas_case, suggestion, bertil):
    submit_case(suggestion, bertil)
    html = handler_client.get(INBOX).content.decode()
    assert "Att hantera (2)" in html
    assert "Mina ärenden (0)" in html
    assert "Alla aktiva (2)" in html
    assert "Avslutade (0)" in html


def test_a_closed_status_is_only_counted_and_listed_under_avslutade(
    handler_client, annas_case, suggestion, bertil, julia
):
    bertils = submit_case(suggestion, bertil)
    closed = Status.objects.default_for(StatusKind.CLOSED)
    services.set_status(bertils, status=closed, by=julia)
    html = handler_client.get(INBOX, {"status": closed.pk}).content.decode()
    assert "Att hantera (0)" in html
    assert "Alla aktiva (0)" in html
    assert "Avslutade (1)" in html
    assert numbers(handler_client.get(INBOX, {"flik": "aktiva", "status": closed.pk})) == []
    assert numbers(handler_client.get(INBOX, {"flik": "avslutade", "status": closed.pk})) == [
        bertils.number
    ]
    # And an open one the other way round.
    submitted = Status.objects.default_for(StatusKind.SUBMITTED)
    html = handler_client.get(INBOX, {"status": submitted.pk}).content.decode()
    assert "Alla aktiva (1)" in html
    assert "Avslutade (0)" in html


def test_a_status_or_e_service_outside_ones_own_finds_nothing(
    handler_client, annas_case, suggestion, lycksele, category
):
    from sjalvservice.eservices.models import EService

    theirs = Status.objects.create(
        name="Lyckseles egen", kind=StatusKind.SUBMITTED, municipality=lycksele
    )
    unassigned = EService.objects.create(
        municipality=suggestion.municipality, category=category, slug="annan",
        title="Annan", short_description="Inte Julias.",
    )  # fmt: skip
    for params in ({"status": theirs.pk}, {"etjanst": unassigned.pk}):
        response = handler_client.get(INBOX, {"flik": "aktiva", **params})
        html = response.content.decode()
        assert numbers(response) == [], params
        assert "Alla aktiva (0)" in html, params
    # Their own e-service, for comparison, finds Anna's case.
    assert numbers(handler_client.get(INBOX, {"etjanst": suggestion.pk})) == [annas_case.number]


def test_search_by_number_personal_identity_number_and_name(
    handler_client, annas_case, suggestion, bertil
):
    bertils = submit_case(suggestion, bertil)
    assert numbers(handler_client.get(INBOX, {"q": str(bertils.number)})) == [bertils.number]
    assert numbers(handler_client.get(INBOX, {"q": "19810105-9825"})) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"q": "8101059825"})) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"q": "provsson"})) == [bertils.number]
    assert numbers(handler_client.get(INBOX, {"q": "Nils"})) == []
    # Searching for a person is a view of personal data: it is logged (without the number).
    assert AccessLog.objects.filter(action="search").count() == 2
    assert not AccessLog.objects.filter(detail__contains="9825").exists()


def test_filters(handler_client, annas_case, suggestion, bertil, julia):
    bertils = submit_case(suggestion, bertil)
    in_progress = Status.objects.default_for(StatusKind.IN_PROGRESS)
    services.set_status(bertils, status=in_progress, by=julia)
    services.assign(bertils, handler=julia, by=julia)
    aktiva = {"flik": "aktiva"}
    assert numbers(handler_client.get(INBOX, {**aktiva, "status": in_progress.pk})) == [
        bertils.number
    ]
    assert numbers(handler_client.get(INBOX, {**aktiva, "handlaggare": julia.pk})) == [
        bertils.number
    ]
    assert numbers(handler_client.get(INBOX, {**aktiva, "handlaggare": "ingen"})) == [
        annas_case.number
    ]
    today = timezone.localdate().isoformat()
    assert len(numbers(handler_client.get(INBOX, {**aktiva, "fran": today, "till": today}))) == 2
    assert numbers(handler_client.get(INBOX, {**aktiva, "fran": "2999-01-01"})) == []
    response = handler_client.get(INBOX, {**aktiva, "fran": "igår"})
    assert response.status_code == 200
    assert "Skriv datumet som ÅÅÅÅ-MM-DD." in response.content.decode()


def test_keyset_pagination_walks_every_case_once(handler_client, suggestion):
    citizens = make_citizens(PAGE_SIZE + 5)
    made = [submit_case(suggestion, citizen).number for citizen in citizens]
    seen = []
    response = handler_client.get(INBOX)
    while True:
        seen.extend(numbers(response))
        match = re.search(r'href="(\?[^"]*efter=[^"]*)" rel="next"', response.content.decode())
        if not match:
            break
        response = handler_client.get(INBOX + match.group(1).replace("&amp;", "&"))
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen)) == PAGE_SIZE + 5


def test_the_inbox_does_not_show_other_eservices_or_municipalities(
    client, staff_login, annas_case, cecilia, david
):
    for handler in (cecilia, david):
        staff_login(client, handler)
        assert numbers(client.get(INBOX, {"flik": "aktiva"})) == []
        assert "Alla aktiva (0)" in client.get(INBOX).content.decode()


def test_the_inbox_query_count_is_flat_in_the_number_of_cases(handler_client, suggestion, julia):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            response = handler_client.get(INBOX, {"flik": "aktiva"})
        assert response.status_code == 200
        return len(captured)

    citizens = make_citizens(40)
    case = submit_case(suggestion, citizens[0])
    services.assign(case, handler=julia, by=julia)
    count_queries()  # the first request after login also writes the session
    one = count_queries()
    for citizen in citizens[1:]:
        other = submit_case(suggestion, citizen)
        services.assign(other, handler=julia, by=julia)
    many = count_queries()
    assert one == many


def test_counts_past_the_cap_show_as_more_than(handler_client, suggestion, monkeypatch):
    from sjalvservice.backoffice import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for citizen in make_citizens(4):
        submit_case(suggestion, citizen)
    html = handler_client.get(INBOX).content.decode()
    assert "Att hantera (3+)" in html
    assert "Alla aktiva (3+)" in html
    assert "Avslutade (0)" in html
    # The page itself is not capped by the count.
    assert len(numbers(handler_client.get(INBOX))) == 4


def test_a_message_on_a_closed_case_needs_handling(handler_client, annas_case, anna, julia):
    services.set_status(annas_case, status=Status.objects.default_for(StatusKind.CLOSED), by=julia)
    assert numbers(handler_client.get(INBOX)) == []
    services.send_message(annas_case, by=anna, text="En fråga till om beslutet.")
    assert numbers(handler_client.get(INBOX)) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"flik": "avslutade"})) == [annas_case.number]
    assert numbers(handler_client.get(INBOX, {"flik": "aktiva"})) == []
    handler_client.get(reverse("backoffice:case", args=[annas_case.number]))
    assert numbers(handler_client.get(INBOX)) == []


def test_the_status_kind_follows_every_status_change(annas_case, anna, julia):
    assert Case.objects.get(pk=annas_case.pk).status_kind == StatusKind.SUBMITTED
    for kind in (StatusKind.IN_PROGRESS, StatusKind.AWAITING_SUPPLEMENT, StatusKind.CLOSED):
        services.set_status(
            annas_case, status=Status.objects.default_for(kind), by=julia, message="Läs detta."
        )
        stored = Case.objects.select_related("status").get(pk=annas_case.pk)
        assert stored.status_kind == stored.status.kind == kind


def test_a_municipality_administrator_sees_every_eservice_of_the_municipality(
    client, staff_login, annas_case, cecilia, david
):
    cecilia.is_municipality_admin = True
    cecilia.save()
    staff_login(client, cecilia)
    assert numbers(client.get(INBOX)) == [annas_case.number]
    david.is_municipality_admin = True
    david.save()
    staff_login(client, david)
    assert numbers(client.get(INBOX)) == []


@pytest.mark.parametrize(
    "params",
    [
        {"etjanst": "9" * 30},
        {"status": str(2**63)},
        {"handlaggare": "99999999999999999999999"},
        {"efter": "2026-13-45T00:00:00_1"},
        {"efter": "2026-01-01T00:00:00_" + "9" * 30},
    ],
)
def test_odd_filters_and_cursors_are_ignored(handler_client, annas_case, params):
    response = handler_client.get(INBOX, params)
    assert response.status_code == 200


def test_a_search_counts_its_matches_once(handler_client, suggestion, monkeypatch):
    from sjalvservice.backoffice import selectors

    citizens = make_citizens(3)
    for citizen in citizens:
        submit_case(suggestion, citizen)
    html = handler_client.get(INBOX, {"q": "Test"}).content.decode()
    assert "Att hantera (3)" in html
    assert "Avslutade (0)" in html
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 2)
    html = handler_client.get(INBOX, {"q": "Test"}).content.decode()
    # Only the first three matches were counted: what the tabs say is a lower bound.
    assert "Att hantera (2+)" in html
    assert "Avslutade (0+)" in html


@pytest.mark.parametrize(
    ("fran", "till", "found"),
    [("0001-01-01", "", True), ("", "9999-12-31", True), ("9999-12-31", "", False),
     ("", "0001-01-01", False), ("0001-01-01", "9999-12-31", True)],
)  # fmt: skip
def test_dates_at_the_ends_of_the_calendar_filter_as_any_other(
    handler_client, annas_case, fran, till, found
):
    response = handler_client.get(INBOX, {"flik": "aktiva", "fran": fran, "till": till})
    assert response.status_code == 200
    assert numbers(response) == ([annas_case.number] if found else [])


@pytest.mark.parametrize("text", ["²", "١٢", "Test\x00ersson", "\x00"])
def test_a_search_for_odd_digits_or_control_characters_answers(handler_client, annas_case, text):
    response = handler_client.get(INBOX, {"flik": "aktiva", "q": text})
    assert response.status_code == 200

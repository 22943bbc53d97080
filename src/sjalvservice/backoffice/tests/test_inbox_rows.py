"""What an inbox row shows: one link to the case over the whole row, the e-service with
the case's short title, and flags for what needs the handler's eye."""

import re

import pytest
from django.urls import reverse

from sjalvservice.backoffice.selectors import InboxQuery, filter_choices, inbox
from sjalvservice.cases import services
from sjalvservice.cases.models import Case, Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS

INBOX = reverse("backoffice:inbox")


@pytest.fixture
def handler_client(client, staff_login, julia):
    return staff_login(client, julia)


def row_of(html, number):
    """The ``<tr>`` of case ``number``."""
    for row in re.findall(r"<tr class=\"govuk-table__row sjs-inbox__row\">.*?</tr>", html, re.S):
        if f'href="/handlaggare/arenden/{number}/"' in row:
            return row
    raise AssertionError(f"no row for case {number}")


def page_rows(julia, **params):
    return inbox(julia, InboxQuery.from_params(params), filter_choices(julia)).rows


def test_the_row_is_one_link_to_the_case_made_clickable_by_its_class(handler_client, annas_case):
    row = row_of(handler_client.get(INBOX).content.decode(), annas_case.number)
    links = re.findall(r"<a [^>]*>", row)
    assert links == [
        f'<a class="govuk-link sjs-inbox__link" href="/handlaggare/arenden/{annas_case.number}/">'
    ]
    assert "<script" not in row


def test_the_row_shows_the_e_service_and_the_cases_short_title(handler_client, annas_case):
    assert annas_case.title == "Fler bänkar"
    row = row_of(handler_client.get(INBOX).content.decode(), annas_case.number)
    assert "Medborgarförslag" in row
    assert '<span class="sjs-inbox__title">Fler bänkar</span>' in row


def test_a_case_without_a_title_shows_only_the_e_service(handler_client, suggestion, bertil):
    case = services.submit(services.start_draft(suggestion, owner=bertil), by=bertil, answers={})
    assert case.title == ""
    row = row_of(handler_client.get(INBOX).content.decode(), case.number)
    assert "Medborgarförslag" in row
    assert "sjs-inbox__title" not in row


def test_a_title_is_escaped(handler_client, suggestion, bertil):
    answers = {**ANSWERS, "rubrik": "<b>Fet</b> rubrik"}
    case = services.submit(
        services.start_draft(suggestion, owner=bertil), by=bertil, answers=answers
    )
    row = row_of(handler_client.get(INBOX).content.decode(), case.number)
    assert "&lt;b&gt;Fet&lt;/b&gt; rubrik" in row
    assert "<b>" not in row


def test_a_supplemented_case_is_flagged(handler_client, annas_case, anna, julia):
    html = handler_client.get(INBOX).content.decode()
    assert "Komplettering inkommen" not in row_of(html, annas_case.number)

    awaiting = services.status_for(annas_case, StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(annas_case, status=awaiting, by=julia, message="Bifoga en karta.")
    services.supplement(annas_case, by=anna, answers=ANSWERS)
    row = row_of(handler_client.get(INBOX).content.decode(), annas_case.number)
    assert '<strong class="govuk-tag govuk-tag--blue">Komplettering inkommen</strong>' in row
    assert page_rows(julia)[0].supplemented


def test_a_case_with_an_unread_message_from_the_citizen_is_flagged_until_read(
    handler_client, annas_case, anna
):
    services.send_message(annas_case, by=anna, text="Hur går det?")
    row = row_of(handler_client.get(INBOX).content.decode(), annas_case.number)
    assert '<strong class="govuk-tag govuk-tag--red">Oläst meddelande</strong>' in row

    handler_client.get(reverse("backoffice:case", args=[annas_case.number]))
    row = row_of(handler_client.get(INBOX, {"flik": "aktiva"}).content.decode(), annas_case.number)
    assert "Oläst meddelande" not in row


def test_every_cell_carries_its_columns_name_for_narrow_screens(handler_client, annas_case):
    html = handler_client.get(INBOX).content.decode()
    assert 'class="govuk-table sjs-stacked-table sjs-inbox"' in html
    row = row_of(html, annas_case.number)
    labels = re.findall(r'<td class="govuk-table__cell" data-label="([^"]+)">', row)
    assert labels == ["Ärende", "E-tjänst", "Sökande", "Status", "Senaste händelse", "Handläggare"]


def test_the_inbox_speaks_of_the_applicant_not_the_customer(handler_client, annas_case):
    html = handler_client.get(INBOX).content.decode()
    assert "Sökande" in html
    assert "kund" not in html.lower().replace("sekund", "")


def test_the_page_fetches_the_title_with_the_other_columns_in_one_query(
    julia, annas_case, django_assert_num_queries
):
    choices = filter_choices(julia)
    query = InboxQuery.from_params({})
    with django_assert_num_queries(2):  # the counts, and the page
        rows = inbox(julia, query, choices).rows
    assert [row.title for row in rows] == ["Fler bänkar"]


def test_another_status_leaves_the_row_unflagged(handler_client, annas_case, julia):
    services.set_status(
        annas_case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia
    )
    row = row_of(handler_client.get(INBOX, {"flik": "aktiva"}).content.decode(), annas_case.number)
    assert "govuk-tag" not in row
    assert Case.objects.get(pk=annas_case.pk).status_kind == StatusKind.IN_PROGRESS

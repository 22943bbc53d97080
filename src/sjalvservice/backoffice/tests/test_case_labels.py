"""The case page names each box for what it does, and calls the resident a resident."""

import re

import pytest
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import StatusKind


@pytest.fixture
def handler_client(client, staff_login, julia):
    return staff_login(client, julia)


def case_page(handler_client, case):
    return handler_client.get(reverse("backoffice:case", args=[case.number])).content.decode()


def labels(html):
    """The text of every label, without what it marks up (such as "(frivilligt)")."""
    found = re.findall(r'<label class="govuk-label[^"]*" for="[^"]+">(.*?)</label>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>|\(.*?\)", "", label).split()) for label in found]


def test_the_two_message_boxes_have_labels_that_say_what_each_is(handler_client, annas_case):
    found = labels(case_page(handler_client, annas_case))
    assert "Meddelande som skickas med statusändringen" in found
    assert "Meddelande till invånaren" in found
    assert len(found) == len(set(found)), found


def test_the_case_page_has_no_customer(handler_client, annas_case, anna):
    services.send_message(annas_case, by=anna, text="Hej!")
    html = case_page(handler_client, annas_case)
    assert "kund" not in html.lower().replace("sekund", "")
    assert '<dt class="govuk-summary-list__key">Sökande</dt>' in html
    assert "från invånaren" in html


def test_asking_for_a_supplement_without_a_message_names_the_resident(handler_client, annas_case):
    awaiting = services.status_for(annas_case, StatusKind.AWAITING_SUPPLEMENT)
    response = handler_client.post(
        reverse("backoffice:change_status", args=[annas_case.number]),
        {"version": annas_case.version, "status": awaiting.pk, "message": ""},
    )
    assert response.status_code == 400
    assert "Skriv vad invånaren ska komplettera" in response.content.decode()


def test_a_sent_message_is_confirmed_as_sent_to_the_resident(handler_client, annas_case):
    response = handler_client.post(
        reverse("backoffice:send_message", args=[annas_case.number]),
        {
            "version": annas_case.version,
            "token": "0b6c1e2a-8d4f-4f1e-9a3b-5c7d9e1f2a34",
            "text": "Vi har tagit emot ditt förslag.",
        },
        follow=True,
    )
    assert "Meddelandet är skickat till invånaren." in response.content.decode()

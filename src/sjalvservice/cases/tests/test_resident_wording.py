"""Words towards residents: "du" and "handläggaren", never "kund"; and "Mina meddelanden"
telling each case's e-service, number, what happened and when, linking to the message."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sjalvservice.cases import services
from sjalvservice.cases.models import CaseEvent, Message, Status, StatusKind

ANSWERS = {"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "har_bilaga": "nej"}
KUND = re.compile(r"\bkund(en|ens)?\b", re.IGNORECASE)
MY_PAGES = "/mina-sidor/"
NEWS = "/mina-sidor/meddelanden/"


def submit(suggestion, owner):
    case = services.start_draft(suggestion, owner=owner)
    services.save_draft(
        case, answers=ANSWERS, current_step="forslag",
        completed_steps=["personuppgifter", "forslag"],
    )  # fmt: skip
    return services.submit(case, by=owner, answers=ANSWERS)


def awaiting():
    return Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)


@pytest.fixture
def busy_case(suggestion, anna, julia):
    """Anna's case with messages both ways and an event of every kind, awaiting a
    supplement."""
    case = submit(suggestion, anna)
    services.send_message(case, by=anna, text="Hej, en fråga.")
    services.send_message(case, by=julia, text="Hej Anna!")
    for kind in CaseEvent.Kind:
        CaseEvent.objects.create(
            case=case, kind=kind, status=case.status, person=julia, person_name="Julia Landsell"
        )
    return services.set_status(
        case, status=awaiting(), by=julia, message="Beskriv var bänkarna ska stå."
    )


def citizen_pages(case):
    return [
        MY_PAGES,
        NEWS,
        reverse("cases:ongoing"),
        reverse("cases:closed"),
        reverse("cases:drafts"),
        reverse("cases:case", args=[case.number]),
        reverse("cases:messages", args=[case.number]),
        reverse("cases:messages", args=[case.number]) + "?nytt=1",
        reverse("cases:show", args=[case.number]),
        reverse("cases:step", args=[case.reference, "personuppgifter"]),
        reverse("cases:step", args=[case.reference, "forslag"]),
        reverse("cases:preview", args=[case.reference]),
        reverse("cases:personal_data"),
    ]


def test_no_citizen_page_of_a_case_calls_the_resident_kund(client, busy_case, anna):
    client.force_login(anna)
    for url in citizen_pages(busy_case):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        found = KUND.search(html)
        assert found is None, (url, html[max(found.start() - 80, 0) : found.end() + 80])


def test_the_personal_data_export_names_the_events_as_the_resident_reads_them(
    client, busy_case, anna
):
    client.force_login(anna)
    data = client.get(reverse("cases:personal_data_json")).content.decode()
    assert "Meddelande från handläggaren" in data
    assert "Ditt meddelande" in data
    assert KUND.search(data) is None


def test_the_word_check_finds_kund_where_it_is():
    assert KUND.search("Meddelande från kund")
    assert KUND.search("till Kunden.")
    assert KUND.search("kundens svar")
    assert not KUND.search("Det kunde inte skickas")


def test_the_history_names_the_events_as_the_resident_reads_them(client, busy_case, anna):
    client.force_login(anna)
    html = client.get(reverse("cases:case", args=[busy_case.number])).content.decode()
    history = html.split("Ärendehistorik</h2>")[1]
    assert "Meddelande från handläggaren" in history
    assert "Ditt meddelande" in history


def test_handlers_keep_their_words_with_invanaren_instead_of_kund():
    assert CaseEvent.Kind.MESSAGE_TO_CITIZEN.label == "Meddelande skickat till invånaren"
    assert CaseEvent.Kind.MESSAGE_FROM_CITIZEN.label == "Meddelande från invånaren"
    assert Message.Direction.FROM_CITIZEN.label == "Från invånaren"
    assert not any(KUND.search(str(label)) for _, label in CaseEvent.Kind.choices)
    assert not any(KUND.search(str(label)) for _, label in Message.Direction.choices)


def test_the_residents_own_message_is_from_du(client, busy_case, anna):
    client.force_login(anna)
    html = client.get(reverse("cases:messages", args=[busy_case.number])).content.decode()
    own = busy_case.messages.get(direction=Message.Direction.FROM_CITIZEN)
    card = html.split(f'id="meddelande-{own.pk}-rubrik">')[1].split("</h3>")[0]
    assert card.strip() == "Du"


# "Mina meddelanden".


def news_rows(html):
    table = html.split("<tbody")[1].split("</tbody>")[0]
    return table.split('<tr class="govuk-table__row">')[1:]


def test_a_row_tells_the_e_service_number_what_happened_and_when(client, suggestion, anna, julia):
    case = submit(suggestion, anna)
    services.send_message(case, by=julia, text="Hej Anna!")
    message = case.messages.get()
    client.force_login(anna)
    [row] = news_rows(client.get(NEWS).content.decode())
    assert 'data-label="E-tjänst">Medborgarförslag</td>' in row
    assert f'data-label="Ärendenummer">{case.number}</th>' in row
    link = reverse("cases:messages", args=[case.number]) + f"#meddelande-{message.pk}"
    assert f'<a class="govuk-link" href="{link}">Handläggaren skrev ett meddelande' in row
    day = date_format(timezone.localtime(message.created_at), "j b Y")
    assert f"{day}</time>" in row


def test_a_supplement_request_links_to_the_message_that_asks(client, suggestion, anna, julia):
    case = submit(suggestion, anna)
    services.set_status(case, status=awaiting(), by=julia, message="Lägg till en karta.")
    message = case.messages.get()
    client.force_login(anna)
    [row] = news_rows(client.get(MY_PAGES).content.decode().split('id="mina-meddelanden"')[1])
    link = reverse("cases:messages", args=[case.number]) + f"#meddelande-{message.pk}"
    assert f'href="{link}">Väntar på komplettering<' in row
    assert f'href="{link}">Handläggaren skrev ett meddelande<' in row


def test_each_message_event_links_to_its_own_message(client, suggestion, anna, julia):
    case = submit(suggestion, anna)
    for number in range(5):
        services.send_message(case, by=julia if number % 2 else anna, text=f"Nummer {number}")
    client.force_login(anna)
    [row] = news_rows(client.get(NEWS).content.decode())
    newest = list(case.messages.order_by("-created_at", "-pk"))[:3]
    links = re.findall(r"#meddelande-(\d+)", row)
    assert links == [str(message.pk) for message in reversed(newest)]
    assert row.count("Du skrev ett meddelande") == 2  # numbers 2 and 4 of the last three
    assert row.count("Handläggaren skrev ett meddelande") == 1


def test_the_message_links_to_is_its_own_target_on_the_case_page(client, suggestion, anna, julia):
    case = submit(suggestion, anna)
    services.send_message(case, by=julia, text="Hej Anna!")
    message = case.messages.get()
    client.force_login(anna)
    html = client.get(reverse("cases:messages", args=[case.number])).content.decode()
    assert html.count(f'id="meddelande-{message.pk}"') == 1
    assert f'<article class="govuk-summary-card sjs-message" id="meddelande-{message.pk}"' in html


def test_mina_meddelanden_shows_nothing_of_bertils_cases(client, suggestion, anna, bertil, julia):
    theirs = submit(suggestion, bertil)
    services.send_message(theirs, by=julia, text="Hemligt")
    client.force_login(anna)
    html = client.get(NEWS).content.decode()
    assert f"#meddelande-{theirs.messages.get().pk}" not in html
    assert "Du har inga meddelanden" in html


def test_the_new_columns_cost_a_fixed_number_of_queries(
    client, suggestion, anna, julia, django_assert_num_queries
):
    submit(suggestion, anna)
    client.force_login(anna)
    client.get(NEWS)  # warm up: the first request fills caches
    # Session and user, the page of cases, their latest events, their latest messages
    # (for the links), their unread counts and the unseen notices.
    with django_assert_num_queries(7):
        client.get(NEWS)
    for _ in range(15):
        case = submit(suggestion, anna)
        services.send_message(case, by=julia, text="Hej!")
        services.set_status(case, status=awaiting(), by=julia, message="Mer, tack.")
    with django_assert_num_queries(7):
        html = client.get(NEWS).content.decode()
    assert html.count("Väntar på komplettering<") == 15

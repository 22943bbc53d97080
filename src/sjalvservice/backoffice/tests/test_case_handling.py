"""A handler working a case: open, assign, message, note, change status, concurrency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Case, CaseEvent, Message, Note, Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.core.models import AccessLog


@pytest.fixture
def handler_client(client, staff_login, julia):
    return staff_login(client, julia)


def url(name, case, *args):
    return reverse(f"backoffice:{name}", args=[case.number, *args])


def test_opening_a_case_shows_the_answers_and_logs_the_access(handler_client, annas_case, julia):
    response = handler_client.get(url("case", annas_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Fler bänkar" in html
    assert "Anna Testersson" in html
    assert "19810105-9825" in html
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.case_number) == (julia, "case", annas_case.number)
    assert log.municipality == annas_case.municipality
    assert log.ip_address == "127.0.0.1"


def test_assign_me_records_the_handler_and_the_event(handler_client, annas_case, julia):
    response = handler_client.post(
        url("assign", annas_case), {"version": annas_case.version, "assign_me": "1"}
    )
    assert response.status_code == 302
    annas_case.refresh_from_db()
    assert annas_case.handler == julia
    event = annas_case.events.last()
    assert (event.kind, event.person, event.person_name) == (
        CaseEvent.Kind.HANDLER_ASSIGNED,
        julia,
        "Julia Landsell",
    )


def test_a_colleague_without_the_eservice_cannot_be_assigned(handler_client, annas_case, cecilia):
    response = handler_client.post(
        url("assign", annas_case), {"version": annas_case.version, "handler": cecilia.pk}
    )
    assert response.status_code == 400
    annas_case.refresh_from_db()
    assert annas_case.handler is None


def test_asking_for_a_supplement_needs_a_message(handler_client, annas_case):
    awaiting = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    response = handler_client.post(
        url("change_status", annas_case),
        {"version": annas_case.version, "status": awaiting.pk, "message": "  "},
    )
    assert response.status_code == 400
    assert "Skriv vad invånaren ska komplettera" in response.content.decode()
    assert 'href="#status-message"' in response.content.decode()
    annas_case.refresh_from_db()
    assert annas_case.status.kind == StatusKind.SUBMITTED


def test_asking_for_a_supplement_sends_the_message_first(
    handler_client, client, annas_case, anna, julia
):
    awaiting = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    response = handler_client.post(
        url("change_status", annas_case),
        {"version": annas_case.version, "status": awaiting.pk, "message": "Ange platsen."},
    )
    assert response.status_code == 302
    annas_case.refresh_from_db()
    assert annas_case.status == awaiting
    kinds = list(annas_case.events.values_list("kind", "status__name", "person_name"))
    assert kinds[-2:] == [
        (CaseEvent.Kind.MESSAGE_TO_CITIZEN, "Inskickat", "Julia Landsell"),
        (CaseEvent.Kind.STATUS_CHANGED, "Väntar på komplettering", "Julia Landsell"),
    ]
    message = Message.objects.get()
    assert (message.text, message.sender, message.from_citizen) == ("Ange platsen.", julia, False)


def test_the_supplement_comes_back_to_att_hantera_with_the_change_marked(
    handler_client, annas_case, anna, julia
):
    services.set_status(
        annas_case,
        status=Status.objects.default_for(StatusKind.IN_PROGRESS),
        by=julia,
    )
    inbox = handler_client.get(reverse("backoffice:inbox")).content.decode()
    assert f">{annas_case.number}</a>" not in inbox
    services.set_status(
        annas_case,
        status=Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT),
        by=julia,
        message="Ange platsen.",
    )
    services.supplement(annas_case, by=anna, answers={**ANSWERS, "beskrivning": "Vid bron."})
    inbox = handler_client.get(reverse("backoffice:inbox")).content.decode()
    assert f">{annas_case.number}</a>" in inbox
    assert "Kompletterat" in inbox
    html = handler_client.get(url("case", annas_case)).content.decode()
    assert "Kompletterat" in html
    assert "Vid bron." in html
    assert "Tidigare: Vid älven." in html
    assert html.count("Ändrat</strong>") == 1


def test_two_handlers_acting_at_once_the_second_is_told_to_reload(
    handler_client, annas_case, julia
):
    shown = annas_case.version
    in_progress = Status.objects.default_for(StatusKind.IN_PROGRESS)
    closed = Status.objects.default_for(StatusKind.CLOSED)
    first = handler_client.post(
        url("change_status", annas_case), {"version": shown, "status": in_progress.pk}
    )
    assert first.status_code == 302
    second = handler_client.post(
        url("change_status", annas_case),
        {"version": shown, "status": closed.pk, "message": "Beslut fattat."},
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Någon annan har ändrat ärendet" in html
    assert "Beslut fattat." in html  # what the handler wrote is still there
    annas_case.refresh_from_db()
    assert annas_case.status == in_progress
    assert not Message.objects.exists()


def test_a_message_sent_twice_is_stored_once(handler_client, annas_case):
    data = {
        "version": annas_case.version,
        "text": "Vi har tagit emot ditt förslag.",
        "token": "6b0a8c4e-3b7e-4a51-9d2a-0d4b7f1f2a10",
    }
    assert handler_client.post(url("send_message", annas_case), data).status_code == 302
    again = handler_client.post(url("send_message", annas_case), data)
    # The second post carries the version from before the first: it is stale, or the same
    # token; either way one message.
    assert again.status_code in {302, 409}
    assert Message.objects.count() == 1


def test_internal_notes_are_never_shown_to_the_citizen(
    handler_client, client, annas_case, anna, django_user_model
):
    response = handler_client.post(
        url("add_note", annas_case),
        {"text": "Ring förvaltningen först.", "token": "7c1b9d5f-4c8f-4b62-8e3b-1e5c8a2f3b21"},
    )
    assert response.status_code == 302
    assert Note.objects.get().text == "Ring förvaltningen först."
    assert not annas_case.events.filter(details__contains="Ring").exists()
    handler_html = handler_client.get(url("case", annas_case)).content.decode()
    assert "Ring förvaltningen först." in handler_html
    client.logout()
    client.force_login(anna)
    for name in ("cases:case", "cases:show", "cases:messages"):
        citizen_html = client.get(reverse(name, args=[annas_case.number])).content.decode()
        assert "Ring förvaltningen" not in citizen_html


def test_a_status_of_another_municipality_is_refused(handler_client, annas_case, lycksele):
    foreign = Status.objects.create(
        name="Beviljat i Lycksele", kind="CLOSED", municipality=lycksele
    )
    response = handler_client.post(
        url("change_status", annas_case), {"version": annas_case.version, "status": foreign.pk}
    )
    assert response.status_code == 400
    annas_case.refresh_from_db()
    assert annas_case.status.kind == StatusKind.SUBMITTED


def test_opening_the_case_marks_the_citizens_messages_read(handler_client, annas_case, anna):
    services.send_message(annas_case, by=anna, text="När får jag svar?")
    annas_case.refresh_from_db()
    assert annas_case.handler_unread
    handler_client.get(url("case", annas_case))
    annas_case.refresh_from_db()
    assert not annas_case.handler_unread
    assert Message.objects.get().read_at is not None


def test_the_handler_sees_when_the_citizen_has_read_a_message(
    handler_client, client, annas_case, anna, julia
):
    services.send_message(annas_case, by=julia, text="Vi behöver en karta.")
    assert "Inte läst av invånaren" in handler_client.get(url("case", annas_case)).content.decode()
    services.mark_read(Case.objects.get(pk=annas_case.pk), by=anna)
    html = handler_client.get(url("case", annas_case)).content.decode()
    assert "Inte läst av invånaren" not in html
    assert "läst av invånaren" in html


def test_asking_through_the_back_office_gives_the_citizen_andra_arende(
    handler_client, client, annas_case, anna
):
    from django.test import Client

    citizen = Client()
    citizen.force_login(anna)
    page = reverse("cases:case", args=[annas_case.number])
    assert "Ändra ärende" not in citizen.get(page).content.decode()
    awaiting = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    handler_client.post(
        url("change_status", annas_case),
        {"version": annas_case.version, "status": awaiting.pk, "message": "Ange platsen."},
    )
    html = citizen.get(page).content.decode()
    assert "Ändra ärende" in html
    assert "Julia Landsell" in html


def test_the_case_page_query_count_is_flat(handler_client, annas_case, anna, julia):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            response = handler_client.get(url("case", annas_case))
        assert response.status_code == 200
        return len(captured)

    services.send_message(annas_case, by=anna, text="Fråga")
    count_queries()  # the first request after login also writes the session
    one = count_queries()
    for index in range(20):
        services.send_message(annas_case, by=anna, text=f"Fråga {index}")
        services.send_message(annas_case, by=julia, text=f"Svar {index}")
        services.add_note(annas_case, by=julia, text=f"Anteckning {index}")
    # The first look after new citizen messages also marks them read and clears the
    # case's unread marker (one update each, in a savepoint).
    assert count_queries() == one + 4
    assert count_queries() == one
    # Session, user and second factor; the case (within the handler's e-services); the
    # access log; revisions, colleagues, events, messages and their files, notes, notices,
    # reply templates, the case-management systems' ids; the statuses the case may be given.
    assert one == 15


def test_a_reply_template_fills_in_the_message(handler_client, annas_case, suggestion, lycksele):
    from sjalvservice.backoffice.models import ReplyTemplate
    from sjalvservice.eservices.models import Category, EService

    template = ReplyTemplate.objects.create(
        eservice=suggestion, title="Mottaget", text="Vi har tagit emot ditt förslag."
    )
    other = EService.objects.create(
        municipality=lycksele, category=Category.objects.first(), slug="annat", title="Annat"
    )
    foreign = ReplyTemplate.objects.create(eservice=other, title="Annat", text="Hemlig text.")
    html = handler_client.get(url("case", annas_case), {"mall": template.pk}).content.decode()
    assert "Vi har tagit emot ditt förslag.</textarea>" in html
    html = handler_client.get(url("case", annas_case), {"mall": foreign.pk}).content.decode()
    assert "Hemlig text." not in html


def test_the_handler_is_offered_every_status_of_the_definition_once(handler_client, annas_case):
    html = handler_client.get(url("case", annas_case)).content.decode()
    names = ["Inskickat", "Under behandling", "Väntar på komplettering", "Kompletterat", "Avslutat"]
    for name in names:
        assert html.count(f">{name}</option>") == 1
    assert [html.index(f">{name}</option>") for name in names] == sorted(
        html.index(f">{name}</option>") for name in names
    )
    assert ">Sparat</option>" not in html


def test_the_reload_message_links_to_the_form_it_belongs_to(handler_client, annas_case):
    stale = annas_case.version
    handler_client.post(url("add_note", annas_case), {"text": "x"})  # notes do not bump
    services.assign(annas_case, handler=None, by=annas_case.owner)  # no change: no bump
    in_progress = Status.objects.default_for(StatusKind.IN_PROGRESS)
    handler_client.post(
        url("change_status", annas_case), {"version": stale, "status": in_progress.pk}
    )
    response = handler_client.post(
        url("send_message", annas_case),
        {"version": stale, "text": "Hej", "token": "8d2c0e6a-5d9f-4c73-9f4c-2f6d9b3c4e32"},
    )
    assert response.status_code == 409
    assert '<a href="#meddelande-text">Någon annan har ändrat ärendet' in response.content.decode()


@pytest.mark.parametrize("name", ["assign", "change_status", "send_message", "add_note"])
def test_every_action_needs_the_csrf_token(staff_login, julia, annas_case, name):
    from django.test import Client

    strict = staff_login(Client(enforce_csrf_checks=True), julia)
    data = {"version": annas_case.version, "assign_me": "1", "text": "Hej",
            "status": Status.objects.default_for(StatusKind.CLOSED).pk}  # fmt: skip
    assert strict.post(url(name, annas_case), data).status_code == 403
    annas_case.refresh_from_db()
    assert annas_case.status.kind == StatusKind.SUBMITTED
    assert annas_case.handler is None
    assert not Message.objects.exists()
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [("case", "post"), ("case_pdf", "post"), ("assign", "get"), ("change_status", "get"),
     ("send_message", "get"), ("add_note", "get"), ("inbox", "post")],
)  # fmt: skip
def test_the_wrong_method_is_refused(handler_client, annas_case, name, method):
    target = reverse("backoffice:inbox") if name == "inbox" else url(name, annas_case)
    assert getattr(handler_client, method)(target).status_code == 405


def test_an_english_handler_gets_the_conflict_message_in_english(handler_client, annas_case):
    stale = annas_case.version
    services.assign(annas_case, handler=None, by=annas_case.owner)
    services.set_status(
        annas_case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=annas_case.owner
    )
    handler_client.get(reverse("core:language", args=["en"]))
    response = handler_client.post(
        url("send_message", annas_case),
        {"version": stale, "text": "Hello", "token": "8d2c0e6a-5d9f-4c73-9f4c-2f6d9b3c4e33"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else has changed the case since you opened it." in html
    assert "Någon annan har ändrat ärendet" not in html


def test_the_handler_attaches_files_through_the_same_checks_as_the_citizen(
    handler_client, annas_case
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sjalvservice.cases.models import Attachment
    from sjalvservice.cases.tests.test_messages import pdf

    response = handler_client.post(
        url("send_message", annas_case),
        {"version": annas_case.version, "text": "Se bilagan.",
         "token": "8d2c0e6a-5d9f-4c73-9f4c-2f6d9b3c4e34", "attachments": [pdf()]},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("name", flat=True)) == ["brev.pdf"]

    fake = SimpleUploadedFile("bild.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    annas_case.refresh_from_db()
    response = handler_client.post(
        url("send_message", annas_case),
        {"version": annas_case.version, "text": "Igen.",
         "token": "8d2c0e6a-5d9f-4c73-9f4c-2f6d9b3c4e35", "attachments": [fake]},
    )  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#meddelande-attachments">' in html
    assert Message.objects.filter(text="Igen.").count() == 0
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("wanted", ["²", "١٢", "9" * 40, "-1"])
def test_a_reply_template_asked_for_with_something_else_than_its_number_is_ignored(
    handler_client, annas_case, wanted
):
    response = handler_client.get(url("case", annas_case), {"mall": wanted})
    assert response.status_code == 200

"""E-services that book a resource ("tidsbokning") or put the applicant in a queue."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sjalvservice.cases import services
from sjalvservice.cases.models import Case, CaseEvent, Status, StatusKind
from sjalvservice.eservices.definitions import DefinitionError, parse_definition
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.services import PublishError, publish_version
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Booking, QueuePlace
from sjalvservice.reservations.tests.fixtures import citizens, in_two_days_at

BOOKING = {
    "schema_version": 1,
    "title": "Boka lokal",
    "steps": [
        {"key": "tid", "title": "Välj tid", "fields": [
            {"key": "bokad_tid", "type": "booking", "label": "Välj en tid", "resource": "lyckan",
             "required": True},
        ]},
        {"key": "motet", "title": "Om mötet", "fields": [
            {"key": "syfte", "type": "text", "label": "Vad ska rummet användas till?",
             "required": True},
        ]},
    ],
}  # fmt: skip

QUEUE = {
    "schema_version": 1,
    "title": "Ansökan om båtplats",
    "steps": [
        {"key": "bat", "title": "Båten", "fields": [
            {"key": "langd", "type": "number", "label": "Båtens längd", "required": True},
        ]},
    ],
    "queue": {"slug": "batplatser"},
}  # fmt: skip


def make_eservice(municipality, category, slug, definition, *, requires_login=True):
    eservice = EService.objects.create(
        municipality=municipality, category=category, slug=slug, title=definition["title"],
        requires_login=requires_login,
    )  # fmt: skip
    publish_version(eservice, definition)
    return eservice


@pytest.fixture
def room_booking(lycksele, category, lyckan):
    return make_eservice(lycksele, category, "boka-lokal", BOOKING)


@pytest.fixture
def boat_application(lycksele, category, boat_places):
    return make_eservice(lycksele, category, "batplats", QUEUE)


def step_url(case, key):
    return reverse("cases:step", kwargs={"reference": case.reference, "step_key": key})


def preview_url(case):
    return reverse("cases:preview", kwargs={"reference": case.reference})


def monday_of(moment):
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


def choose(client, eservice, starts_at, purpose="Styrelsemöte"):
    """Pick ``starts_at`` on the first step and fill in the second; the draft."""
    response = client.post(
        f"/tjanster/{eservice.slug}/starta/", {"bokad_tid": starts_at.isoformat()}
    )
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.filter(eservice=eservice).latest("created_at")
    assert client.post(step_url(case, "motet"), {"syfte": purpose}).status_code == 302
    return case


# --- The definition ----------------------------------------------------------------------


def test_a_booking_field_stands_alone_on_its_step_and_once_per_eservice():
    definition = {**BOOKING, "steps": [
        {"key": "tid", "title": "Tid", "fields": [
            {"key": "bokad_tid", "type": "booking", "label": "Tid", "resource": "lyckan"},
            {"key": "om", "type": "info", "label": "Om", "text": "Info går bra."},
            {"key": "namn", "type": "text", "label": "Namn"},
        ]},
        {"key": "igen", "title": "Igen", "fields": [
            {"key": "andra_tiden", "type": "booking", "label": "Tid", "resource": "lyckan"},
        ]},
    ]}  # fmt: skip
    with pytest.raises(DefinitionError) as raised:
        parse_definition(definition)
    messages = {problem.path: problem.message for problem in raised.value.problems}
    assert "flytta 'namn' till ett annat steg" in messages["steps[0].fields[0].type"]
    assert "bara finnas en tidsbokning" in messages["steps[1].fields[0].type"]


def test_a_queue_is_joined_at_submission_or_at_a_status_the_eservice_has():
    assert parse_definition(QUEUE).queue.status is None
    assert parse_definition({**QUEUE, "queue": {"slug": "batplatser", "status": "Avslutat"}})
    with pytest.raises(DefinitionError) as raised:
        parse_definition({**QUEUE, "queue": {"slug": "batplatser", "status": "Beviljat"}})
    (problem,) = raised.value.problems
    assert problem.path == "queue.status"
    assert "'Avslutat'" in problem.message


def test_a_definition_without_a_queue_keeps_its_document_and_hash():
    document = parse_definition({**QUEUE, "queue": None}).to_document()
    assert "queue" not in document
    assert parse_definition(QUEUE).to_document()["queue"] == {"slug": "batplatser", "status": None}


def test_publishing_needs_the_municipalitys_resource_and_queue_and_a_login(
    lycksele, skelleftea, category, lyckan, boat_places
):
    elsewhere = EService.objects.create(
        municipality=skelleftea, category=category, slug="boka", title="Boka"
    )
    with pytest.raises(PublishError, match="ingen bokningsbar resurs med kortnamnet lyckan"):
        publish_version(elsewhere, BOOKING)
    with pytest.raises(PublishError, match="ingen kö med kortnamnet batplatser"):
        publish_version(elsewhere, QUEUE)
    open_to_all = EService.objects.create(
        municipality=lycksele, category=category, slug="oppen", title="Öppen",
        requires_login=False,
    )  # fmt: skip
    with pytest.raises(PublishError, match="måste kräva inloggning"):
        publish_version(open_to_all, BOOKING)
    booking = make_eservice(lycksele, category, "boka-lokal", BOOKING)
    assert list(booking.resources.all()) == [lyckan]
    assert list(booking.queues.all()) == []
    publish_version(booking, {**BOOKING, "title": "Boka rum", "steps": BOOKING["steps"][1:]})
    assert list(booking.resources.all()) == []  # the current version books nothing


# --- Booking through the e-service -------------------------------------------------------


def test_the_step_shows_a_week_of_free_slots_and_moves_between_weeks(
    client, room_booking, lyckan, anna, bertil
):
    taken = in_two_days_at(10)
    reservations.book(lyckan, bertil, taken)
    client.force_login(anna)
    html = client.get(f"/tjanster/boka-lokal/starta/?vecka={monday_of(taken)}").content.decode()
    assert "Sammanträdesrum Lyckan" in html
    assert f'value="{in_two_days_at(9).isoformat()}"' in html
    assert f'value="{taken.isoformat()}"' not in html  # Bertil has it
    assert f"Vecka {monday_of(taken).isocalendar().week}," in html
    next_week = monday_of(taken) + datetime.timedelta(days=7)
    assert f'href="?vecka={next_week}#id_bokad_tid_vecka"' in html
    later = client.get(f"/tjanster/boka-lokal/starta/?vecka={next_week}").content.decode()
    assert f'value="{in_two_days_at(9).isoformat()}"' not in later
    assert f'value="{(in_two_days_at(9) + datetime.timedelta(days=7)).isoformat()}"' in later
    # Weeks before this one and beyond the horizon (30 days) are not shown.
    past = client.get("/tjanster/boka-lokal/starta/?vecka=2020-01-06").content.decode()
    assert "Föregående vecka" not in past
    far = client.get("/tjanster/boka-lokal/starta/?vecka=2099-01-05").content.decode()
    assert "Nästa vecka" not in far
    assert "Föregående vecka" in far


def test_a_chosen_time_is_previewed_and_booked_when_the_case_is_sent(
    client, room_booking, lyckan, anna
):
    client.force_login(anna)
    case = choose(client, room_booking, in_two_days_at(14))
    case.refresh_from_db()
    assert case.answers["bokad_tid"] == {
        "resource": "lyckan", "resource_name": "Sammanträdesrum Lyckan", "address": "",
        "starts_at": in_two_days_at(14).isoformat(),
        "ends_at": (in_two_days_at(14) + datetime.timedelta(hours=1)).isoformat(),
    }  # fmt: skip
    assert not Booking.objects.exists()  # a draft books nothing
    preview = client.get(preview_url(case)).content.decode()
    assert "kl. 14:00–15:00" in preview
    # Back on the step, the chosen time is checked.
    step = client.get(step_url(case, "tid")).content.decode()
    assert f'value="{in_two_days_at(14).isoformat()}" checked' in step
    assert client.post(preview_url(case)).status_code == 302
    case.refresh_from_db()
    booking = Booking.objects.get()
    assert (booking.person, booking.starts_at, booking.state) == (
        anna, in_two_days_at(14), Booking.State.CONFIRMED,
    )  # fmt: skip
    assert case.booking == booking
    event = case.events.get(kind=CaseEvent.Kind.BOOKED)
    assert event.details.startswith("Sammanträdesrum Lyckan, ")
    assert "kl. 14:00–15:00" in event.details
    listed = client.get(reverse("reservations:my_bookings")).content.decode()
    assert "Sammanträdesrum Lyckan" in listed
    # A second "Skicka in" books nothing more.
    client.post(preview_url(case))
    assert Booking.objects.count() == 1


def test_a_time_taken_before_sending_sends_the_person_back_with_every_answer_kept(
    client, room_booking, lyckan, anna, bertil
):
    client.force_login(anna)
    case = choose(client, room_booking, in_two_days_at(15), purpose="Årsmöte")
    reservations.book(lyckan, bertil, in_two_days_at(15))
    response = client.post(preview_url(case))
    assert response["Location"] == step_url(case, "tid")
    case.refresh_from_db()
    assert case.number is None
    assert case.status.kind == StatusKind.DRAFT
    assert case.answers["syfte"] == "Årsmöte"
    html = client.get(step_url(case, "tid")).content.decode()
    assert "Tiden är inte längre ledig. Välj en annan tid." in html
    assert 'href="#id_bokad_tid_0"' in html
    # Choosing another time and sending again works, with the purpose still there.
    client.post(step_url(case, "tid"), {"bokad_tid": in_two_days_at(16).isoformat()})
    assert client.post(preview_url(case))["Location"].endswith("/kvitto/")
    case.refresh_from_db()
    assert case.booking.starts_at == in_two_days_at(16)
    assert case.answers["syfte"] == "Årsmöte"


def test_a_time_that_is_no_slot_is_refused_in_place(client, room_booking, anna):
    client.force_login(anna)
    response = client.post(
        "/tjanster/boka-lokal/starta/",
        {"bokad_tid": (in_two_days_at(9) + datetime.timedelta(minutes=30)).isoformat()},
    )
    assert response.status_code == 200
    assert "Välj en av de lediga tiderna." in response.content.decode()
    empty = client.post("/tjanster/boka-lokal/starta/", {"bokad_tid": ""}).content.decode()
    assert "Fel:</span> Välj en tid</p>" in empty


def test_the_slots_page_costs_the_same_however_many_bookings_there_are(
    client, room_booking, lyckan, anna, django_assert_max_num_queries
):
    client.force_login(anna)
    client.get("/tjanster/boka-lokal/starta/")
    week = monday_of(in_two_days_at(9))
    people = citizens(20)
    for index, person in enumerate(people[:8]):
        reservations.book(lyckan, person, in_two_days_at(8 + index))
    with django_assert_max_num_queries(12):
        client.get(f"/tjanster/boka-lokal/starta/?vecka={week}")


def test_a_supplement_with_another_time_moves_the_booking(
    client, room_booking, lyckan, anna, david
):
    client.force_login(anna)
    case = choose(client, room_booking, in_two_days_at(9))
    client.post(preview_url(case))
    case.refresh_from_db()
    asks = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(case, status=asks, by=david, message="Välj en annan tid, tack.")
    client.post(step_url(case, "tid"), {"bokad_tid": in_two_days_at(11).isoformat()})
    client.post(preview_url(case))
    case.refresh_from_db()
    assert case.status.kind == StatusKind.SUPPLEMENTED
    assert case.booking.starts_at == in_two_days_at(11)
    states = dict(Booking.objects.values_list("starts_at", "state"))
    assert states == {
        in_two_days_at(9): Booking.State.CANCELLED,
        in_two_days_at(11): Booking.State.CONFIRMED,
    }


@pytest.mark.django_db(transaction=True)
def test_fifty_people_sending_the_same_time_at_once_get_one_booking(lycksele, category, lyckan):
    eservice = make_eservice(lycksele, category, "boka-lokal", BOOKING)
    people = citizens(50)
    drafts = []
    for index, person in enumerate(people):
        client = Client()
        client.force_login(person)
        drafts.append((client, choose(client, eservice, in_two_days_at(13), f"Möte {index}")))
    barrier = threading.Barrier(50)
    answers: list[str] = [""] * 50

    def send(index):
        client, case = drafts[index]
        try:
            barrier.wait()
            answers[index] = client.post(preview_url(case))["Location"]
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Booking.objects.filter(resource=lyckan).count() == 1
    sent = [index for index, location in enumerate(answers) if location.endswith("/kvitto/")]
    assert len(sent) == 1
    refused = [index for index in range(50) if index not in sent]
    for index in refused:
        client, case = drafts[index]
        assert answers[index] == step_url(case, "tid")
        case.refresh_from_db()
        assert case.number is None
        assert case.answers["syfte"] == f"Möte {index}"
        html = client.get(step_url(case, "tid")).content.decode()
        assert "Tiden är inte längre ledig. Välj en annan tid." in html
    assert Case.objects.filter(number__isnull=False).count() == 1


# --- Queues through the e-service --------------------------------------------------------


def test_sending_the_application_puts_the_person_last_in_the_queue(
    client, boat_application, boat_places, anna, bertil
):
    reservations.join_queue(boat_places, bertil)
    client.force_login(anna)
    client.post("/tjanster/batplats/starta/", {"langd": "5"})
    case = Case.objects.get(eservice=boat_application)
    assert client.post(preview_url(case)).status_code == 302
    case.refresh_from_db()
    place = QueuePlace.objects.get(person=anna)
    assert case.queue_place == place
    assert place.number == 2
    assert case.events.get(kind=CaseEvent.Kind.QUEUED).details == (
        "Båtplatser i Lycksele, könummer 2"
    )
    listed = client.get(reverse("reservations:my_queue_places")).content.decode()
    assert "Båtplatser i Lycksele" in listed


def test_a_person_already_in_the_queue_is_told_so_and_keeps_the_draft(
    client, boat_application, boat_places, anna
):
    reservations.join_queue(boat_places, anna)
    client.force_login(anna)
    client.post("/tjanster/batplats/starta/", {"langd": "5"})
    case = Case.objects.get(eservice=boat_application)
    response = client.post(preview_url(case), follow=True)
    assert "Du står redan i den här kön." in response.content.decode()
    case.refresh_from_db()
    assert case.number is None
    assert case.answers == {"langd": 5}


def test_a_queue_joined_at_a_status_waits_for_the_handler(
    client, lycksele, category, boat_places, anna, david
):
    eservice = make_eservice(
        lycksele, category, "batplats", {**QUEUE, "queue": {"slug": "batplatser",
                                                            "status": "Avslutat"}},
    )  # fmt: skip
    client.force_login(anna)
    client.post("/tjanster/batplats/starta/", {"langd": "5"})
    case = Case.objects.get(eservice=eservice)
    client.post(preview_url(case))
    case.refresh_from_db()
    assert not QueuePlace.objects.exists()
    in_progress = Status.objects.default_for(StatusKind.IN_PROGRESS)
    case = services.set_status(case, status=in_progress, by=david)
    assert not QueuePlace.objects.exists()
    closed = Status.objects.default_for(StatusKind.CLOSED)
    case = services.set_status(case, status=closed, by=david)
    assert case.queue_place.person == anna
    assert QueuePlace.objects.get().number == 1


def test_a_queue_of_organisations_takes_the_organisation_the_application_names(
    lycksele, category, anna, bertil
):
    from sjalvservice.reservations.models import Queue

    Queue.objects.create(
        municipality=lycksele, name="Föreningslokaler", slug="foreningslokaler",
        holder=Queue.Holder.ORGANISATION,
    )  # fmt: skip
    definition = {**QUEUE, "queue": {"slug": "foreningslokaler"}, "steps": [
        {"key": "forening", "title": "Förening", "fields": [
            {"key": "organisation", "type": "organisation", "label": "Förening",
             "required": True},
        ]},
    ]}  # fmt: skip
    eservice = make_eservice(lycksele, category, "foreningslokal", definition)
    club = {"id": None, "organisation_number": "8024775317", "name": "Lycksele Båtklubb"}
    case = services.submit(
        services.start_draft(eservice, owner=anna), by=anna, answers={"organisation": club}
    )
    assert case.queue_place.organisation.organisation_number == "8024775317"
    # Another member applying for the same club is refused: one place per organisation.
    with pytest.raises(reservations.AlreadyInQueue):
        services.submit(
            services.start_draft(eservice, owner=bertil), by=bertil, answers={"organisation": club}
        )
    assert QueuePlace.objects.count() == 1


def test_tick_reminds_once_before_the_yearly_confirmation_and_lapses_places_after_it(
    lycksele, category, boat_places, anna, bertil
):
    import io

    from django.core.management import call_command

    from sjalvservice.notifications.models import Delivery

    eservice = make_eservice(lycksele, category, "batplats", QUEUE)
    case = services.submit(services.start_draft(eservice, owner=anna), by=anna,
                           answers={"langd": 5})  # fmt: skip
    unreminded = reservations.join_queue(boat_places, bertil)  # not through a case
    place = case.queue_place
    today = timezone.localdate()

    def tick():
        call_command("tick", stdout=io.StringIO())

    QueuePlace.objects.update(confirmed_until=today + datetime.timedelta(days=31))
    tick()
    assert not Delivery.objects.filter(kind="queue_confirmation_due").exists()
    QueuePlace.objects.update(confirmed_until=today + datetime.timedelta(days=30))
    tick()
    tick()  # once per confirmation period
    reminder = Delivery.objects.get(kind="queue_confirmation_due", channel="portal")
    assert (reminder.user, reminder.case, reminder.path) == (
        anna, case, reverse("reservations:my_queue_places"),
    )  # fmt: skip
    # Confirming starts a new year; its own reminder comes a year later.
    reservations.confirm_place(place)
    tick()
    assert Delivery.objects.filter(kind="queue_confirmation_due").count() == 1

    # A place not confirmed in time leaves the queue; one on offer waits for its answer.
    QueuePlace.objects.filter(pk=unreminded.pk).update(
        confirmed_until=today - datetime.timedelta(days=1)
    )
    QueuePlace.objects.filter(pk=place.pk).update(
        confirmed_until=today - datetime.timedelta(days=1), state=QueuePlace.State.OFFERED
    )
    tick()
    unreminded.refresh_from_db()
    place.refresh_from_db()
    assert unreminded.state == QueuePlace.State.LEFT
    assert place.state == QueuePlace.State.OFFERED

"""Köer och bokningar in the back office: a queue in order, offers and answers, a resource's
week with bookings to confirm or cancel, each told to the person on their case."""

import datetime

import pytest
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import CaseEvent
from sjalvservice.cases.tests.test_bookings_and_queues import BOOKING, QUEUE, make_eservice
from sjalvservice.core.models import AccessLog
from sjalvservice.eservices.definitions.fields.booking import monday_of
from sjalvservice.notifications.models import Delivery
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Booking, QueuePlace
from sjalvservice.reservations.tests.fixtures import citizens, in_two_days_at


@pytest.fixture
def boat_application(lycksele, category, boat_places, david):
    from sjalvservice.backoffice.models import Assignment

    eservice = make_eservice(lycksele, category, "batplats", QUEUE)
    Assignment.objects.create(handler=david, eservice=eservice)
    return eservice


@pytest.fixture
def room_booking(lycksele, category, lyckan, david):
    from sjalvservice.backoffice.models import Assignment

    lyckan.confirm_at_once = False
    lyckan.save()
    eservice = make_eservice(lycksele, category, "boka-lokal", BOOKING)
    Assignment.objects.create(handler=david, eservice=eservice)
    return eservice


def apply(eservice, person):
    """A submitted application from ``person`` (queued at submission)."""
    draft = services.start_draft(eservice, owner=person)
    return services.submit(draft, by=person, answers={"langd": 5})


def booked(eservice, person, starts_at):
    draft = services.start_draft(eservice, owner=person)
    answer = {"resource": "lyckan", "resource_name": "Sammanträdesrum Lyckan", "address": "",
              "starts_at": starts_at.isoformat()}  # fmt: skip
    return services.submit(draft, by=person, answers={"bokad_tid": answer, "syfte": "Möte"})


def test_the_overview_lists_the_queues_and_resources_of_my_eservices(
    client, staff_login, david, julia, boat_application, room_booking, boat_places
):
    apply(boat_application, citizens(1)[0])
    staff_login(client, david)
    html = client.get(reverse("backoffice:reservations")).content.decode()
    assert "Båtplatser i Lycksele</a> – 1 person i kön" in html
    assert "Sammanträdesrum Lyckan" in html
    staff_login(client, julia)  # Skellefteå's handler has neither
    html = client.get(reverse("backoffice:reservations")).content.decode()
    assert "Dina e-tjänster har inga köer." in html
    assert "Båtplatser" not in html


def test_the_queue_is_shown_in_order_and_offers_go_to_the_first_in_line(
    client, staff_login, david, boat_application, boat_places
):
    first, second, third = citizens(3)
    cases = [apply(boat_application, person) for person in (first, second, third)]
    reservations.leave_queue(QueuePlace.objects.get(person=second))
    staff_login(client, david)
    url = reverse("backoffice:queue", args=[boat_places.pk])
    html = client.get(url).content.decode()
    assert html.index("Test 0") < html.index("Test 2")
    assert "Test 1" not in html  # left the queue
    assert reverse("backoffice:case", args=[cases[2].number]) in html
    assert AccessLog.objects.filter(action=AccessLog.Action.QUEUE, user=david).count() == 1

    response = client.post(reverse("backoffice:queue_offer", args=[boat_places.pk]), follow=True)
    assert "Platsen är erbjuden till Test 0, könummer 1." in response.content.decode()
    place = QueuePlace.objects.get(person=first)
    assert place.state == QueuePlace.State.OFFERED
    event = cases[0].events.get(kind=CaseEvent.Kind.PLACE_OFFERED)
    assert (event.person, event.details) == (david, "Båtplatser i Lycksele, könummer 1")
    notices = Delivery.objects.filter(case=cases[0], kind="place_offered")
    assert notices.filter(channel="portal").exists()

    # A decline keeps the place; the next offer goes to the next in line.
    client.post(reverse("backoffice:place_answer", args=[place.pk]), {"svar": "nej"})
    place.refresh_from_db()
    assert place.state == QueuePlace.State.ACTIVE
    client.post(reverse("backoffice:queue_offer", args=[boat_places.pk]))
    assert QueuePlace.objects.get(person=first).state == QueuePlace.State.OFFERED
    assert QueuePlace.objects.get(person=third).state == QueuePlace.State.ACTIVE


def test_an_accepted_offer_takes_the_place_and_moves_everyone_up(
    client, staff_login, david, boat_application, boat_places
):
    first, second = citizens(2)
    apply(boat_application, first)
    case = apply(boat_application, second)
    staff_login(client, david)
    client.post(reverse("backoffice:queue_offer", args=[boat_places.pk]))
    place = QueuePlace.objects.get(person=first)
    client.post(reverse("backoffice:place_answer", args=[place.pk]), {"svar": "ja"})
    place.refresh_from_db()
    assert place.state == QueuePlace.State.ACCEPTED
    assert reservations.position(case.queue_place) == 1
    response = client.post(
        reverse("backoffice:place_answer", args=[place.pk]), {"svar": "ja"}, follow=True
    )
    assert "Det går inte i det här läget." in response.content.decode()
    nonsense = client.post(
        reverse("backoffice:place_answer", args=[place.pk]), {"svar": "kanske"}, follow=True
    )
    assert "Välj om personen tackade ja eller nej." in nonsense.content.decode()


def test_a_long_queue_is_paged_by_number_at_the_same_cost(
    client, staff_login, david, boat_application, boat_places, django_assert_num_queries
):
    people = citizens(60)
    for person in people:
        reservations.join_queue(boat_places, person)
    staff_login(client, david)
    url = reverse("backoffice:queue", args=[boat_places.pk])
    client.get(url)
    first = client.get(url).content.decode()
    assert "?efter=50" in first
    second = client.get(f"{url}?efter=50").content.decode()
    assert 'data-label="Plats">51' in second
    assert "Nästa sida" not in second
    with django_assert_num_queries(_queries(client, url)):
        client.get(f"{url}?efter=50")
    assert client.get(f"{url}?efter=99999999999999").status_code == 200


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(f"{url}?efter=10")
    return len(captured)


def test_the_week_shows_bookings_to_confirm_and_cancel(
    client, staff_login, david, room_booking, lyckan
):
    anna, bertil = citizens(2)
    annas = booked(room_booking, anna, in_two_days_at(9))
    bertils = booked(room_booking, bertil, in_two_days_at(10))
    assert annas.booking.state == Booking.State.PRELIMINARY
    staff_login(client, david)
    week = monday_of(in_two_days_at(9).date())
    url = reverse("backoffice:resource", args=[lyckan.pk])
    html = client.get(f"{url}?vecka={week}").content.decode()
    assert html.index("Test 0") < html.index("Test 1")
    assert reverse("backoffice:case", args=[annas.number]) in html
    assert "Preliminär" in html
    assert AccessLog.objects.filter(action=AccessLog.Action.BOOKINGS).count() == 1
    later = client.get(f"{url}?vecka={week + datetime.timedelta(days=7)}").content.decode()
    assert "Inga bokningar den här veckan." in later

    client.post(reverse("backoffice:booking_confirm", args=[annas.booking.pk]))
    annas.booking.refresh_from_db()
    assert annas.booking.state == Booking.State.CONFIRMED
    assert annas.events.filter(kind=CaseEvent.Kind.BOOKING_CONFIRMED).exists()
    assert Delivery.objects.filter(case=annas, kind="booking_confirmed").exists()

    cancel = reverse("backoffice:booking_cancel", args=[bertils.booking.pk])
    assert "Vill du avboka bokningen för Test 1?" in client.get(cancel).content.decode()
    response = client.post(cancel)
    assert response["Location"] == f"{url}?vecka={week}"
    bertils.booking.refresh_from_db()
    assert bertils.booking.state == Booking.State.CANCELLED
    assert Delivery.objects.filter(case=bertils, kind="booking_cancelled").exists()
    # The freed time can be booked again.
    assert reservations.book(lyckan, anna, in_two_days_at(10)).seat == 1


def test_bad_weeks_and_numbers_are_harmless(client, staff_login, david, room_booking, lyckan):
    staff_login(client, david)
    url = reverse("backoffice:resource", args=[lyckan.pk])
    for week in ["2026-13-45", "0001-01-01", "9999-12-31", "x" * 500, "2026-02-30"]:
        assert client.get(url, {"vecka": week}).status_code == 200


@pytest.mark.parametrize("after", ["²", "-1", "9" * 40])
def test_a_queue_page_asked_for_after_something_else_than_a_number_is_the_first(
    client, staff_login, david, boat_application, boat_places, after
):
    apply(boat_application, citizens(1)[0])
    staff_login(client, david)
    response = client.get(reverse("backoffice:queue", args=[boat_places.pk]), {"efter": after})
    assert response.status_code == 200
    assert "Test 0" in response.content.decode()

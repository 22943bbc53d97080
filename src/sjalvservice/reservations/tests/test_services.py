"""Queue places and bookings: the rules, and the promises the database keeps under load."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sjalvservice.accounts.models import Organisation
from sjalvservice.reservations import services
from sjalvservice.reservations.models import Booking, Queue, QueuePlace
from sjalvservice.reservations.tests.fixtures import citizens, in_two_days_at


def run_at_once(count, work):
    """Run ``work(index)`` in ``count`` threads released together; return results, errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_people_join_in_order_and_see_their_position_move_up(db, boat_places):
    anna, bertil, cecilia = citizens(3)
    places = [services.join_queue(boat_places, person) for person in (anna, bertil, cecilia)]
    assert [place.number for place in places] == [1, 2, 3]
    assert [services.position(place) for place in places] == [1, 2, 3]
    services.leave_queue(places[0])
    assert services.position(places[0]) is None
    assert [services.position(place) for place in places[1:]] == [1, 2]
    # Leaving and joining again puts the person last, with a new number.
    again = services.join_queue(boat_places, anna)
    assert (again.number, services.position(again)) == (4, 3)


def test_one_place_per_person_and_the_database_holds_to_it(db, boat_places):
    (anna,) = citizens(1)
    place = services.join_queue(boat_places, anna)
    with pytest.raises(services.AlreadyInQueue):
        services.join_queue(boat_places, anna)
    with pytest.raises(IntegrityError), transaction.atomic():
        QueuePlace.objects.create(
            queue=boat_places, person=anna, number=99, joined_at=place.joined_at
        )


def test_an_organisation_queue_holds_one_place_per_organisation(db, lycksele):
    queue = Queue.objects.create(
        municipality=lycksele, name="Föreningslokaler", slug="foreningar",
        holder=Queue.Holder.ORGANISATION,
    )  # fmt: skip
    anna, bertil = citizens(2)
    club = Organisation.objects.create(organisation_number="8024775317", name="Båtklubben")
    with pytest.raises(services.ReservationError, match="för organisationer"):
        services.join_queue(queue, anna)
    services.join_queue(queue, anna, organisation=club)
    with pytest.raises(services.AlreadyInQueue):
        services.join_queue(queue, bertil, organisation=club)


def test_the_yearly_confirmation_keeps_the_place_a_year_from_today(db, boat_places):
    (anna,) = citizens(1)
    place = services.join_queue(boat_places, anna)
    place.confirmed_until = timezone.localdate()
    place.save()
    services.confirm_place(place)
    assert place.confirmed_until == services._a_year_from(timezone.localdate())


def test_an_offer_goes_to_the_first_in_line_and_a_decline_keeps_the_place(db, boat_places):
    anna, bertil = citizens(2)
    first = services.join_queue(boat_places, anna)
    second = services.join_queue(boat_places, bertil)
    assert services.offer_next(boat_places) == first
    first.refresh_from_db()
    assert first.state == QueuePlace.State.OFFERED
    assert services.position(first) == 1
    # The next offer goes to the next one without an offer.
    assert services.offer_next(boat_places) == second
    services.answer_offer(first, accepted=False)
    assert (first.state, services.position(first)) == (QueuePlace.State.ACTIVE, 1)
    services.answer_offer(second, accepted=True)
    assert second.state == QueuePlace.State.ACCEPTED
    assert services.position(second) is None
    with pytest.raises(services.WrongState):
        services.answer_offer(second, accepted=True)


@pytest.mark.django_db(transaction=True)
def test_fifty_people_joining_at_once_get_positions_one_to_fifty(boat_places):
    people = citizens(50)
    places, errors = run_at_once(50, lambda index: services.join_queue(boat_places, people[index]))
    assert errors == []
    assert sorted(place.number for place in places) == list(range(1, 51))
    assert sorted(services.position(place) for place in places) == list(range(1, 51))


@pytest.mark.django_db(transaction=True)
def test_one_person_joining_twice_at_once_gets_one_place(boat_places):
    (anna,) = citizens(1)
    places, errors = run_at_once(10, lambda index: services.join_queue(boat_places, anna))
    assert len(places) == 1
    assert len(errors) == 9
    assert all(isinstance(error, services.AlreadyInQueue) for error in errors)
    assert QueuePlace.objects.filter(queue=boat_places).count() == 1


def test_the_week_shows_the_open_slots_with_what_is_left(db, lyckan):
    (anna,) = citizens(1)
    services.book(lyckan, anna, in_two_days_at(9))
    day = in_two_days_at(9).date()
    monday = day - datetime.timedelta(days=day.weekday())
    slots = services.week_slots(lyckan, monday)[day]
    assert [slot.starts_at.hour for slot in slots] == list(range(8, 17))
    assert [slot.free for slot in slots if slot.starts_at.hour == 9] == [0]
    assert all(slot.free == 1 for slot in slots if slot.starts_at.hour != 9)


def test_only_real_future_slots_within_the_horizon_can_be_booked(db, lyckan):
    (anna,) = citizens(1)
    with pytest.raises(services.NotBookable):
        services.book(lyckan, anna, in_two_days_at(9) + datetime.timedelta(minutes=30))
    with pytest.raises(services.NotBookable):
        services.book(lyckan, anna, in_two_days_at(18))
    with pytest.raises(services.NotBookable):
        services.book(lyckan, anna, in_two_days_at(9) - datetime.timedelta(days=3))
    with pytest.raises(services.NotBookable):
        services.book(lyckan, anna, in_two_days_at(9) + datetime.timedelta(days=31))


def test_a_slot_holds_its_capacity_and_no_more(db, lyckan):
    lyckan.capacity = 2
    lyckan.save()
    anna, bertil, cecilia = citizens(3)
    services.book(lyckan, anna, in_two_days_at(10))
    services.book(lyckan, bertil, in_two_days_at(10))
    with pytest.raises(services.SlotTaken, match="Tiden är inte längre ledig"):
        services.book(lyckan, cecilia, in_two_days_at(10))
    # A cancellation frees its seat again.
    services.cancel_booking(Booking.objects.filter(person=anna).get())
    assert services.book(lyckan, cecilia, in_two_days_at(10)).seat == 1


def test_the_database_refuses_a_second_booking_of_a_seat(db, lyckan):
    anna, bertil = citizens(2)
    booking = services.book(lyckan, anna, in_two_days_at(11))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            resource=lyckan, person=bertil, starts_at=booking.starts_at,
            ends_at=booking.ends_at, seat=1, state=Booking.State.CONFIRMED,
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_fifty_people_booking_one_slot_at_once_make_one_booking(lyckan):
    people = citizens(50)
    bookings, errors = run_at_once(
        50, lambda index: services.book(lyckan, people[index], in_two_days_at(13))
    )
    assert len(bookings) == 1
    assert len(errors) == 49
    assert all(isinstance(error, services.SlotTaken) for error in errors)
    assert {str(error) for error in errors} == {"Tiden är inte längre ledig. Välj en annan tid."}
    assert Booking.objects.filter(resource=lyckan).count() == 1


def test_the_person_cancels_until_the_deadline_and_not_after(db, lyckan):
    # Three days' notice, so that a time the day after tomorrow is too late to cancel and
    # one four days ahead is not, whatever the time of day the test runs at.
    lyckan.cancel_hours_before = 72
    lyckan.save()
    (anna,) = citizens(1)
    booking = services.book(lyckan, anna, in_two_days_at(9))
    with pytest.raises(services.TooLateToCancel):
        services.cancel_booking(booking)
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.CONFIRMED
    # A handler may cancel it all the same.
    assert services.cancel_booking(booking, by_handler=True).state == Booking.State.CANCELLED
    later = services.book(lyckan, anna, in_two_days_at(15) + datetime.timedelta(days=2))
    assert services.cancel_booking(later).state == Booking.State.CANCELLED


def test_a_preliminary_booking_waits_for_the_handlers_confirmation(db, lyckan):
    lyckan.confirm_at_once = False
    lyckan.save()
    (anna,) = citizens(1)
    booking = services.book(lyckan, anna, in_two_days_at(14))
    assert booking.state == Booking.State.PRELIMINARY
    assert services.confirm_booking(booking).state == Booking.State.CONFIRMED
    with pytest.raises(services.WrongState):
        services.confirm_booking(booking)

"""Mina köplatser and Mina bokningar: the person's own, and nobody else's."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sjalvservice.reservations import services
from sjalvservice.reservations.models import Booking, QueuePlace
from sjalvservice.reservations.tests.fixtures import citizens, in_two_days_at


def test_mina_koplatser_shows_queue_position_since_and_status(client, boat_places):
    first, anna = citizens(2)
    services.join_queue(boat_places, first)
    services.join_queue(boat_places, anna)
    client.force_login(anna)
    html = client.get(reverse("reservations:my_queue_places")).content.decode()
    assert "Båtplatser i Lycksele" in html
    assert ">2</dd>" in html
    assert "Aktiv" in html
    assert "Bekräfta köplatsen" in html
    assert "Du står inte i någon kö." not in html


def test_confirming_keeps_the_place_for_a_year(client, boat_places):
    (anna,) = citizens(1)
    place = services.join_queue(boat_places, anna)
    QueuePlace.objects.filter(pk=place.pk).update(confirmed_until=timezone.localdate())
    client.force_login(anna)
    response = client.post(reverse("reservations:confirm_place", args=[place.pk]), follow=True)
    assert "är bekräftad till och med" in response.content.decode()
    place.refresh_from_db()
    assert place.confirmed_until > timezone.localdate() + datetime.timedelta(days=360)


def test_leaving_asks_first_and_then_the_place_is_gone(client, boat_places):
    (anna,) = citizens(1)
    place = services.join_queue(boat_places, anna)
    client.force_login(anna)
    url = reverse("reservations:leave_queue", args=[place.pk])
    assert "Vill du lämna Båtplatser i Lycksele?" in client.get(url).content.decode()
    assert QueuePlace.objects.get(pk=place.pk).state == QueuePlace.State.ACTIVE
    response = client.post(url, follow=True)
    assert "Du har lämnat Båtplatser i Lycksele." in response.content.decode()
    assert QueuePlace.objects.get(pk=place.pk).state == QueuePlace.State.LEFT
    assert "Du står inte i någon kö." in response.content.decode()


def test_mina_bokningar_shows_time_status_and_the_cancellation_deadline(client, lyckan):
    (anna,) = citizens(1)
    services.book(lyckan, anna, in_two_days_at(9))
    client.force_login(anna)
    html = client.get(reverse("reservations:my_bookings")).content.decode()
    assert "Sammanträdesrum Lyckan" in html
    assert "09:00–10:00" in html
    assert "Bekräftad" in html
    assert "Avboka" in html


def test_cancelling_before_the_deadline_frees_the_time(client, lyckan):
    (anna,) = citizens(1)
    booking = services.book(lyckan, anna, in_two_days_at(10))
    client.force_login(anna)
    url = reverse("reservations:cancel_booking", args=[booking.pk])
    assert "Vill du avboka Sammanträdesrum Lyckan?" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "är avbokad" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.CANCELLED
    assert "Tidigare och avbokade" in response.content.decode()


def test_cancelling_after_the_deadline_is_refused_and_the_booking_kept(client, lyckan):
    (anna,) = citizens(1)
    booking = services.book(lyckan, anna, in_two_days_at(11))
    lyckan.cancel_hours_before = 24 * 5
    lyckan.save()
    client.force_login(anna)
    html = client.get(reverse("reservations:my_bookings")).content.decode()
    assert "Tiden för avbokning har gått ut" in html
    response = client.post(reverse("reservations:cancel_booking", args=[booking.pk]), follow=True)
    assert "kan inte avbokas så här nära inpå" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.CONFIRMED


@pytest.mark.parametrize(
    ("name", "method"),
    [("reservations:confirm_place", "post"), ("reservations:leave_queue", "get"),
     ("reservations:leave_queue", "post")],
)  # fmt: skip
def test_another_persons_place_is_404(client, boat_places, name, method):
    owner, other = citizens(2)
    place = services.join_queue(boat_places, owner)
    client.force_login(other)
    assert getattr(client, method)(reverse(name, args=[place.pk])).status_code == 404
    assert QueuePlace.objects.get(pk=place.pk).state == QueuePlace.State.ACTIVE


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_booking_is_404(client, lyckan, method):
    owner, other = citizens(2)
    booking = services.book(lyckan, owner, in_two_days_at(12))
    client.force_login(other)
    url = reverse("reservations:cancel_booking", args=[booking.pk])
    assert getattr(client, method)(url).status_code == 404
    assert Booking.objects.get(pk=booking.pk).state == Booking.State.CONFIRMED
    assert "Sammanträdesrum" not in client.get(reverse("reservations:my_bookings")).content.decode()


def test_the_pages_need_a_login(client, db):
    for name in ("reservations:my_queue_places", "reservations:my_bookings"):
        assert client.get(reverse(name))["Location"].startswith(reverse("eid:login"))


def test_what_the_pages_cost_follows_the_persons_own_data_not_everyones(
    client, boat_places, lyckan
):
    people = citizens(12)
    anna = people[0]
    services.join_queue(boat_places, anna)
    services.book(lyckan, anna, in_two_days_at(8))
    client.force_login(anna)
    client.get(reverse("reservations:my_bookings"))  # the session's first write is done

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    before = {
        name: queries(name) for name in ("reservations:my_queue_places", "reservations:my_bookings")
    }
    for index, person in enumerate(people[1:]):
        services.join_queue(boat_places, person)
        services.book(
            lyckan, person, in_two_days_at(9 + index % 7) + datetime.timedelta(days=index // 7)
        )
    after = {name: queries(name) for name in before}
    assert after == before

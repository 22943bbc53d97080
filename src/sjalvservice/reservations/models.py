"""Queues people stand in and resources they book, both reached through e-services.

The database keeps the promises: a queue hands out each number once (the queue's counter is
taken under a row lock), a person or organisation has one place per queue, and a slot of a
resource holds at most ``capacity`` bookings (one unique seat each), on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sjalvservice.accounts.models import Organisation
from sjalvservice.core.models import Municipality


class Queue(models.Model):
    """A municipality's queue (båtplatser, odlingslotter, hyreslägenheter ...)."""

    class Holder(models.TextChoices):
        PERSON = "person", _("en plats per person")
        ORGANISATION = "organisation", _("en plats per organisation")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="queues", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80)
    description = models.TextField(_("beskrivning"), blank=True)
    holder = models.CharField(
        _("vem som står i kön"), max_length=12, choices=Holder.choices, default=Holder.PERSON
    )
    # A place not confirmed within a year of joining (or of the last confirmation) lapses.
    yearly_confirmation = models.BooleanField(_("årlig bekräftelse"), default=False)
    # The number the next person to join gets; read and raised under a row lock.
    next_number = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("kö")
        verbose_name_plural = pgettext_lazy("plural", "köer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="queue_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class QueuePlace(models.Model):
    """A place in a queue, in the order of joining."""

    class State(models.TextChoices):
        ACTIVE = "aktiv", _("Aktiv")
        OFFERED = "erbjuden", _("Erbjuden")
        ACCEPTED = "accepterad", _("Accepterad")
        LEFT = "lämnad", _("Lämnad")

    # The states that hold a place in the line.
    IN_LINE = (State.ACTIVE, State.OFFERED)

    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="places")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="queue_places"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="queue_places"
    )
    number = models.PositiveIntegerField(_("könummer"))
    joined_at = models.DateTimeField(_("i kön sedan"))
    confirmed_until = models.DateField(_("bekräftad till"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=12, choices=State.choices, default=State.ACTIVE
    )
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    class Meta:
        ordering = ["queue", "number"]
        verbose_name = _("köplats")
        verbose_name_plural = pgettext_lazy("plural", "köplatser")
        constraints = [
            models.UniqueConstraint(fields=["queue", "number"], name="queue_place_number_unique"),
            models.UniqueConstraint(
                fields=["queue", "person"],
                condition=Q(organisation__isnull=True) & ~Q(state="lämnad"),
                name="queue_place_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["queue", "organisation"],
                condition=Q(organisation__isnull=False) & ~Q(state="lämnad"),
                name="queue_place_one_per_organisation",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="queue_place_number_positive"),
        ]
        indexes = [
            # Those in line, in order: a page of the queue, and how many stand ahead of
            # a place (an index-only count).
            models.Index(
                fields=["queue", "number"],
                condition=Q(state__in=["aktiv", "erbjuden"]),
                name="queue_place_in_line",
            ),
            models.Index(fields=["person", "state"], name="queue_place_person"),
            models.Index(fields=["state", "confirmed_until"], name="queue_place_confirm"),
        ]

    def __str__(self) -> str:
        return f"{self.queue} #{self.number}"


class Resource(models.Model):
    """Something bookable by the slot: a meeting room, a sports hall, a court."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="resources", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), max_length=80)
    description = models.TextField(_("beskrivning"), blank=True)
    address = models.CharField(_("adress"), max_length=200, blank=True)
    # Open on these weekdays (1 = Monday ... 7 = Sunday) from opens to closes, local time.
    open_weekdays = models.CharField(_("öppet veckodagar"), max_length=7, default="12345")
    opens = models.TimeField(_("öppnar"))
    closes = models.TimeField(_("stänger"))
    slot_minutes = models.PositiveSmallIntegerField(_("passets längd i minuter"), default=60)
    capacity = models.PositiveSmallIntegerField(_("bokningar per pass"), default=1)
    book_days_ahead = models.PositiveSmallIntegerField(_("bokbart antal dagar framåt"), default=60)
    cancel_hours_before = models.PositiveSmallIntegerField(
        _("avbokning senast timmar före"), default=24
    )
    confirm_at_once = models.BooleanField(_("bekräftas direkt"), default=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("resurs")
        verbose_name_plural = pgettext_lazy("plural", "resurser")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="resource_slug_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="resource_capacity"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="resource_slot"),
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")), name="resource_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """One booked slot of a resource. A slot holds ``capacity`` bookings, one per seat: the
    unique seat makes a double booking impossible, whatever the requests do at once."""

    class State(models.TextChoices):
        PRELIMINARY = "preliminär", _("Preliminär")
        CONFIRMED = "bekräftad", _("Bekräftad")
        CANCELLED = "avbokad", _("Avbokad")

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    seat = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(_("status"), max_length=12, choices=State.choices)
    created_at = models.DateTimeField(_("bokad"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("avbokad"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("bokning")
        verbose_name_plural = pgettext_lazy("plural", "bokningar")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "starts_at", "seat"],
                condition=~Q(state="avbokad"),
                name="booking_one_per_seat",
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="booking_seat_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_span"
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "starts_at"], name="booking_resource_time"),
            models.Index(fields=["person", "starts_at"], name="booking_person_time"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.starts_at:%Y-%m-%d %H:%M}"

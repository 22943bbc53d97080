""" "Tidsbokning": the person picks one free slot of a bookable resource, a week at a time.

The field knows no database: the caller passes a ``Calendar`` in the field context, which
answers which slots a week has and whether one slot is still free. The week's slots are radio
buttons grouped by day, with links to the previous and next week (no JavaScript needed); the
answer describes the slot in full, so the preview, the PDF and the export need nothing else.
Submitting the case books the slot; a slot taken in the meantime sends the person back here.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sjalvservice.eservices.definitions.fields.base import (
    NO_CONTEXT,
    FieldContext,
    FieldType,
    annotate,
    message,
    say,
)
from sjalvservice.eservices.definitions.schema import BookingSpec


@dataclass(frozen=True)
class CalendarSlot:
    """A slot of the resource with how many bookings it can still take."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    free: int
    resource_name: str = ""
    address: str = ""


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    slots: tuple[CalendarSlot, ...]


@dataclass(frozen=True)
class CalendarWeek:
    """One week of a resource: Monday, the weeks one may go to, and each day's free slots."""

    resource_name: str
    address: str
    monday: datetime.date
    previous: datetime.date | None
    next: datetime.date | None
    days: tuple[CalendarDay, ...]
    capacity: int = 1


class Calendar(Protocol):
    """What the booking field asks of the portal's bookings."""

    def week(self, resource: str, monday: datetime.date | None) -> CalendarWeek | None:
        """The week starting ``monday`` (None: the first week with a free slot), or None
        when the municipality has no such resource."""

    def slot(self, resource: str, starts_at: datetime.datetime) -> CalendarSlot | None:
        """The slot starting then, if it is one that may be booked (free or not)."""


# The years a posted slot or a week asked for may fall in: far beyond any booking, and far
# enough from the ends of Python's dates that a week or a time zone later is still one.
FIRST_YEAR, LAST_YEAR = 1900, 2100


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_start(value: Any) -> datetime.datetime | None:
    """A slot's start as posted or stored (ISO 8601 with offset), or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return moment if timezone.is_aware(moment) else None


def parse_week(value: Any) -> datetime.date | None:
    """The Monday of the week asked for with ``?vecka=YYYY-MM-DD``, or None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return monday_of(day) if FIRST_YEAR <= day.year <= LAST_YEAR else None


def day_label(day: datetime.date) -> str:
    return date_format(day, pgettext("booking day", "l j F"))


def time_span(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """The slot's hours in local time, "10:00" to "11:00" joined by an en dash (as Mina
    bokningar shows them)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{date_format(start, 'H:i')}–{date_format(end, 'H:i')}"


def describe_slot(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    """The slot in words: "fredag 4 december 2026 kl. 10.00" and its end."""
    day = date_format(timezone.localtime(starts_at), pgettext("booking date", "l j F Y"))
    return _("%(day)s kl. %(time)s") % {"day": day, "time": time_span(starts_at, ends_at)}


def week_label(monday: datetime.date) -> str:
    """The week's number and its first and last day ("Vecka 49, 30 november ...")."""
    sunday = monday + datetime.timedelta(days=6)
    return _("Vecka %(number)s, %(first)s – %(last)s") % {
        "number": monday.isocalendar().week,
        "first": date_format(monday, pgettext("booking day", "j F")),
        "last": date_format(sunday, pgettext("booking date", "j F Y")),
    }


@dataclass(frozen=True)
class Option:
    """One radio button: its index among the field's choices (for its id), value and text."""

    index: int
    value: str
    time: str
    free: int


@dataclass(frozen=True)
class ShownDay:
    day: datetime.date
    label: str
    options: tuple[Option, ...]


@dataclass
class Shown:
    """What the template shows: the week, its days' options, and the slot chosen earlier
    when it is not in this week."""

    week: CalendarWeek | None
    days: list[ShownDay] = field(default_factory=list)
    chosen: Option | None = None

    @property
    def label(self) -> str:
        return week_label(self.week.monday) if self.week else ""

    @property
    def has_free(self) -> bool:
        return any(day.options for day in self.days)


class BookingType(FieldType[BookingSpec]):
    """One radio group over the week's free slots; the answer is the slot described."""

    name = "booking"
    template_name = "eservices/fields/booking.html"

    def form_fields(
        self, spec: BookingSpec, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        calendar = context.calendar
        chosen = _answer_start(context.answer)
        wanted = context.week
        if wanted is None and chosen is not None:
            wanted = monday_of(timezone.localtime(chosen).date())
        week = calendar.week(spec.resource, wanted) if calendar is not None else None
        shown = Shown(week)
        choices: list[tuple[str, str]] = []
        if week is not None:
            for day in week.days:
                options = []
                for slot in day.slots:
                    if slot.free <= 0:
                        continue
                    value = slot.starts_at.isoformat()
                    time = time_span(slot.starts_at, slot.ends_at)
                    options.append(Option(len(choices), value, time, slot.free))
                    choices.append((value, time))
                shown.days.append(ShownDay(day.day, day_label(day.day), tuple(options)))
        answer = context.answer if isinstance(context.answer, Mapping) else None
        if chosen is not None and answer is not None:
            value = chosen.isoformat()
            if value not in {choice for choice, _label in choices}:
                ends = parse_start(answer.get("ends_at")) or chosen
                text = describe_slot(chosen, ends)
                shown.chosen = Option(len(choices), value, text, 1)
                choices.append((value, text))
        django_field = forms.CharField(
            label=spec.label,
            help_text=spec.hint or "",
            required=spec.required,
            widget=forms.RadioSelect(choices=choices),
            error_messages={"required": message(spec, "required", _("Välj en tid"))},
        )
        vars(django_field).update(calendar=shown)
        return {prefix: annotate(django_field, spec, optional=not spec.required)}

    def clean(
        self, spec: BookingSpec, cleaned: Mapping[str, Any], *, prefix: str, context: FieldContext
    ) -> dict[str, ValidationError]:
        value = cleaned.get(prefix)
        if not value:
            return {}
        if _answer_start(context.answer) == parse_start(value):
            return {}  # the slot chosen earlier; submitting checks it is still free
        starts_at = parse_start(value)
        slot = (
            context.calendar.slot(spec.resource, starts_at)
            if starts_at is not None and context.calendar is not None
            else None
        )
        if slot is None:
            return {prefix: ValidationError(say(_("Välj en av de lediga tiderna.")))}
        if slot.free <= 0:
            taken = _("Tiden är inte längre ledig. Välj en annan tid.")
            return {prefix: ValidationError(say(taken))}
        return {}

    def to_answer(
        self,
        spec: BookingSpec,
        cleaned: Mapping[str, Any],
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> Any:
        starts_at = parse_start(cleaned.get(prefix or spec.key))
        if starts_at is None:
            return None
        if _answer_start(context.answer) == starts_at:
            return context.answer
        slot = context.calendar.slot(spec.resource, starts_at) if context.calendar else None
        if slot is None:
            return None
        return {
            "resource": spec.resource,
            "resource_name": slot.resource_name,
            "address": slot.address,
            "starts_at": slot.starts_at.isoformat(),
            "ends_at": slot.ends_at.isoformat(),
        }

    def initial(
        self,
        spec: BookingSpec,
        answer: Any,
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any]:
        start = _answer_start(answer)
        return {} if start is None else {prefix or spec.key: start.isoformat()}

    def display(self, spec: BookingSpec, answer: Any) -> str:
        start = _answer_start(answer)
        if start is None:
            return ""
        ends = parse_start(answer.get("ends_at")) or start
        lines = [str(answer.get("resource_name") or ""), describe_slot(start, ends)]
        if answer.get("address"):
            lines.insert(1, str(answer["address"]))
        return "\n".join(line for line in lines if line)

    def posted(self, spec: BookingSpec, data: Mapping[str, Any], files: Any, *, prefix: str,
               context: FieldContext) -> Any:  # fmt: skip
        # Conditions look at whether a time was picked, never at which one.
        return data.get(prefix) or None


def _answer_start(answer: Any) -> datetime.datetime | None:
    return parse_start(answer.get("starts_at")) if isinstance(answer, Mapping) else None

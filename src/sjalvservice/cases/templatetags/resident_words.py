"""The words a resident reads about their own case ("du", "handläggaren")."""

from __future__ import annotations

from django import template

from sjalvservice.cases.models import CaseEvent
from sjalvservice.cases.selectors import citizen_event_name

register = template.Library()


@register.filter
def as_resident_reads_it(event: CaseEvent) -> str:
    """An event's name in the resident's "Ärendehistorik"."""
    return citizen_event_name(event.kind)

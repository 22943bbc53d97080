"""Writes to the catalogue that must happen in one way only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sjalvservice.eservices.definitions import Definition, content_hash, parse_definition
from sjalvservice.eservices.models import EService, EServiceVersion
from sjalvservice.reservations.models import Queue, Resource


class PublishError(Exception):
    """The definition cannot become a new version (it is valid, but not publishable)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.problems = [("", message)]  # as DefinitionError has them


@transaction.atomic
def publish_version(eservice: EService, definition_data: Any, *, by: Any = None) -> EServiceVersion:
    """Publish a definition (YAML/JSON data, not yet validated) as the e-service's next version.

    Raises ``DefinitionError`` when the definition is invalid. Publishing the same content
    as the current version changes nothing and returns the current version, so imports can
    be repeated. Content equal to an older, superseded version is refused (``PublishError``):
    a version's content identifies it, and cases already point at that older version.
    """
    definition = parse_definition(definition_data)
    queues, resources = _reservations(eservice, definition)
    digest = content_hash(definition)
    # Two publishers of the same e-service take turns here, so the second one sees the
    # first one's version and numbers its own after it (the unique constraints back this up).
    EService.objects.select_for_update().only("pk").get(pk=eservice.pk)
    latest = eservice.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    earlier = eservice.versions.filter(content_hash=digest).only("number").first()
    if earlier is not None:
        raise PublishError(
            _(
                "Definitionen är densamma som version %(number)s, som inte längre är den "
                "senaste. Ändra något i den innan du publicerar den igen."
            )
            % {"number": earlier.number}
        )
    version = EServiceVersion.objects.create(
        eservice=eservice,
        number=latest.number + 1 if latest is not None else 1,
        definition=definition.to_document(),
        content_hash=digest,
        published_by=by,
    )
    eservice.__dict__.pop("current_version", None)  # the cached_property is now out of date
    eservice.queues.set(queues)
    eservice.resources.set(resources)
    return version


def _reservations(eservice: EService, definition: Definition) -> tuple[list[Queue], list[Resource]]:
    """The municipality's queue and resource the definition names; PublishError when one
    does not exist, or when the e-service lets people in without logging in."""
    booking, rule = definition.booking_field(), definition.queue
    if (booking or rule) and not eservice.requires_login:
        raise PublishError(
            _(
                "En e-tjänst med tidsbokning eller kö måste kräva inloggning: bokningen och "
                "köplatsen hör till den som är inloggad."
            )
        )
    queues, resources = [], []
    if rule is not None:
        queue = Queue.objects.filter(municipality=eservice.municipality_id, slug=rule.slug).first()
        if queue is None:
            raise PublishError(
                _("Kommunen har ingen kö med kortnamnet %(slug)s.") % {"slug": rule.slug}
            )
        queues.append(queue)
    if booking is not None:
        resource = Resource.objects.filter(
            municipality=eservice.municipality_id, slug=booking.resource
        ).first()
        if resource is None:
            raise PublishError(
                _("Kommunen har ingen bokningsbar resurs med kortnamnet %(slug)s.")
                % {"slug": booking.resource}
            )
        resources.append(resource)
    return queues, resources

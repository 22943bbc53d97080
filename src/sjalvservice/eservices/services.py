"""Writes to the catalogue that must happen in one way only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sjalvservice.eservices.definitions import Definition, content_hash, dump_yaml, parse_definition
from sjalvservice.eservices.definitions.schema import without_nulls
from sjalvservice.eservices.models import EService, EServiceChange, EServiceDraft, EServiceVersion
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
    if by is not None:
        record_change(eservice, by, EServiceChange.Action.PUBLISHED,
                      lambda: _("Version %(number)s.") % {"number": version.number})  # fmt: skip
    eservice.__dict__.pop("current_version", None)  # the cached_property is now out of date
    eservice.queues.set(queues)
    eservice.resources.set(resources)
    return version


# The details of an e-service its municipality's staff write, in the order of the form.
DETAILS = (
    "title", "title_en", "category", "short_description", "short_description_en",
    "description", "description_en", "keywords", "requires_login", "handling_days", "contact",
)  # fmt: skip


@transaction.atomic
def create_eservice(*, by: Any, municipality: Any, slug: str, **details: Any) -> EService:
    """A new e-service of ``municipality``, without a version: it is in the catalogue once
    its first version is published."""
    eservice = EService.objects.create(
        municipality=municipality, slug=slug, **_only_details(details)
    )
    record_change(eservice, by, EServiceChange.Action.CREATED, eservice.title)
    return eservice


@transaction.atomic
def change_details(eservice: EService, *, by: Any, **details: Any) -> bool:
    """Save the e-service's details; whether anything changed (the change log names what)."""
    locked = EService.objects.select_for_update().get(pk=eservice.pk)
    changed = [
        name for name, value in _only_details(details).items() if getattr(locked, name) != value
    ]
    if not changed:
        return False
    for name in changed:
        setattr(locked, name, details[name])
    locked.save(update_fields=changed)

    def detail() -> str:
        fields = (EService._meta.get_field(name) for name in changed)
        labels = [str(getattr(field, "verbose_name", field.name)) for field in fields]
        return ", ".join(labels).capitalize()

    record_change(locked, by, EServiceChange.Action.DETAILS, detail)
    eservice.refresh_from_db()
    return True


@transaction.atomic
def close_eservice(eservice: EService, *, by: Any, message: str, message_en: str = "") -> None:
    """Take no new cases; the catalogue shows ``message``. Drafts begun can be sent in."""
    EService.objects.filter(pk=eservice.pk).update(
        accepts_cases=False, closed_message=message, closed_message_en=message_en
    )
    record_change(eservice, by, EServiceChange.Action.CLOSED, message)
    eservice.refresh_from_db()


@transaction.atomic
def open_eservice(eservice: EService, *, by: Any) -> None:
    EService.objects.filter(pk=eservice.pk).update(
        accepts_cases=True, closed_message="", closed_message_en=""
    )
    record_change(eservice, by, EServiceChange.Action.OPENED, "")
    eservice.refresh_from_db()


def save_draft(eservice: EService, text: str, *, by: Any) -> EServiceDraft:
    """Keep ``text`` as the e-service's draft, whether it is valid or not. A new draft
    begins from the version published now."""
    draft, created = EServiceDraft.objects.get_or_create(
        eservice=eservice,
        defaults={"text": text, "based_on": eservice.current_version,
                  "updated_by": by, "updated_by_name": by.display_name},
    )  # fmt: skip
    if not created:
        draft.text, draft.updated_by, draft.updated_by_name = text, by, by.display_name
        draft.save(update_fields=["text", "updated_by", "updated_by_name", "updated_at"])
    return draft


@transaction.atomic
def publish_draft(eservice: EService, data: Any, *, by: Any) -> EServiceVersion:
    """Publish the draft's definition (``data``, as read from its text) and let the draft
    go; the draft is kept when publishing fails, with the problems to show."""
    version = publish_version(eservice, data, by=by)
    EServiceDraft.objects.filter(eservice=eservice).delete()
    return version


@transaction.atomic
def discard_draft(eservice: EService, *, by: Any) -> bool:
    deleted, _count = EServiceDraft.objects.filter(eservice=eservice).delete()
    if deleted:
        record_change(eservice, by, EServiceChange.Action.DRAFT_DISCARDED, "")
    return bool(deleted)


@transaction.atomic
def draft_from_version(version: EServiceVersion, *, by: Any) -> EServiceDraft:
    """An earlier (or the current) version back as the draft, in place of any draft."""
    eservice = version.eservice
    text = dump_yaml(without_nulls(version.definition))
    EServiceDraft.objects.filter(eservice=eservice).delete()
    draft = EServiceDraft.objects.create(
        eservice=eservice, text=text, based_on=eservice.current_version,
        updated_by=by, updated_by_name=by.display_name,
    )  # fmt: skip
    record_change(eservice, by, EServiceChange.Action.DRAFTED,
                  lambda: _("Version %(number)s.") % {"number": version.number})  # fmt: skip
    return draft


# What a copy takes over from the e-service it copies; the contact for questions is the
# other municipality's own, so it is left for the new owner to write.
COPIED_DETAILS = tuple(name for name in DETAILS if name != "contact")


@transaction.atomic
def copy_eservice(
    source: EService, *, by: Any, municipality: Any, slug: str, title: str
) -> EService:
    """A new e-service of ``municipality`` with the details of ``source`` (of any
    municipality) and its published definition as a draft, to change before publishing."""
    details = {name: getattr(source, name) for name in COPIED_DETAILS}
    details["title"] = title
    eservice = EService.objects.create(municipality=municipality, slug=slug, **details)
    version = source.current_version

    def detail() -> str:
        return _("Kopia av %(title)s (%(municipality)s), version %(number)s.") % {
            "title": source.title, "municipality": source.municipality.name,
            "number": version.number if version else "-",
        }  # fmt: skip

    record_change(eservice, by, EServiceChange.Action.CREATED, detail)
    if version is not None:
        definition = without_nulls(version.definition)
        definition["title"] = title
        EServiceDraft.objects.create(
            eservice=eservice, text=dump_yaml(definition), based_on=None,
            updated_by=by, updated_by_name=by.display_name,
        )  # fmt: skip
    return eservice


def record_change(
    eservice: EService, by: Any, action: str, detail: str | Callable[[], str]
) -> EServiceChange:
    """The change log's one door: who (``by``, a member of staff) did what to ``eservice``.
    The detail reads the same whoever made the change, in the installation's language; the
    action's label is translated when it is shown."""
    with translation.override(settings.LANGUAGE_CODE):
        text = detail() if callable(detail) else detail
    return EServiceChange.objects.create(
        eservice=eservice, actor=by, actor_name=by.display_name, action=action,
        detail=Truncator(text).chars(1000),
    )  # fmt: skip


def _only_details(details: dict[str, Any]) -> dict[str, Any]:
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise TypeError(f"not details of an e-service: {sorted(unknown)}")
    return details


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

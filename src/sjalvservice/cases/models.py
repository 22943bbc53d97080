"""Cases ("ärenden"): a draft until submitted, then numbered and followed through statuses.

Nothing outside ``cases.services`` writes a case's status, number or answers.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sjalvservice.core.languages import shown
from sjalvservice.eservices.definitions import DEFAULT_STATUSES, StatusKind

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User


# The longest message or note, in characters.
TEXT_LIMIT = 5000

# The kinds of a case that is being handled: submitted and not yet closed.
OPEN_KINDS = (
    StatusKind.SUBMITTED,
    StatusKind.IN_PROGRESS,
    StatusKind.AWAITING_SUPPLEMENT,
    StatusKind.SUPPLEMENTED,
)
# What a handler has to look at: open cases and any case with a message nobody has read
# (a citizen may still write about a closed case). The inbox's own index holds only these,
# so its tabs cost what a municipality has on its desk, not its whole history.
ON_THE_DESK = Q(status_kind__in=OPEN_KINDS) | Q(handler_unread=True)


# The shared statuses' names are the kinds' labels, so they translate as the kinds do.
_SHARED_STATUS_LABELS = {status.name: StatusKind(status.kind).label for status in DEFAULT_STATUSES}


def status_label(name: str, name_en: str = "") -> str:
    """A status's name in the current language: a shared status ("Inskickat") is translated
    with the portal, a municipality's own ("Beviljat") by its ``name_en`` where it has one,
    else shown in Swedish (as a ``SwedishText``)."""
    label = _SHARED_STATUS_LABELS.get(name)
    if label is not None:
        return str(label)
    return shown(name, {"en": name_en})


class StatusQuerySet(models.QuerySet["Status"]):
    def shared(self) -> StatusQuerySet:
        return self.filter(municipality__isnull=True)

    def default_for(self, kind: StatusKind) -> Status:
        """The shared default status of a kind (the migrations seed one for every kind)."""
        return self.shared().get(kind=kind, is_default=True)


class Status(models.Model):
    """A status a case can have. Shared defaults have no municipality."""

    name = models.CharField(_("namn"), max_length=100)
    name_en = models.CharField(
        _("namn på engelska"),
        max_length=100,
        blank=True,
        db_default="",
        default="",
        help_text=_("Visas på engelska sidor; tomt: det svenska namnet. Standardstatusarna "
                    "översätts med portalen."),
    )  # fmt: skip
    kind = models.CharField(_("typ"), max_length=24, choices=StatusKind.choices)
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="statuses",
    )
    is_default = models.BooleanField(_("standard för sin typ"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    objects = StatusQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("status")
        verbose_name_plural = pgettext_lazy("plural", "status")
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(municipality__isnull=True),
                name="status_shared_name_unique",
            ),
            models.UniqueConstraint(
                fields=["municipality", "name"],
                condition=Q(municipality__isnull=False),
                name="status_municipality_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the current language (see ``status_label``)."""
        return status_label(self.name, self.name_en)


class CaseQuerySet(models.QuerySet["Case"]):
    def for_citizen(self, user: User) -> CaseQuerySet:
        return self.filter(owner=user)

    def drafts(self) -> CaseQuerySet:
        return self.filter(status_kind=StatusKind.DRAFT)

    def submitted(self) -> CaseQuerySet:
        # The same as having a number: submitting sets both in one transaction.
        return self.exclude(status_kind=StatusKind.DRAFT)


# What the inbox filters on, carried in its indexes.
_INBOX_COLUMNS = [
    "eservice",
    "status",
    "status_kind",
    "handler",
    "handler_unread",
    "due_at",
    "submitted_at",
    "owner",
]


class Case(models.Model):
    """One person's use of one e-service: a draft until submitted, then an "ärende"."""

    reference = models.UUIDField(_("referens"), default=uuid.uuid4, unique=True, editable=False)
    eservice = models.ForeignKey(
        "eservices.EService",
        verbose_name=_("e-tjänst"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    eservice_version = models.ForeignKey(
        "eservices.EServiceVersion",
        verbose_name=_("version av e-tjänst"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ägare"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("Tomt för e-tjänster som inte kräver inloggning."),
    )
    status = models.ForeignKey(
        Status, verbose_name=_("status"), on_delete=models.PROTECT, related_name="cases"
    )
    # The status's kind, copied by ``save`` whenever the status is set, so that lists can
    # filter on open and closed without a join.
    status_kind = models.CharField(
        _("typ av status"), max_length=24, choices=StatusKind.choices, editable=False
    )
    number = models.PositiveIntegerField(_("ärendenummer"), null=True, blank=True, unique=True)
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    # A short name from the first answers (``Definition.case_title``), kept with them.
    title = models.CharField(_("rubrik"), max_length=80, blank=True, default="", db_default="")
    # What the person typed on a step that did not validate yet: kept so nothing is lost.
    unsaved_input = models.JSONField(default=dict, blank=True)
    # Steps whose answers passed validation; a step shown later by a condition is not.
    completed_steps = models.JSONField(default=list, blank=True)
    current_step = models.CharField(_("aktuellt steg"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    last_saved_at = models.DateTimeField(_("senast sparad"), null=True, blank=True)
    # When the owner of a draft was told that it will be deleted unless they go on with it;
    # saving the draft again clears it (see cases.drafts).
    expiry_noticed_at = models.DateTimeField(_("påmind om borttagning"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inskickat"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("senaste händelse"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_cases",
    )
    # When the municipality means to have handled the case (set at submission).
    due_at = models.DateTimeField(_("ska vara handlagt"), null=True, blank=True)
    # A message from the citizen that no handler has opened yet.
    handler_unread = models.BooleanField(_("oläst meddelande från invånaren"), default=False)
    # Raised by every change after submission: a form that shows version N can only change
    # the case while it is still at N, so two handlers never overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # What the case booked or the place in a queue it gave (see the definition's booking
    # field and ``queue``); the case knows its reservations, never the other way round.
    booking = models.OneToOneField(
        "reservations.Booking",
        verbose_name=_("bokning"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
    )
    queue_place = models.OneToOneField(
        "reservations.QueuePlace",
        verbose_name=_("köplats"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = pgettext_lazy("plural", "ärenden")
        indexes = [
            models.Index(fields=["owner", "-last_saved_at"], name="case_owner_saved"),
            # The drafts that have expired or are about to (cases.drafts), each rule on an
            # index that holds only the drafts it may find: without login, by last save;
            # a person's not yet told, by last save; those told, by when.
            models.Index(
                fields=["last_saved_at"],
                condition=Q(status_kind=StatusKind.DRAFT, owner__isnull=True),
                name="case_draft_anonymous",
            ),
            models.Index(
                fields=["last_saved_at"],
                condition=Q(
                    status_kind=StatusKind.DRAFT,
                    owner__isnull=False,
                    expiry_noticed_at__isnull=True,
                ),
                name="case_draft_unnoticed",
            ),
            models.Index(
                fields=["expiry_noticed_at"],
                condition=Q(status_kind=StatusKind.DRAFT, expiry_noticed_at__isnull=False),
                name="case_draft_noticed",
            ),
            # Mina sidor's submitted cases, newest first.
            models.Index(
                fields=["owner", "-last_event_at", "-id"],
                include=["status_kind"],
                condition=~Q(status_kind=StatusKind.DRAFT),
                name="case_owner_event",
            ),
            models.Index(fields=["eservice", "submitted_at"], name="case_eservice_submitted"),
            models.Index(fields=["handler", "-last_event_at", "-id"], name="case_handler_event"),
            # The inbox walks these in order, filtering on the included columns without
            # reading the table: one for what is on the desk, one for the closed history.
            models.Index(
                fields=["municipality", "-last_event_at", "-id"],
                include=_INBOX_COLUMNS,
                condition=ON_THE_DESK,
                name="case_desk",
            ),
            models.Index(
                fields=["municipality", "-last_event_at", "-id"],
                include=_INBOX_COLUMNS,
                condition=Q(status_kind=StatusKind.CLOSED),
                name="case_closed",
            ),
            # The same per e-service, for the inbox's filter on one (with the municipality
            # that the inbox always filters on, which the e-service implies).
            models.Index(
                fields=["eservice", "-last_event_at", "-id"],
                include=["municipality", *_INBOX_COLUMNS],
                condition=ON_THE_DESK,
                name="case_eservice_desk_m",
            ),
            models.Index(
                fields=["eservice", "-last_event_at", "-id"],
                include=["municipality", *_INBOX_COLUMNS],
                condition=Q(status_kind=StatusKind.CLOSED),
                name="case_eservice_closed_m",
            ),
            # The inbox's filter on when cases were submitted: the cases of a date range
            # in the municipality, whichever tab they are in, sorted as the inbox sorts.
            models.Index(
                fields=["municipality", "submitted_at"],
                include=["id", "last_event_at", *_INBOX_COLUMNS],
                condition=~Q(status_kind=StatusKind.DRAFT),
                name="case_submitted",
            ),
        ]

    def __str__(self) -> str:
        return str(self.number) if self.number else str(self.reference)

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "status" in update_fields:
            self.status_kind = self.status.kind
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "status_kind"}
        super().save(*args, **kwargs)

    def move_to(self, status: Status) -> None:
        """Give the case ``status`` (saved with the case), its kind at once included, so
        that what happens next in the same step sees the new kind."""
        self.status = status
        self.status_kind = status.kind

    @property
    def is_draft(self) -> bool:
        return self.status_kind == StatusKind.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status_kind in OPEN_KINDS

    @property
    def is_closed(self) -> bool:
        return self.status_kind == StatusKind.CLOSED

    @property
    def awaits_supplement(self) -> bool:
        return self.status_kind == StatusKind.AWAITING_SUPPLEMENT

    @property
    def is_editable(self) -> bool:
        """Whether the citizen may change the answers now (a draft, or "Ändra ärende")."""
        return self.status_kind in {StatusKind.DRAFT, StatusKind.AWAITING_SUPPLEMENT}


class CaseRevision(models.Model):
    """The answers as submitted: one per submission and per supplement, never changed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    answers = models.JSONField(_("svar"))
    created_at = models.DateTimeField(_("inskickad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inskickad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The PDF copy ("Visa ärende" as a document), made in the background after submission.
    pdf = models.CharField(_("PDF"), max_length=300, blank=True)
    pdf_created_at = models.DateTimeField(_("PDF skapad"), null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("ärendeversion")
        verbose_name_plural = pgettext_lazy("plural", "ärendeversioner")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="caserevision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case} v{self.number}"


class CaseEvent(models.Model):
    """One thing that happened to a case: the "Ärendehistorik" and its audit trail."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Inskickat")
        SUPPLEMENTED = "supplemented", _("Kompletterat")
        STATUS_CHANGED = "status_changed", _("Status ändrad")
        MESSAGE_TO_CITIZEN = "message_to_citizen", _("Meddelande skickat till invånaren")
        MESSAGE_FROM_CITIZEN = "message_from_citizen", _("Meddelande från invånaren")
        HANDLER_ASSIGNED = "handler_assigned", _("Handläggare tilldelad")
        BOOKED = "booked", _("Tid bokad")
        BOOKING_CONFIRMED = "booking_confirmed", _("Bokning bekräftad")
        BOOKING_CANCELLED = "booking_cancelled", _("Bokning avbokad")
        QUEUED = "queued", _("Placerad i kö")
        PLACE_OFFERED = "place_offered", _("Plats erbjuden")
        OFFER_ANSWERED = "offer_answered", _("Svar på erbjudande")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("händelse"), max_length=32, choices=Kind.choices)
    details = models.CharField(_("detaljer"), max_length=500, blank=True)
    status = models.ForeignKey(
        Status, verbose_name=_("status"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The name as it was when it happened, as the handbook's "Person" column shows it.
    person_name = models.CharField(_("person"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("datum"), auto_now_add=True)
    # The id of the transaction that wrote the event, on PostgreSQL (0 elsewhere): the
    # integration API's event feed is ordered by it so that a reader never passes an event
    # whose transaction has not committed yet (see ``api.feed``).
    transaction_id = models.BigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("händelse")
        verbose_name_plural = pgettext_lazy("plural", "händelser")
        indexes = [
            models.Index(fields=["case", "created_at"], name="caseevent_case_created"),
            models.Index(fields=["transaction_id", "id"], name="caseevent_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class SystemReference(models.Model):
    """What a case-management system calls the case (its diarienummer) and whether it has
    taken the case: written through the integration API, shown to handlers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="system_references")
    system = models.CharField(_("verksamhetssystem"), max_length=100)
    identifier = models.CharField(_("id i systemet"), max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(_("mottaget av systemet"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)

    class Meta:
        ordering = ["system", "pk"]
        verbose_name = _("id i verksamhetssystem")
        verbose_name_plural = _("id i verksamhetssystem")
        constraints = [
            models.UniqueConstraint(fields=["case", "system"], name="systemreference_unique")
        ]
        indexes = [models.Index(fields=["system", "identifier"], name="systemreference_identifier")]

    def __str__(self) -> str:
        return f"{self.system}: {self.identifier}"


class CaseNumberSequence(models.Model):
    """The last case number handed out; one row, locked while a number is taken."""

    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ärendenummerserie")

    def __str__(self) -> str:
        return str(self.last_number)


class Message(models.Model):
    """A message between the citizen and the municipality about one case."""

    class Direction(models.TextChoices):
        TO_CITIZEN = "to_citizen", _("Till invånaren")
        FROM_CITIZEN = "from_citizen", _("Från invånaren")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("riktning"), max_length=16, choices=Direction.choices)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("avsändare"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sender_name = models.CharField(_("avsändare"), max_length=300, blank=True)
    text = models.TextField(_("meddelande"), max_length=TEXT_LIMIT)
    # The form's one-time token: sending the same form twice stores one message.
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("skickat"), auto_now_add=True)
    # When the receiving side first opened it (the citizen, or any handler of the case).
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meddelande")
        verbose_name_plural = pgettext_lazy("plural", "meddelanden")
        indexes = [models.Index(fields=["case", "created_at"], name="message_case_created")]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_citizen(self) -> bool:
        return self.direction == self.Direction.FROM_CITIZEN


class Attachment(models.Model):
    """A file sent with a message; served only through views that check who asks."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("filnamn"), max_length=200)
    key = models.CharField(max_length=300, unique=True)
    size = models.PositiveBigIntegerField(_("storlek"))
    content_type = models.CharField(_("filtyp"), max_length=150)

    class Meta:
        ordering = ["message", "pk"]
        verbose_name = _("bifogad fil")
        verbose_name_plural = pgettext_lazy("plural", "bifogade filer")

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    """An internal note by staff about a case; never shown to the citizen."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skriven av"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    author_name = models.CharField(_("skriven av"), max_length=300)
    text = models.TextField(_("anteckning"), max_length=TEXT_LIMIT)
    token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("intern anteckning")
        verbose_name_plural = pgettext_lazy("plural", "interna anteckningar")
        indexes = [models.Index(fields=["case", "created_at"], name="note_case_created")]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d %H:%M}"


class PersonalDataExport(models.Model):
    """A person's request for "Mina personuppgifter" as a PDF, made by the task worker."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_data_exports"
    )
    requested_at = models.DateTimeField(_("beställd"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    key = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("utdrag av personuppgifter")
        verbose_name_plural = pgettext_lazy("plural", "utdrag av personuppgifter")
        indexes = [models.Index(fields=["user", "-requested_at"], name="export_user_requested")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M}"


class PurgedCase(models.Model):
    """One closed case removed by gallring: what is left to show that it existed and when it
    went, without its answers or anything about the person (the purge log)."""

    number = models.PositiveIntegerField(_("ärendenummer"))
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="purged_cases",
    )
    eservice = models.ForeignKey(
        "eservices.EService",
        verbose_name=_("e-tjänst"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="purged_cases",
    )
    eservice_title = models.CharField(_("e-tjänst"), max_length=200)
    submitted_at = models.DateTimeField(_("inskickat"), null=True)
    last_event_at = models.DateTimeField(_("senaste händelse"), null=True)
    retention_days = models.PositiveIntegerField(_("gallras efter dagar"))
    files = models.PositiveIntegerField(_("filer"), default=0)
    purged_at = models.DateTimeField(_("gallrat"))

    class Meta:
        verbose_name = _("gallrat ärende")
        verbose_name_plural = pgettext_lazy("plural", "gallrade ärenden")
        indexes = [
            models.Index(
                fields=["municipality", "-purged_at", "-id"], name="purgedcase_municipality"
            )
        ]

    def __str__(self) -> str:
        return str(self.number)

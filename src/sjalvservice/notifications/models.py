"""The outbox: one ``Delivery`` per (event, channel, recipient), and the texts a
municipality writes itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sjalvservice.notifications.kinds import Channel, Kind

if TYPE_CHECKING:
    from sjalvservice.accounts.models import User


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def unread_notices(self, user: User) -> DeliveryQuerySet:
        """The person's notices on Mina sidor that they have not seen yet."""
        return self.filter(
            user=user, channel=Channel.PORTAL, state=Delivery.State.SENT, read_at__isnull=True
        )


class Delivery(models.Model):
    """One notice to one recipient on one channel, written in the same transaction as
    the change it tells of and delivered by the worker.

    ``key`` makes writing it idempotent. A worker takes a delivery by setting
    ``leased_until``; a delivery whose lease ran out (the worker died) is taken up again
    by ``sjalvservice tick``. Temporary failures are retried with exponential backoff
    until ``NOTIFICATION_MAX_ATTEMPTS``; then, or at once for a permanent failure, the
    delivery is ``failed``, which the handler sees on the case.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på att skickas")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickad")
        DELIVERED = "delivered", _("Levererad")
        FAILED = "failed", _("Kunde inte levereras")
        CANCELLED = "cancelled", _("Behövdes inte")

    key = models.CharField(_("nyckel"), max_length=120, unique=True)
    kind = models.CharField(_("händelse"), max_length=30, choices=Kind.choices)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottagare"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    # The e-mail address or mobile number at the time of the event (blank on Mina sidor).
    address = models.CharField(_("adress"), max_length=254, blank=True)
    language = models.CharField(_("språk"), max_length=8, default="sv")
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("ärende"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # The portal path the notice links to (the case on Mina sidor or in the back office).
    path = models.CharField(_("länk"), max_length=200)
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    next_attempt_at = models.DateTimeField(_("nästa försök"))
    leased_until = models.DateTimeField(_("upptagen till"), null=True, blank=True)
    last_error = models.CharField(_("senaste fel"), max_length=200, blank=True)
    # The gateway's id of an SMS, for its delivery report; a webhook's HTTP status.
    provider_id = models.CharField(_("leverantörens id"), max_length=64, blank=True)
    # A webhook: the subscription it goes to, and the body it POSTs, fixed when the event
    # happened (the integration API's sender signs and sends it; see ``register_sender``).
    target_id = models.PositiveBigIntegerField(_("mottagarens id"), null=True, blank=True)
    payload = models.JSONField(_("innehåll"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("levererad"), null=True, blank=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("leverans")
        verbose_name_plural = pgettext_lazy("plural", "leveranser")
        indexes = [
            # tick: the due and the stale, among the few that are not done.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(state__in=["pending", "sending"]),
            ),
            # Mina sidor: a person's unread notices.
            models.Index(
                fields=["user", "case"],
                name="delivery_unread_notice",
                condition=models.Q(channel="portal", read_at__isnull=True),
            ),
            models.Index(fields=["case", "created_at"], name="delivery_case"),
            # A webhook subscription's latest deliveries.
            models.Index(
                fields=["target_id", "-created_at"],
                name="delivery_webhook",
                condition=models.Q(channel="webhook"),
            ),
            models.Index(
                fields=["provider_id"],
                name="delivery_provider_id",
                condition=~models.Q(provider_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()})"

    @property
    def is_done(self) -> bool:
        return self.state in {self.State.SENT, self.State.DELIVERED, self.State.FAILED}

    @property
    def outcome(self) -> str:
        """What became of it, in the handler's words ("E-post skickad")."""
        state, waiting = self.state, {self.State.PENDING, self.State.SENDING}
        if state == self.State.CANCELLED:
            return str(_("Behövdes inte längre"))
        if self.channel == Channel.PORTAL:
            if state in waiting:
                return str(_("Visas på Mina sidor senare"))
            return str(_("Läst på Mina sidor") if self.read_at else _("Visas på Mina sidor"))
        if self.channel == Channel.WEBHOOK:
            return str(
                _("Webhook väntar på att skickas") if state in waiting
                else _("Webhook kunde inte levereras") if state == self.State.FAILED
                else _("Webhook mottagen")
            )  # fmt: skip
        if self.channel == Channel.SMS:
            return str(
                _("SMS väntar på att skickas") if state in waiting
                else _("SMS kunde inte levereras") if state == self.State.FAILED
                else _("SMS levererat") if state == self.State.DELIVERED
                else _("SMS skickat")
            )  # fmt: skip
        return str(
            _("E-post väntar på att skickas") if state in waiting
            else _("E-post kunde inte levereras") if state == self.State.FAILED
            else _("E-post skickad")
        )  # fmt: skip

    @property
    def has_failed(self) -> bool:
        return self.state == self.State.FAILED


class TextOverride(models.Model):
    """A municipality's own text for one notice of one e-service, in one language.

    Blank fields keep the portal's default text."""

    eservice = models.ForeignKey(
        "eservices.EService",
        verbose_name=_("e-tjänst"),
        on_delete=models.CASCADE,
        related_name="notice_texts",
    )
    kind = models.CharField(_("händelse"), max_length=30, choices=Kind.choices)
    language = models.CharField(_("språk"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("ämnesrad"), max_length=200, blank=True)
    body = models.TextField(_("text i e-post"), max_length=3000, blank=True)
    sms = models.CharField(_("text i SMS"), max_length=320, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ändrad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("egen notistext")
        verbose_name_plural = pgettext_lazy("plural", "egna notistexter")
        constraints = [
            models.UniqueConstraint(
                fields=["eservice", "kind", "language"], name="textoverride_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.eservice} – {self.get_kind_display()} ({self.language})"


class StaffEmailOptOut(models.Model):
    """A member of staff who does not want e-mail for one kind of event (all are on by
    default: a handler who hears of nothing lets cases stall)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(_("händelse"), max_length=30, choices=Kind.choices)

    class Meta:
        verbose_name = _("avstängd e-postnotis")
        verbose_name_plural = pgettext_lazy("plural", "avstängda e-postnotiser")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="staffemailoptout_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()}"

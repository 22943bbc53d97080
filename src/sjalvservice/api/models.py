"""The integration API's clients: the case-management systems a municipality lets in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a client may do; every operation of the API needs one of them."""

    READ_CASES = "read_cases", _("Läsa ärenden")
    WRITE_STATUS = "write_status", _("Ändra status, handläggare och id i systemet")
    WRITE_MESSAGES = "write_messages", _("Skicka meddelanden och skriva anteckningar")
    WEBHOOKS = "webhooks", _("Ta emot webhooks")


class ApiClient(models.Model):
    """A case-management system of one municipality, allowed to see some of its e-services.

    ``user`` is the system's own account, with no login: the changes it makes through the
    cases' domain functions are recorded with it, so the history's "Person" is the system.
    """

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    name = models.CharField(_("namn"), max_length=100)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    eservices = models.ManyToManyField(
        "eservices.EService", verbose_name=_("e-tjänster"), related_name="+", blank=True
    )
    scopes = models.JSONField(_("behörigheter"), default=list, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("API-klient")
        verbose_name_plural = _("API-klienter")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="apiclient_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def may(self, scope: Scope) -> bool:
        return scope in self.scopes


class ApiToken(models.Model):
    """A bearer token of a client. Only its SHA-256 is kept: the token itself is shown once,
    when it is made. A client may have several, to change them without a pause."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    # The token's first characters, to tell tokens apart in the list.
    prefix = models.CharField(_("början"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by_name = models.CharField(_("skapad av"), max_length=300, blank=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.prefix}…"


class IdempotentRequest(models.Model):
    """The answer to a write sent with an ``Idempotency-Key``: the same key again gets the
    same answer, and the write is not made twice."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    # The method, path and body of the request the key was first used for.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotentrequest_unique")
        ]

    def __str__(self) -> str:
        return self.key


class WebhookSubscription(models.Model):
    """Where a client wants its cases' events POSTed, signed as Standard Webhooks says.

    ``event_types`` are ``CaseEvent.Kind`` values; none means every event. The secret is
    kept as it is, since every delivery is signed with it, and shown to the municipality's
    administrators only.
    """

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("adress"), max_length=254)
    event_types = models.JSONField(_("händelser"), default=list, blank=True)
    secret = models.CharField(max_length=80)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["url", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

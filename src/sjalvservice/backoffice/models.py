"""Who handles what: e-services assigned to handlers, directly or through groups, and the
record of every change to that."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HandlerGroup(models.Model):
    """Handlers of one municipality who share the cases of some e-services."""

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.CASCADE,
        related_name="handler_groups",
    )
    name = models.CharField(_("namn"), max_length=100)
    email = models.EmailField(
        _("gemensam e-postadress"),
        blank=True,
        help_text=_("Notiser om gruppens ärenden går hit i stället för till var och en."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        related_name="handler_groups",
        blank=True,
    )
    eservices = models.ManyToManyField(
        "eservices.EService",
        verbose_name=_("e-tjänster"),
        related_name="handler_groups",
        blank=True,
    )

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("handläggargrupp")
        verbose_name_plural = pgettext_lazy("plural", "handläggargrupper")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="handlergroup_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """One e-service assigned directly to one handler."""

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handläggare"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    eservice = models.ForeignKey(
        "eservices.EService",
        verbose_name=_("e-tjänst"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )

    class Meta:
        verbose_name = _("tilldelad e-tjänst")
        verbose_name_plural = pgettext_lazy("plural", "tilldelade e-tjänster")
        constraints = [
            models.UniqueConstraint(fields=["handler", "eservice"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.handler} – {self.eservice}"


class ReplyTemplate(models.Model):
    """A ready text for a message to the citizen, per e-service ("svarsmall")."""

    eservice = models.ForeignKey(
        "eservices.EService",
        verbose_name=_("e-tjänst"),
        on_delete=models.CASCADE,
        related_name="reply_templates",
    )
    title = models.CharField(_("rubrik"), max_length=100)
    text = models.TextField(_("text"), max_length=5000)

    class Meta:
        ordering = ["eservice", "title"]
        verbose_name = _("svarsmall")
        verbose_name_plural = pgettext_lazy("plural", "svarsmallar")
        constraints = [
            models.UniqueConstraint(fields=["eservice", "title"], name="replytemplate_unique")
        ]

    def __str__(self) -> str:
        return self.title


class StaffChange(models.Model):
    """One change of who may do or see what in a municipality, made in "Administrera".

    Written only by ``backoffice.services``, in the same transaction as the change. Names
    are kept as they were: the record must still say who and whom when an account or a
    group is renamed or gone, so the target is an id and a name, not a foreign key.
    """

    class Action(models.TextChoices):
        HANDLER_CREATED = "handler_created", _("Lade till handläggare")
        HANDLER_DEACTIVATED = "handler_deactivated", _("Inaktiverade konto")
        HANDLER_REACTIVATED = "handler_reactivated", _("Aktiverade konto igen")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Återställde tvåstegsverifiering")
        ACCESS_CHANGED = "access_changed", _("Ändrade e-tjänster och grupper")
        GROUP_CREATED = "group_created", _("Skapade handläggargrupp")
        GROUP_CHANGED = "group_changed", _("Ändrade handläggargrupp")
        ROLE_CHANGED = "role_changed", _("Ändrade roll")
        API_CLIENT_CREATED = "api_client_created", _("Skapade API-klient")
        API_CLIENT_CHANGED = "api_client_changed", _("Ändrade API-klient")
        API_TOKEN_CREATED = "api_token_created", _("Skapade API-nyckel")
        API_TOKEN_REVOKED = "api_token_revoked", _("Återkallade API-nyckel")

    class TargetType(models.TextChoices):
        HANDLER = "handler", _("Handläggare")
        GROUP = "group", _("Handläggargrupp")
        API_CLIENT = "api_client", _("API-klient")

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vem"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    actor_name = models.CharField(_("vem"), max_length=300)
    action = models.CharField(_("vad"), max_length=32, choices=Action.choices)
    target_type = models.CharField(_("gäller"), max_length=16, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField(_("gäller id"))
    target_name = models.CharField(_("gäller"), max_length=300)
    detail = models.CharField(_("detaljer"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("varifrån"), null=True, blank=True)
    created_at = models.DateTimeField(_("när"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ändring av behörighet")
        verbose_name_plural = pgettext_lazy("plural", "ändringar av behörigheter")
        indexes = [
            models.Index(
                fields=["municipality", "-created_at", "-id"], name="staffchange_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display()} {self.target_name}"

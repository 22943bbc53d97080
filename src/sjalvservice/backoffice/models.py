"""Who handles what: e-services assigned to handlers, directly or through groups."""

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

from django.db import models
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.validators import validate_organisation_number


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> "MunicipalityQuerySet":
        return self.filter(is_active=True)


class Municipality(models.Model):
    """A municipality served by this installation; e-services and cases belong to one."""

    name = models.CharField(_("namn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=10,
        unique=True,
        validators=[validate_organisation_number],
        help_text=_("Tio siffror, t.ex. 2120002627."),
    )
    contact_email = models.EmailField(_("e-postadress"), blank=True)
    contact_phone = models.CharField(_("telefonnummer"), max_length=30, blank=True)
    website = models.URLField(_("webbplats"), blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name

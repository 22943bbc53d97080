from django.db import models
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.colours import validate_brand_colour
from sjalvservice.core.hosts import validate_host_name
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
    # The municipality's own site on this installation: the host name it answers on, with
    # its name, logo and colour in the header. Other host names show the region's portal.
    host = models.CharField(
        _("värdnamn"),
        max_length=253,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_host_name],
        help_text=_("Adressen till kommunens egen portal, till exempel sjalvservice.lycksele.se."),
    )
    brand_colour = models.CharField(
        _("färg"),
        max_length=7,
        blank=True,
        db_default="",
        validators=[validate_brand_colour],
        help_text=_("Sidhuvudets färg, till exempel #1d5a6e. Vit text på den måste ha "
                    "kontrasten 4,5:1."),
    )  # fmt: skip
    logo = models.FileField(
        _("logotyp"),
        upload_to="kommuner/",
        blank=True,
        db_default="",
        help_text=_("En SVG- eller PNG-bild som syns vit eller ljus mot sidhuvudets färg."),
    )
    accessibility_statement = models.TextField(
        _("tillgänglighetsredogörelse"),
        blank=True,
        db_default="",
        help_text=_("Kommunens egen text överst i tillgänglighetsredogörelsen på dess portal."),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name


class AccessLog(models.Model):
    """That a member of staff looked at personal data: who, when, what and from where."""

    class Action(models.TextChoices):
        CASE = "case", _("Öppnade ärende")
        PDF = "pdf", _("Hämtade ärendets PDF")
        ATTACHMENT = "attachment", _("Hämtade bifogad fil")
        SEARCH = "search", _("Sökte på personnummer")
        QUEUE = "queue", _("Visade en kö")
        BOOKINGS = "bookings", _("Visade bokningar för en resurs")
        API_CALL = "api_call", _("Anropade integrations-API:et")

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("vem"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as it was: the log must still say who when the account is gone.
    user_name = models.CharField(_("vem"), max_length=300)
    action = models.CharField(_("vad"), max_length=20, choices=Action.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    case_number = models.PositiveIntegerField(_("ärendenummer"), null=True, blank=True)
    detail = models.CharField(_("detaljer"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("varifrån"), null=True, blank=True)
    created_at = models.DateTimeField(_("när"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("åtkomstlogg")
        verbose_name_plural = _("åtkomstlogg")
        indexes = [
            models.Index(fields=["municipality", "-created_at"], name="accesslog_municipality"),
            models.Index(fields=["case_number", "-created_at"], name="accesslog_case"),
        ]

    def __str__(self) -> str:
        return f"{self.user_name} {self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class RateLimitWindow(models.Model):
    """How many attempts one key made in one minute.

    In the database, so that every process and machine counts together (a per-process
    cache let each web worker allow the limit on its own). ``key`` is a hash, never the
    client address itself. Windows older than the last two are purged by ``tick``.
    """

    key = models.CharField(_("nyckel"), max_length=64)
    window = models.BigIntegerField(_("minut"))  # minutes since the epoch
    count = models.PositiveIntegerField(_("antal"), default=0)

    class Meta:
        verbose_name = _("försök per minut")
        verbose_name_plural = _("försök per minut")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_key_minute")
        ]
        indexes = [models.Index(fields=["window"], name="ratelimit_minute")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.window}: {self.count}"

"""The e-service catalogue: categories, e-services and their immutable published versions."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.languages import shown
from sjalvservice.eservices.search import build_search_text


class Category(models.Model):
    """A heading the catalogue groups e-services under, e.g. "Bygga och bo"."""

    name = models.CharField(_("namn"), max_length=100)
    name_en = models.CharField(
        _("namn på engelska"), max_length=100, blank=True, default="", db_default=""
    )
    slug = models.SlugField(_("kortnamn"), max_length=60, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")

    def __str__(self) -> str:
        return self.name

    @property
    def name_shown(self) -> str:
        """The name in the current language (Swedish where it has no translation)."""
        return shown(self.name, {"en": self.name_en})


class EServiceQuerySet(models.QuerySet["EService"]):
    def published(self) -> EServiceQuerySet:
        """E-services a resident can find and start: active, in an active municipality,
        with at least one published version."""
        return self.filter(
            Exists(EServiceVersion.objects.filter(eservice=OuterRef("pk"))),
            is_active=True,
            municipality__is_active=True,
        )

    def for_municipality(self, municipality: Any) -> EServiceQuerySet:
        return self.filter(municipality=municipality)

    def in_category(self, category: Category) -> EServiceQuerySet:
        return self.filter(category=category)


class EService(models.Model):
    """The stable identity of an e-service; what residents fill in lives in its versions."""

    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="eservices",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="eservices"
    )
    slug = models.SlugField(
        _("kortnamn"),
        max_length=80,
        unique=True,
        help_text=_("Används i adressen, till exempel /tjanster/bygglov/."),
    )
    title = models.CharField(_("namn"), max_length=200)
    short_description = models.CharField(_("kort beskrivning"), max_length=300, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    # The texts on English pages; empty: the Swedish text (see core.languages).
    title_en = models.CharField(
        _("namn på engelska"), max_length=200, blank=True, default="", db_default=""
    )
    short_description_en = models.CharField(
        _("kort beskrivning på engelska"), max_length=300, blank=True, default="", db_default=""
    )
    description_en = models.TextField(
        _("beskrivning på engelska"), blank=True, default="", db_default=""
    )
    keywords = models.TextField(
        _("sökord"),
        blank=True,
        help_text=_("Synonymer och andra ord som ska hitta e-tjänsten, ett per rad eller "
                    "separerade med kommatecken."),
    )  # fmt: skip
    requires_login = models.BooleanField(_("kräver inloggning"), default=True)
    featured = models.BooleanField(
        _("visas först"),
        default=False,
        db_default=False,
        help_text=_("Visas först bland de mest använda tjänsterna på kommunens egen portal."),
    )
    handling_days = models.PositiveSmallIntegerField(
        _("handläggningstid i dagar"),
        default=14,
        help_text=_("Ett ärende som inte är avslutat så här många dagar efter att det skickades "
                    "in visas som försenat för handläggarna."),
    )  # fmt: skip
    supplement_reminder_days = models.PositiveSmallIntegerField(
        _("påminnelse om komplettering efter dagar"),
        default=7,
        db_default=7,
        help_text=_("Den sökande påminns en gång om en begärd komplettering som inte har "
                    "kommit in efter så här många dagar. 0: ingen påminnelse."),
    )  # fmt: skip
    # Gallring: how long the closed cases are kept. None keeps them, as an e-service whose
    # cases must be archived needs; the purge itself is cases.retention's.
    retention_days = models.PositiveIntegerField(
        _("gallras efter dagar"),
        null=True,
        blank=True,
        help_text=_("Avslutade ärenden tas bort med sina filer så här många dagar efter sin "
                    "senaste händelse. Tomt: ärendena bevaras, till exempel för arkivering."),
    )  # fmt: skip
    is_active = models.BooleanField(_("aktiv"), default=True)
    # Closed for new cases: still in the catalogue, with why and until when in
    # ``closed_message``; drafts already started can still be sent in.
    accepts_cases = models.BooleanField(_("tar emot ärenden"), default=True, db_default=True)
    closed_message = models.TextField(
        _("meddelande när e-tjänsten är stängd"), blank=True, default="", db_default=""
    )
    closed_message_en = models.TextField(
        _("meddelande när e-tjänsten är stängd, på engelska"), blank=True, default="", db_default=""
    )
    contact = models.TextField(
        _("kontakt vid frågor"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Vem den sökande kan fråga om e-tjänsten, till exempel en funktionsbrevlåda "
                    "och ett telefonnummer. Visas på e-tjänstens sida."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # Three lines of normalised words (title, keywords, descriptions) kept up to date by
    # save(); the search reads only this, so it never folds and splits texts per query.
    search_text = models.TextField(editable=False, blank=True)
    # The queue and the resource the current version puts people in or books, set when a
    # version is published: handlers of the e-service manage them in the back office.
    queues = models.ManyToManyField(
        "reservations.Queue", verbose_name=_("köer"), blank=True, related_name="eservices"
    )
    resources = models.ManyToManyField(
        "reservations.Resource", verbose_name=_("resurser"), blank=True, related_name="eservices"
    )

    objects = EServiceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("e-tjänst")
        verbose_name_plural = _("e-tjänster")
        indexes = [
            models.Index(fields=["municipality", "is_active"], name="eservice_municipality_active"),
            models.Index(fields=["category", "is_active"], name="eservice_category_active"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Found by its English words too.
        self.search_text = build_search_text(
            title=f"{self.title} {self.title_en}",
            keywords=self.keywords,
            descriptions=[
                self.short_description, self.description,
                self.short_description_en, self.description_en,
            ],
        )  # fmt: skip
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("eservices:detail", kwargs={"slug": self.slug})

    @property
    def start_url(self) -> str:
        """Where "Starta e-tjänsten" leads: the form runner of the cases app."""
        return f"{self.get_absolute_url()}starta/"

    @property
    def title_shown(self) -> str:
        """The name in the current language (Swedish where it has no translation)."""
        return shown(self.title, {"en": self.title_en})

    @property
    def short_description_shown(self) -> str:
        return shown(self.short_description, {"en": self.short_description_en})

    @property
    def description_paragraphs(self) -> list[str]:
        """The description in the current language split at blank lines, for one <p>
        each (each a ``SwedishText`` where it has no translation)."""
        description = shown(self.description, {"en": self.description_en})
        parts = [part.strip() for part in re.split(r"\n\s*\n", description) if part.strip()]
        return [type(description)(part) for part in parts]

    @property
    def closed_message_shown(self) -> str:
        return shown(self.closed_message, {"en": self.closed_message_en})

    @property
    def keyword_list(self) -> list[str]:
        """The keywords one by one, whether they were written per line or comma separated."""
        parts = self.keywords.replace(",", "\n").splitlines()
        return [part.strip() for part in parts if part.strip()]

    @cached_property
    def current_version(self) -> EServiceVersion | None:
        """The latest published version, which new cases are started on."""
        return self.versions.order_by("-number").first()


class EServiceChange(models.Model):
    """One change of an e-service by its municipality's staff: its details, closing or
    opening it, a version published. Written only by ``eservices.services``, in the same
    transaction as the change; who made it is kept by name too, so that the record still
    says who when the account is gone."""

    class Action(models.TextChoices):
        CREATED = "created", _("Skapade e-tjänsten")
        DETAILS = "details", _("Ändrade uppgifterna")
        CLOSED = "closed", _("Stängde e-tjänsten för nya ärenden")
        OPENED = "opened", _("Öppnade e-tjänsten igen")
        PUBLISHED = "published", _("Publicerade en ny version")
        DRAFTED = "drafted", _("Kopierade en version till utkastet")
        DRAFT_DISCARDED = "draft_discarded", _("Tog bort utkastet")

    eservice = models.ForeignKey(
        "EService", verbose_name=_("e-tjänst"), on_delete=models.CASCADE, related_name="changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vem"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("vem"), max_length=300)
    action = models.CharField(_("ändring"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("vad"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("när"), auto_now_add=True)

    class Meta:
        verbose_name = _("ändring av e-tjänst")
        verbose_name_plural = _("ändringar av e-tjänster")
        indexes = [
            models.Index(
                fields=["eservice", "-created_at", "-id"], name="eservicechange_eservice_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.eservice_id}"


class EServiceVersion(models.Model):
    """A published definition of an e-service. Never changed once saved: cases point at it."""

    eservice = models.ForeignKey(
        EService, verbose_name=_("e-tjänst"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("kontrollsumma"), max_length=64)
    created_at = models.DateTimeField(_("publicerad"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicerad av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["eservice", "number"]
        verbose_name = _("version av e-tjänst")
        verbose_name_plural = _("versioner av e-tjänster")
        constraints = [
            models.UniqueConstraint(
                fields=["eservice", "number"], name="eserviceversion_number_unique"
            ),
            models.UniqueConstraint(
                fields=["eservice", "content_hash"], name="eserviceversion_hash_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="eserviceversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.eservice} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            stored = (
                EServiceVersion.objects.filter(pk=self.pk)
                .values_list("definition", "content_hash", "number", "eservice_id")
                .first()
            )
            if stored is not None and stored != (
                self.definition,
                self.content_hash,
                self.number,
                self.eservice_id,
            ):
                raise ValueError(
                    "A published e-service version cannot be changed; publish a new version."
                )
        super().save(*args, **kwargs)


class EServiceDraft(models.Model):
    """The next version of an e-service while it is being written: the definition as its
    editors wrote it (YAML, valid or not, so that nothing typed is lost), until it is
    published. One per e-service: the municipality's editors work on the same draft."""

    eservice = models.OneToOneField(
        EService,
        verbose_name=_("e-tjänst"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="draft",
    )
    text = models.TextField(_("definition"))
    # The version the draft began from: "Jämför" shows the draft against the version
    # published now, and says so when that is no longer the one the draft began from.
    based_on = models.ForeignKey(
        EServiceVersion,
        verbose_name=_("utgår från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sparat av"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by_name = models.CharField(_("sparat av"), max_length=300)
    updated_at = models.DateTimeField(_("sparat"), auto_now=True)

    class Meta:
        verbose_name = _("utkast till e-tjänst")
        verbose_name_plural = _("utkast till e-tjänster")

    def __str__(self) -> str:
        return f"{self.eservice_id}"

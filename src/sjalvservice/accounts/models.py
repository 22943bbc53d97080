from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sjalvservice.core.validators import (
    validate_organisation_number,
    validate_personal_identity_number,
)


class UserManager(BaseUserManager["User"]):
    """Staff sign in with a username and password; citizens with e-legitimation only."""

    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra_fields: Any) -> User:
        if not username:
            raise ValueError("Staff accounts need a username.")
        user = self.model(username=username, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(username, password, **extra_fields)

    def create_citizen(
        self, personal_identity_number: str, *, given_name: str, surname: str
    ) -> User:
        """A citizen is known by their personal identity number and has no password."""
        user = self.model(
            personal_identity_number=personal_identity_number,
            first_name=given_name,
            last_name=surname,
        )
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def citizens(self) -> models.QuerySet[User]:
        return self.filter(personal_identity_number__isnull=False, is_staff=False)

    def staff(self) -> models.QuerySet[User]:
        return self.filter(is_staff=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the portal.

    Citizens are keyed by their personal identity number (normalised to 12
    digits) and have no username or password. Staff have a username and a
    password (and, in the back office, a second factor).
    """

    username = models.CharField(
        _("användarnamn"),
        max_length=150,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Bara för personal. Högst 150 tecken: bokstäver, siffror och @/./+/-/_."),
    )
    personal_identity_number = models.CharField(
        _("personnummer"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_personal_identity_number],
    )
    first_name = models.CharField(_("förnamn"), max_length=150, blank=True)
    last_name = models.CharField(_("efternamn"), max_length=150, blank=True)
    # "Förnamn Efternamn", kept by the database for the inbox's search by name: one
    # trigram index over it answers every word of a search in one scan.
    search_name = models.GeneratedField(
        expression=Concat("first_name", models.Value(" "), "last_name"),
        output_field=models.CharField(max_length=301),
        db_persist=True,
        verbose_name=_("namn"),
    )
    email = models.EmailField(_("e-postadress"), blank=True)
    # The language notices are written in: the one the person last used the portal in.
    language = models.CharField(
        _("språk"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Den kommun som en handläggare arbetar för."),
    )
    is_municipality_admin = models.BooleanField(
        _("kommunadministratör"),
        default=False,
        help_text=_("Hanterar handläggare och e-tjänster i sin kommun och ser alla dess ärenden."),
    )
    is_editor = models.BooleanField(
        _("redaktör"),
        default=False,
        db_default=False,
        help_text=_("Ändrar sin kommuns e-tjänster men handlägger inga ärenden."),
    )
    is_staff = models.BooleanField(
        _("personal"),
        default=False,
        help_text=_("Kan logga in i handläggarvyn och administrationen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = pgettext_lazy("plural", "användare")
        indexes = [
            # The staff of a municipality by name (the inbox's handler filter, colleagues),
            # without reading the citizens.
            models.Index(
                fields=["municipality", "first_name", "last_name", "username"],
                condition=models.Q(is_staff=True),
                name="user_staff",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(username__isnull=False)
                | models.Q(personal_identity_number__isnull=False),
                name="user_has_username_or_personal_identity_number",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.pk)

    @property
    def display_name(self) -> str:
        """The name people see: the full name, else the username (never the personal
        identity number)."""
        return self.get_full_name() or self.username or ""

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_citizen(self) -> bool:
        return self.personal_identity_number is not None and not self.is_staff


class Profile(models.Model):
    """Mina uppgifter: contact details and notification choices of a citizen.

    Filled in by the person on Mina uppgifter and updated from the contact block of
    e-services they submit.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    street = models.CharField(_("adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=5, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    phone = models.CharField(_("telefonnummer"), max_length=30, blank=True)
    mobile = models.CharField(_("mobiltelefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-postadress"), blank=True)
    # The address the person confirmed through the link sent to it; notices go to
    # ``email`` only while the two are the same.
    email_confirmed = models.EmailField(_("bekräftad e-postadress"), blank=True)
    notify_email = models.BooleanField(_("notifiera via e-post"), default=False)
    notify_sms = models.BooleanField(_("notifiera via SMS"), default=False)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("kontaktuppgifter")
        verbose_name_plural = pgettext_lazy("plural", "kontaktuppgifter")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def email_is_confirmed(self) -> bool:
        return bool(self.email) and self.email == self.email_confirmed

    @property
    def notification_email(self) -> str:
        """Where e-mail notices go: the confirmed address, if the person wants them."""
        return self.email if self.notify_email and self.email_is_confirmed else ""

    @property
    def notification_mobile(self) -> str:
        """Where SMS notices go, if the person wants them."""
        return self.mobile if self.notify_sms else ""

    def contact_answer(self) -> dict[str, Any]:
        """The profile in the shape of an e-service's contact block."""
        return {
            "first_name": self.user.first_name,
            "last_name": self.user.last_name,
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "phone": self.phone,
            "email": self.email,
            "mobile": self.mobile,
            "notify_email": self.notify_email,
            "notify_sms": self.notify_sms,
        }


class Organisation(models.Model):
    """An association or company that citizens act for, known by its number.

    ``name`` is the name it was first known by (from Bolagsverket or from the first person
    who gave it) and is shown to nobody as theirs: each person's own name and details for
    it are on their ``Engagement``, so nobody can rename an organisation for another.
    """

    organisation_number = models.CharField(
        _("organisationsnummer"), max_length=10, unique=True,
        validators=[validate_organisation_number],
    )  # fmt: skip
    name = models.CharField(_("namn"), max_length=200)
    members = models.ManyToManyField(
        User, through="Engagement", related_name="organisations", verbose_name=_("personer")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = pgettext_lazy("plural", "organisationer")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_number})"


class Engagement(models.Model):
    """That a person acts for an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="engagements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="engagements"
    )
    # The person's own record of the organisation ("Mina engagemang").
    name = models.CharField(_("namn"), max_length=200, blank=True)
    street = models.CharField(_("adress"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=5, blank=True)
    city = models.CharField(_("ort"), max_length=100, blank=True)
    contact_person = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-postadress"), blank=True)
    notify_email = models.BooleanField(_("notifiera via e-post"), default=False)
    notify_sms = models.BooleanField(_("notifiera via SMS"), default=False)
    # Filled in from Bolagsverket when the person fetched the details there.
    legal_form = models.CharField(_("juridisk form"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tillagd"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("engagemang")
        verbose_name_plural = pgettext_lazy("plural", "engagemang")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="engagement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"

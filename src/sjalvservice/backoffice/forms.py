"""Forms of the back office: the staff login and the municipality administration.

Every form is a ``core.forms.GovukForm`` (``error_summary()`` for the error summary, the
field templates of ``eservices/fields/``) and leaves validation to the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.models import HandlerGroup, ReplyTemplate
from sjalvservice.cases.models import Case, StatusKind
from sjalvservice.core.forms import GovukForm
from sjalvservice.eservices.models import EService

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sjalvservice.core.models import Municipality

CODE_DIGITS = 6


class BackOfficeForm(GovukForm):
    """A back-office form (the GOV.UK base, nothing added yet: one name for the back office)."""


# The staff login ------------------------------------------------------------------------


class LoginForm(BackOfficeForm):
    """Username and password of a member of staff; django-axes counts every failure."""

    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-!-width-two-thirds", "autocomplete": "username",
                   "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": _("Skriv ditt användarnamn.")},
    )  # fmt: skip
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"class": "govuk-input govuk-!-width-two-thirds",
                   "autocomplete": "current-password"}
        ),
        error_messages={"required": _("Skriv ditt lösenord.")},
    )  # fmt: skip
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    error_messages = {
        # The same words whatever was wrong: they must not tell whether the username exists.
        "invalid_login": _("Fel användarnamn eller lösenord."),
    }

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if username is None or password is None:
            return cleaned
        user = authenticate(self.request, username=username, password=password)
        if user is not None and not user.is_staff:
            # A correct password of someone who is not staff is a failure here all the same.
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            user = None
        if user is None:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        self.user = user
        return cleaned


class CodeForm(BackOfficeForm):
    """A six-digit code from the authenticator app, checked against the given devices.

    After ``is_valid()``, ``device`` is the device that accepted the code. An error with the
    code ``wrong_code`` is a failed login attempt; ``throttled`` means the devices refuse to
    check codes for a few seconds after failures (that is not an attempt).
    """

    code = forms.CharField(
        label=_("Engångskod"),
        help_text=_("Den sexsiffriga koden som visas i din autentiseringsapp just nu."),
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric",
                   "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
        error_messages={"required": _("Skriv engångskoden från din autentiseringsapp.")},
    )  # fmt: skip

    error_messages = {
        "format": _("Skriv koden med sex siffror, till exempel 123456."),
        "wrong_code": _("Koden stämmer inte. Skriv den kod som visas i appen just nu."),
        "throttled": _("Vänta några sekunder och skriv sedan den kod som visas i appen."),
    }

    def __init__(self, *args: Any, devices: Iterable[TOTPDevice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device: TOTPDevice | None = None

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise forms.ValidationError(self.error_messages["format"], code="format")
        allowed = [device for device in self.devices if device.verify_is_allowed()[0]]
        if self.devices and not allowed:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        self.device = next((device for device in allowed if device.verify_token(code)), None)
        if self.device is None:
            raise forms.ValidationError(self.error_messages["wrong_code"], code="wrong_code")
        return code


# Municipality administration ------------------------------------------------------------


def municipality_eservices(municipality: Municipality) -> QuerySet[EService]:
    return EService.objects.filter(municipality=municipality).order_by("title")


def municipality_groups(municipality: Municipality) -> QuerySet[HandlerGroup]:
    return HandlerGroup.objects.filter(municipality=municipality).order_by("name")


def municipality_staff(municipality: Municipality) -> QuerySet[User]:
    """The staff a municipality administrator manages (platform administrators excepted)."""
    return User.objects.filter(
        is_staff=True, is_superuser=False, municipality=municipality
    ).order_by("first_name", "last_name", "username")


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """Staff by name and username; deactivated accounts say so."""

    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.display_name} ({obj.username})"
        if not obj.is_active:
            label = str(_("%(name)s, inaktiv") % {"name": label})
        return label


def checkboxes(label: Any, queryset: QuerySet[Any], field_class: Any = None) -> Any:
    field_class = field_class or forms.ModelMultipleChoiceField
    return field_class(
        label=label,
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Välj bara bland alternativen i listan."),
            "invalid_pk_value": _("Välj bara bland alternativen i listan."),
        },
    )


class HandlerCreateForm(BackOfficeForm):
    """A new handler of the administrator's municipality, with an initial password.

    ``backoffice.services.create_handler`` makes the account, as it makes every change of
    staff: the forms here only check what was written.
    """

    username = forms.CharField(
        label=_("Användarnamn"),
        help_text=_("Det handläggaren loggar in med. Bokstäver, siffror och @ . + - _"),
        max_length=150,
        validators=[UnicodeUsernameValidator(message=_(
            "Användarnamnet får bara innehålla bokstäver, siffror och tecknen @ . + - _"
        ))],
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20",
                                      "autocomplete": "off", "autocapitalize": "none",
                                      "spellcheck": "false"}),
        error_messages={"required": _("Skriv ett användarnamn.")},
    )  # fmt: skip
    first_name = forms.CharField(
        label=_("Förnamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20",
                                      "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Skriv handläggarens förnamn.")},
    )  # fmt: skip
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20",
                                      "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Skriv handläggarens efternamn.")},
    )  # fmt: skip
    email = forms.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"class": "govuk-input govuk-input--width-30",
                                       "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Skriv handläggarens e-postadress."),
            "invalid": _("Skriv e-postadressen i rätt format, till exempel namn@kommun.se."),
        },
    )  # fmt: skip
    password = forms.CharField(
        label=_("Första lösenord"),
        help_text=_(
            "Minst 12 tecken. Ge det till handläggaren på ett säkert sätt. Vid första "
            "inloggningen aktiverar handläggaren tvåstegsverifiering med en autentiseringsapp."
        ),
        strip=False,
        widget=forms.PasswordInput(attrs={"class": "govuk-input govuk-input--width-20",
                                          "autocomplete": "new-password"}),
        error_messages={"required": _("Skriv ett första lösenord.")},
    )  # fmt: skip

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("Användarnamnet är upptaget. Välj ett annat."), code="taken"
            )
        return username

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class HandlerAccessForm(BackOfficeForm):
    """The e-services assigned directly to a handler and the groups they belong to."""

    def __init__(self, *args: Any, handler: User, **kwargs: Any) -> None:
        municipality = handler.municipality
        assert municipality is not None
        self.handler = handler
        self.eservice_choices = municipality_eservices(municipality)
        self.group_choices = municipality_groups(municipality)
        kwargs.setdefault(
            "initial",
            {
                "eservices": list(self.eservice_choices.filter(assignments__handler=handler)),
                "groups": list(self.group_choices.filter(members=handler)),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["eservices"] = checkboxes(_("E-tjänster"), self.eservice_choices)
        self.fields["groups"] = checkboxes(_("Handläggargrupper"), self.group_choices)
        self.fields["eservices"].help_text = _(
            "Handläggaren ser ärendena i de e-tjänster som är valda här och i sina gruppers "
            "e-tjänster."
        )


class HandlerGroupForm(BackOfficeForm):
    """A handler group of the administrator's municipality: name, members, e-services."""

    name = forms.CharField(
        label=_("Namn"),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds",
                                      "autocomplete": "off"}),
        error_messages={"required": _("Skriv gruppens namn.")},
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Gemensam e-postadress (frivillig)"),
        help_text=_("Notiser om nya ärenden och meddelanden i gruppens e-tjänster går hit i "
                    "stället för till var och en av medlemmarna."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"class": "govuk-input govuk-!-width-two-thirds",
                                       "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Skriv e-postadressen i rätt format, till exempel namn@kommun.se."),
        },
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        group: HandlerGroup | None = None,
        **kwargs: Any,
    ) -> None:
        self.municipality = municipality
        self.group = group
        if group is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": group.name,
                    "email": group.email,
                    "members": list(group.members.all()),
                    "eservices": list(group.eservices.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["members"] = checkboxes(
            _("Handläggare"), municipality_staff(municipality), StaffChoiceField
        )
        self.fields["eservices"] = checkboxes(_("E-tjänster"), municipality_eservices(municipality))
        self.fields["eservices"].help_text = _(
            "Gruppens medlemmar ser ärendena i de här e-tjänsterna."
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = HandlerGroup.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.group is not None:
            others = others.exclude(pk=self.group.pk)
        if others.exists():
            raise forms.ValidationError(_("Det finns redan en grupp med det namnet."), code="taken")
        return name


class AccessLogFilterForm(BackOfficeForm):
    """The access log's filter (a case number) and the page to show (a keyset cursor)."""

    arende = forms.IntegerField(
        label=_("Ärendenummer"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10",
                                      "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Skriv ärendenumret med siffror, till exempel 1024."),
            "min_value": _("Skriv ärendenumret med siffror, till exempel 1024."),
        },
    )  # fmt: skip


# Gallring -------------------------------------------------------------------------------

# How many due cases the retention form counts before it says "more than".
RETENTION_COUNT_CAP = 1000


UNCONFIRMED = _("Kryssa i rutan om de avslutade ärendena ska tas bort, eller välj en längre tid.")


class RetentionForm(BackOfficeForm):
    """How long an e-service's closed cases are kept; empty keeps them. A time that makes
    cases due at once must be confirmed, with how many they are."""

    days = forms.IntegerField(
        label=_("Gallra avslutade ärenden efter (dagar)"),
        help_text=_("Räknas från ärendets senaste händelse. Lämna tomt för att bevara "
                    "ärendena, till exempel när de ska arkiveras."),
        required=False,
        min_value=1,
        max_value=36500,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5",
                                      "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Skriv antalet dagar med siffror, till exempel 730."),
            "min_value": _("Skriv ett antal dagar mellan 1 och 36500."),
            "max_value": _("Skriv ett antal dagar mellan 1 och 36500."),
        },
    )  # fmt: skip
    confirm = forms.BooleanField(
        label=_("Ja, ta bort dem"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args: Any, eservice: EService, now: dt.datetime, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"days": eservice.retention_days})
        super().__init__(*args, **kwargs)
        self.fields["days"].optional = True  # type: ignore[attr-defined]
        self.eservice = eservice
        self.now = now
        # How many closed cases the time asked for would purge at once (None: not asked).
        self.due: int | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        days = cleaned.get("days")
        unchanged = days == self.eservice.retention_days
        if days is None or unchanged or "days" in self.errors:
            return cleaned
        self.due = closed_cases_due(self.eservice, days, self.now)
        if self.due and not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                forms.ValidationError(UNCONFIRMED, code="unconfirmed"),
            )
        return cleaned


def closed_cases_due(eservice: EService, days: int, now: dt.datetime) -> int:
    """How many of the e-service's closed cases are older than ``days`` (at most
    ``RETENTION_COUNT_CAP + 1``)."""
    due = (
        Case.objects.filter(
            eservice=eservice,
            status_kind=StatusKind.CLOSED,
            last_event_at__lt=now - dt.timedelta(days=days),
        )
        .order_by()
        .values("pk")[: RETENTION_COUNT_CAP + 1]
    )
    return Case.objects.filter(pk__in=due).count()


# Reply templates ------------------------------------------------------------------------


class ReplyTemplateForm(BackOfficeForm):
    """A ready text for messages to the citizen about one e-service."""

    title = forms.CharField(
        label=_("Rubrik"),
        help_text=_("Visas i listan Svarsmall på ärendet."),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"required": _("Skriv en rubrik.")},
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 8}),
        error_messages={"required": _("Skriv mallens text.")},
    )

    def __init__(
        self, *args: Any, eservice: EService, template: ReplyTemplate | None = None, **kwargs: Any
    ) -> None:
        if template is not None:
            kwargs.setdefault("initial", {"title": template.title, "text": template.text})
        super().__init__(*args, **kwargs)
        self.eservice = eservice
        self.template = template

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        taken = ReplyTemplate.objects.filter(eservice=self.eservice, title=title)
        if self.template is not None:
            taken = taken.exclude(pk=self.template.pk)
        if taken.exists():
            raise forms.ValidationError(_("Det finns redan en svarsmall med den rubriken."))
        return title

    def save(self) -> ReplyTemplate:
        template = self.template or ReplyTemplate(eservice=self.eservice)
        template.title = self.cleaned_data["title"]
        template.text = self.cleaned_data["text"]
        template.save()
        return template

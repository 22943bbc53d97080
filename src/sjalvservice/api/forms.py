"""The form of "API-klienter" in "Administrera"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sjalvservice.api.models import ApiClient, Scope, WebhookSubscription
from sjalvservice.backoffice.forms import BackOfficeForm, checkboxes, municipality_eservices
from sjalvservice.cases.models import CaseEvent
from sjalvservice.core.models import Municipality


class ApiClientForm(BackOfficeForm):
    """A client of the municipality: its name, e-services and scopes, on or off."""

    name = forms.CharField(
        label=_("Namn"),
        help_text=_("Verksamhetssystemets namn. Det står som Person i ärendehistoriken."),
        max_length=100,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds",
                                      "autocomplete": "off"}),
        error_messages={"required": _("Skriv klientens namn.")},
    )  # fmt: skip
    scopes = forms.MultipleChoiceField(
        label=_("Behörigheter"),
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bara bland alternativen i listan.")},
    )
    is_active = forms.BooleanField(
        label=_("Aktiv: klienten kan anropa API:et"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, municipality: Municipality, client: ApiClient | None = None, **kwargs: Any
    ) -> None:
        self.municipality = municipality
        self.client = client
        if client is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": client.name,
                    "scopes": client.scopes,
                    "is_active": client.is_active,
                    "eservices": list(client.eservices.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["eservices"] = checkboxes(_("E-tjänster"), municipality_eservices(municipality))
        self.fields["eservices"].help_text = _("Klienten ser ärendena i de här e-tjänsterna.")
        self.order_fields(["name", "eservices", "scopes", "is_active"])
        if client is None:
            del self.fields["is_active"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        others = ApiClient.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.client is not None:
            others = others.exclude(pk=self.client.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Det finns redan en klient med det namnet."), code="taken"
            )
        return name


class WebhookForm(BackOfficeForm):
    """A subscription: where to POST, which events, on or off."""

    url = forms.URLField(
        label=_("Adress"),
        help_text=_("Dit händelserna skickas med POST, till exempel https://diarium.kommun.se/webhooks."),
        max_length=254,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input", "autocomplete": "off",
                                     "spellcheck": "false"}),
        error_messages={
            "required": _("Skriv adressen."),
            "invalid": _("Skriv en hel adress, till exempel https://diarium.kommun.se/webhooks."),
        },
    )  # fmt: skip
    event_types = forms.MultipleChoiceField(
        label=_("Händelser"),
        help_text=_("Välj ingen för att få alla."),
        choices=CaseEvent.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj bara bland alternativen i listan.")},
    )
    is_active = forms.BooleanField(label=_("Aktiv: händelserna skickas"), required=False)

    def __init__(
        self, *args: Any, webhook: WebhookSubscription | None = None, **kwargs: Any
    ) -> None:
        if webhook is not None:
            kwargs.setdefault(
                "initial",
                {
                    "url": webhook.url,
                    "event_types": webhook.event_types,
                    "is_active": webhook.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if webhook is None:
            del self.fields["is_active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if settings.WEBHOOK_REQUIRE_HTTPS and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Adressen ska börja med https://."), code="https")
        return url

"""The form of "API-klienter" in "Administrera"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sjalvservice.api.models import ApiClient, Scope
from sjalvservice.backoffice.forms import BackOfficeForm, checkboxes, municipality_eservices
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

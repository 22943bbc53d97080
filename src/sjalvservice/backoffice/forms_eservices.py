"""The forms of "Administrera → E-tjänster": an e-service's details, and closing it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sjalvservice.backoffice.forms import BackOfficeForm
from sjalvservice.eservices.models import Category, EService

TEXT = "govuk-input"
WIDE = {"class": "govuk-textarea", "rows": 6}


def _optional(field: forms.Field) -> forms.Field:
    field.optional = True  # type: ignore[attr-defined]
    return field


class EServiceDetailsForm(BackOfficeForm):
    """What the catalogue shows of an e-service and how it takes cases, Swedish and English
    side by side; the form itself is its definition's, published as versions."""

    title = forms.CharField(
        label=_("Namn"), max_length=200,
        widget=forms.TextInput(attrs={"class": TEXT}),
        error_messages={"required": _("Skriv e-tjänstens namn"),
                        "max_length": _("Namnet får vara högst 200 tecken")},
    )  # fmt: skip
    title_en = _optional(forms.CharField(
        label=_("Namn på engelska"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"class": TEXT, "lang": "en"}),
        error_messages={"max_length": _("Namnet får vara högst 200 tecken")},
    ))  # fmt: skip
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=Category.objects.order_by("position", "name"),
        empty_label=_("Välj kategori"),
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"required": _("Välj vilken kategori e-tjänsten hör till"),
                        "invalid_choice": _("Välj vilken kategori e-tjänsten hör till")},
    )  # fmt: skip
    short_description = _optional(forms.CharField(
        label=_("Kort beskrivning"), max_length=300, required=False,
        help_text=_("En mening som visas i listor och sökträffar."),
        widget=forms.TextInput(attrs={"class": TEXT}),
        error_messages={"max_length": _("Den korta beskrivningen får vara högst 300 tecken")},
    ))  # fmt: skip
    short_description_en = _optional(forms.CharField(
        label=_("Kort beskrivning på engelska"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"class": TEXT, "lang": "en"}),
        error_messages={"max_length": _("Den korta beskrivningen får vara högst 300 tecken")},
    ))  # fmt: skip
    description = _optional(forms.CharField(
        label=_("Beskrivning"), required=False,
        help_text=_("Vem kan ansöka, vad det kostar, vad den sökande ska ha till hands och vad "
                    "som händer sedan. En tom rad börjar ett nytt stycke."),
        widget=forms.Textarea(attrs=WIDE),
    ))  # fmt: skip
    description_en = _optional(forms.CharField(
        label=_("Beskrivning på engelska"), required=False,
        widget=forms.Textarea(attrs={**WIDE, "lang": "en"}),
    ))  # fmt: skip
    keywords = _optional(forms.CharField(
        label=_("Sökord"), required=False,
        help_text=_("Andra ord som ska hitta e-tjänsten, ett per rad eller separerade med "
                    "kommatecken."),
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
    ))  # fmt: skip
    requires_login = forms.BooleanField(
        label=_("Den sökande måste logga in med e-legitimation"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )  # fmt: skip
    handling_days = forms.IntegerField(
        label=_("Handläggningstid i dagar"), min_value=1, max_value=3650,
        help_text=_("Ett ärende som inte är avslutat så här många dagar efter att det skickades "
                    "in visas som försenat för handläggarna."),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4",
                                      "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": _("Skriv handläggningstiden i dagar, till exempel 14"),
                        "invalid": _("Skriv handläggningstiden med siffror, till exempel 14"),
                        "min_value": _("Skriv ett antal dagar mellan 1 och 3650"),
                        "max_value": _("Skriv ett antal dagar mellan 1 och 3650")},
    )  # fmt: skip
    contact = _optional(forms.CharField(
        label=_("Kontakt vid frågor"), required=False, max_length=1000,
        help_text=_("Vem den sökande kan fråga, till exempel en funktionsbrevlåda och ett "
                    "telefonnummer. Visas på e-tjänstens sida."),
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={"max_length": _("Kontaktuppgifterna får vara högst 1000 tecken")},
    ))  # fmt: skip

    # Pairs shown side by side: the Swedish text and its English translation.
    pairs = (
        ("title", "title_en"),
        ("short_description", "short_description_en"),
        ("description", "description_en"),
    )

    def __init__(self, *args: Any, eservice: EService | None = None, **kwargs: Any) -> None:
        if eservice is not None:
            kwargs.setdefault(
                "initial", {name: getattr(eservice, name) for name in self.base_fields}
            )
        else:
            kwargs.setdefault("initial", {"requires_login": True, "handling_days": 14})
        super().__init__(*args, **kwargs)

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.base_fields}


class _NewAddress(BackOfficeForm):
    """The short name in a new e-service's address, free across the installation."""

    slug = forms.SlugField(
        label=_("Kortnamn i adressen"), max_length=100,
        help_text=_("Små bokstäver, siffror och bindestreck, till exempel "
                    "ansokan-om-bygglov. Kan inte ändras senare."),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds",
                                      "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": _("Skriv ett kortnamn, till exempel ansokan-om-bygglov"),
                        "invalid": _("Skriv kortnamnet med små bokstäver, siffror och "
                                     "bindestreck, till exempel ansokan-om-bygglov"),
                        "max_length": _("Kortnamnet får vara högst 100 tecken")},
    )  # fmt: skip

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if EService.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Det finns redan en e-tjänst med kortnamnet %(slug)s. Välj ett annat."),
                params={"slug": slug},
                code="taken",
            )
        return slug


class NewEServiceForm(_NewAddress, EServiceDetailsForm):
    """A new e-service: its details and the short name of its address."""

    field_order = ["title", "slug"]

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EServiceDetailsForm.base_fields}


class CopyEServiceForm(_NewAddress):
    """A copy of an e-service, of this or another municipality: its own name and address."""

    field_order = ["title", "slug"]

    title = EServiceDetailsForm.base_fields["title"]


class CloseEServiceForm(BackOfficeForm):
    """Why the e-service takes no new cases, and when it opens again."""

    message = forms.CharField(
        label=_("Meddelande till den som vill använda e-tjänsten"), max_length=1000,
        help_text=_("Säg varför e-tjänsten är stängd, när den öppnar igen och vad den sökande "
                    "kan göra under tiden."),
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={"required": _("Skriv varför e-tjänsten är stängd och när den öppnar "
                                      "igen"),
                        "max_length": _("Meddelandet får vara högst 1000 tecken")},
    )  # fmt: skip
    message_en = _optional(forms.CharField(
        label=_("Meddelandet på engelska"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4, "lang": "en"}),
        error_messages={"max_length": _("Meddelandet får vara högst 1000 tecken")},
    ))  # fmt: skip

"""The forms of notices: a municipality's own texts for an e-service, and which e-mail a
member of staff wants."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.forms import GovukForm
from sjalvservice.notifications.kinds import (
    PLACEHOLDERS,
    STAFF_KINDS,
    Kind,
    default_texts,
    unknown_placeholders,
)
from sjalvservice.notifications.models import StaffEmailOptOut, TextOverride

# The parts of a notice's texts: field name -> (label, max length, textarea rows).
PARTS: dict[str, tuple[Any, int, int]] = {
    "subject": (_("Ämnesrad i e-post"), 200, 0),
    "body": (_("Text i e-post"), 3000, 6),
    "sms": (_("Text i SMS"), 320, 3),
}


def placeholder_list() -> str:
    return ", ".join("{" + name + "}" for name in PLACEHOLDERS)


class TextOverrideForm(GovukForm):
    """One notice's texts for one e-service in every language; a blank field keeps the
    portal's default, shown as the field's placeholder text."""

    def __init__(self, *args: Any, eservice: Any, kind: str, **kwargs: Any) -> None:
        self.eservice = eservice
        self.kind = kind
        existing = {
            override.language: override
            for override in TextOverride.objects.filter(eservice=eservice, kind=kind)
        }
        initial = {
            f"{part}_{code}": getattr(existing[code], part) for code in existing for part in PARTS
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            with translation.override(code):
                default = default_texts(kind)
            for part, (label, max_length, rows) in PARTS.items():
                attrs = {"class": "govuk-textarea" if rows else "govuk-input",
                         "placeholder": getattr(default, part), "lang": code,
                         "spellcheck": "true"}  # fmt: skip
                widget = (
                    forms.Textarea(attrs={**attrs, "rows": rows})
                    if rows
                    else forms.TextInput(attrs=attrs)
                )
                self.fields[f"{part}_{code}"] = forms.CharField(
                    label=f"{label} ({language})",
                    required=False,
                    max_length=max_length,
                    widget=widget,
                    error_messages={
                        "max_length": _("Texten får vara högst %(limit_value)d tecken.")
                    },
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            try:
                unknown = unknown_placeholders(value)
            except ValueError:
                self.add_error(
                    name,
                    _("Klammerparenteserna går inte ihop. Skriv platshållare så här: "
                      "{arendenummer}. Du kan använda %(names)s.") % {"names": placeholder_list()},
                )  # fmt: skip
                continue
            if unknown:
                self.add_error(
                    name,
                    _("%(unknown)s finns inte. Du kan använda %(names)s.")
                    % {"unknown": ", ".join(unknown), "names": placeholder_list()},
                )
        return cleaned

    @transaction.atomic
    def save(self, by: Any) -> None:
        for code, _language in settings.LANGUAGES:
            values = {part: self.cleaned_data[f"{part}_{code}"].strip() for part in PARTS}
            if not any(values.values()):
                TextOverride.objects.filter(
                    eservice=self.eservice, kind=self.kind, language=code
                ).delete()
                continue
            TextOverride.objects.update_or_create(
                eservice=self.eservice,
                kind=self.kind,
                language=code,
                defaults={**values, "updated_by": by},
            )


class ReminderForm(GovukForm):
    """After how many days a citizen is reminded of a supplement they have not sent."""

    days = forms.IntegerField(
        label=_("Påminn om komplettering efter (dagar)"),
        help_text=_("0: ingen påminnelse."),
        min_value=0,
        max_value=90,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3",
                                      "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": _("Skriv antalet dagar, till exempel 7."),
            "invalid": _("Skriv antalet dagar med siffror, till exempel 7."),
            "min_value": _("Skriv ett antal dagar mellan 0 och 90."),
            "max_value": _("Skriv ett antal dagar mellan 0 och 90."),
        },
    )  # fmt: skip


class StaffEmailForm(GovukForm):
    """ "Mina notiser": the kinds of event a member of staff hears of by e-mail."""

    kinds = forms.MultipleChoiceField(
        label=_("Skicka e-post till mig när"),
        required=False,
        choices=[(kind.value, kind.label) for kind in Kind if kind in STAFF_KINDS],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        off = set(StaffEmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
        kwargs.setdefault("initial", {"kinds": [kind for kind in STAFF_KINDS if kind not in off]})
        super().__init__(*args, **kwargs)

    @transaction.atomic
    def save(self) -> None:
        wanted = set(self.cleaned_data["kinds"])
        StaffEmailOptOut.objects.filter(user=self.user).delete()
        StaffEmailOptOut.objects.bulk_create(
            StaffEmailOptOut(user=self.user, kind=kind)
            for kind in sorted(STAFF_KINDS)
            if kind not in wanted
        )

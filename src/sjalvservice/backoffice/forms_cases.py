"""The handler's forms on a case. Each carries the case version it was shown with."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sjalvservice.backoffice.forms import BackOfficeForm
from sjalvservice.cases import forms as case_forms
from sjalvservice.cases.models import TEXT_LIMIT, Case, Status, StatusKind
from sjalvservice.cases.services import statuses_for


class CaseActionForm(BackOfficeForm):
    """Base: ``version`` is the case version the page showed (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("version", case.version)
        kwargs.setdefault("auto_id", f"{self.prefix_name}-%s")
        super().__init__(*args, **kwargs)
        self.case = case

    prefix_name = "form"


class AssignForm(CaseActionForm):
    non_field_error_field = "handler"
    prefix_name = "tilldela"
    handler = forms.ChoiceField(
        label=_("Handläggare"), required=False, widget=forms.Select(attrs={"class": "govuk-select"})
    )

    def __init__(self, *args: Any, colleagues: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.colleagues = {str(user.pk): user for user in colleagues}
        field = self.fields["handler"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Ingen handläggare")),
            *((pk, user.display_name) for pk, user in self.colleagues.items()),
        ]
        self.initial.setdefault("handler", str(self.case.handler_id or ""))

    def chosen(self) -> Any:
        return self.colleagues.get(self.cleaned_data["handler"])


class StatusForm(CaseActionForm, case_forms.AttachmentsForm):
    non_field_error_field = "status"
    prefix_name = "status"
    field_order = ["version", "status", "message", "attachments"]
    status = forms.ModelChoiceField(
        label=_("Ny status"),
        queryset=Status.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": _("Välj en status i listan.")},
    )
    message = forms.CharField(
        label=_("Meddelande som skickas med statusändringen"),
        help_text=_(
            "Krävs för ”Väntar på komplettering”: skriv vad invånaren ska komplettera. "
            "Meddelandet skickas till invånaren samtidigt som statusen ändras."
        ),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ModelChoiceField)
        statuses = statuses_for(self.case)
        # The options from that one query, however often the template walks them; the
        # queryset only checks a posted choice.
        field.queryset = Status.objects.filter(pk__in=[status.pk for status in statuses])
        field.choices = [(status.pk, status.label) for status in statuses]
        self.fields["attachments"].label = _("Bifoga filer till meddelandet med statusändringen")
        # A case may still have the shared status that a status of the municipality's own
        # has since replaced: the one of its name is the current choice.
        current = self.case.status
        chosen = next((status.pk for status in statuses if status.name == current.name), None)
        self.initial.setdefault("status", chosen or self.case.status_id)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if (
            status is not None
            and status.kind == StatusKind.AWAITING_SUPPLEMENT
            and not (cleaned.get("message") or "").strip()
        ):
            self.add_error(
                "message",
                _("Skriv vad invånaren ska komplettera: ärendet får status %(status)s.")
                % {"status": status.label},
            )
        return cleaned


class MessageForm(CaseActionForm, case_forms.MessageForm):
    """The citizen's "Nytt meddelande" form, with the case version the page showed."""

    non_field_error_field = "text"
    prefix_name = "meddelande"
    field_order = ["version", "token", "text", "attachments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Meddelande till invånaren")
        self.fields["attachments"].label = _("Bifoga filer till meddelandet")


class NoteForm(CaseActionForm):
    non_field_error_field = "text"
    prefix_name = "anteckning"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("Intern anteckning"),
        help_text=_("Visas bara för handläggare, aldrig för invånaren."),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        error_messages={"required": _("Skriv en anteckning.")},
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

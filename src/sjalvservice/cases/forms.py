"""Forms of the citizen's case pages."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sjalvservice.core import uploads

TEXT_LIMIT = 5000


class MultipleFileInput(forms.FileInput):
    """A file input that takes several files (Django's documented way)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The list of uploaded files as it came; the form checks them all together."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        return [item for item in (data or []) if item]


class MessageForm(forms.Form):
    """ "Nytt meddelande": a text, files to attach, and a one-time token.

    ``attachments`` cleans to the accepted files (:class:`uploads.Accepted`). A file that
    passed the size limit while streaming (``size_error``) or failed the type and content
    checks makes the whole form invalid, so nothing of it is stored.
    """

    token = forms.CharField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    text = forms.CharField(
        label=_("Meddelande"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Skriv ett meddelande."),
            "max_length": _("Meddelandet får vara högst %(limit_value)d tecken."),
        },
    )
    attachments = MultipleFileField(
        label=_("Bifoga filer"), required=False, widget=MultipleFileInput
    )

    def __init__(
        self, *args: Any, size_error: ValidationError | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", "meddelande-%s")
        super().__init__(*args, **kwargs)
        self.size_error = size_error

    def clean_token(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.cleaned_data.get("token") or "")
        except ValueError:
            # A form without its token (an old page, a hand-made request) is sent once.
            return uuid.uuid4()

    def clean_attachments(self) -> list[uploads.Accepted]:
        if self.size_error is not None:
            raise self.size_error
        accepted, problems = uploads.attachment_problems(self.cleaned_data["attachments"])
        if problems:
            raise ValidationError([ValidationError(problem, code="file") for problem in problems])
        return accepted

    @property
    def error_summary(self) -> list[tuple[str, str]]:
        """(field id, message) for the GOV.UK error summary, in the order of the fields."""
        return [
            (self[name].auto_id, str(message))
            for name in self.fields
            for message in self.errors.get(name, [])
        ] + [("", str(message)) for message in self.non_field_errors()]

"""The forms about a case that both sides use: messages and the files sent with them."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sjalvservice.cases.models import TEXT_LIMIT
from sjalvservice.core import uploads
from sjalvservice.core.forms import GovukForm, MultipleFileField


class AttachmentsForm(GovukForm):
    """Files to send with a message, checked together by the one upload pipeline.

    ``attachments`` cleans to the accepted files (:class:`uploads.Accepted`). A file that
    passed the size limit while streaming (``size_error``, from ``uploads.size_error``) or
    failed the type and content checks makes the whole form invalid, so nothing is stored.
    """

    attachments = MultipleFileField(label=_("Bifoga filer"), required=False)

    def __init__(
        self, *args: Any, size_error: ValidationError | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.size_error = size_error

    def clean_attachments(self) -> list[uploads.Accepted]:
        if self.size_error is not None:
            raise self.size_error
        accepted, problems = uploads.attachment_problems(self.cleaned_data["attachments"])
        if problems:
            raise ValidationError(
                [ValidationError(problem, code=problem.code) for problem in problems]
            )
        return accepted


class MessageForm(AttachmentsForm):
    """ "Nytt meddelande": a text, files to attach, and a one-time token (a form sent twice
    stores one message)."""

    field_order = ["token", "text", "attachments"]

    token = forms.CharField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    text = forms.CharField(
        label=_("Meddelande"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 6}),
        error_messages={
            "required": _("Skriv ett meddelande."),
            "max_length": _("Meddelandet får vara högst %(limit_value)d tecken."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "meddelande-%s")
        super().__init__(*args, **kwargs)

    def clean_token(self) -> uuid.UUID:
        try:
            return uuid.UUID(str(self.cleaned_data.get("token") or ""))
        except ValueError:
            # A form without its token (an old page, a hand-made request) is sent once.
            return uuid.uuid4()

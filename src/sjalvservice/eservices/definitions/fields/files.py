"""The file field: several files in one input, each checked as every file the portal receives
is (``core/uploads.py``), plus a "Ta bort" box for every file already stored.

A stored file is ``{name, size, content_type, key}``; its storage key never leaves the server:
the page names a stored file by :func:`file_id`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.crypto import salted_hmac
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sjalvservice.core import uploads
from sjalvservice.core.forms import MultipleFileField, MultipleFileInput
from sjalvservice.eservices.definitions.fields.base import (
    NO_CONTEXT,
    FieldContext,
    FieldType,
    annotate,
    message,
    name,
    say,
)
from sjalvservice.eservices.definitions.schema import Definition, FileSpec

MB = uploads.MB


def max_bytes(spec: FileSpec) -> int:
    """The largest file the field takes: its own limit, unless the portal's is smaller."""
    return min(spec.max_size_mb * MB, uploads.max_size())


def upload_cap(spec: FileSpec) -> uploads.Cap:
    """What the field's input may receive in one post, capped while the files stream in."""
    return uploads.Cap(max_bytes=max_bytes(spec), max_files=spec.max_files)


def extensions(spec: FileSpec) -> list[str]:
    """The field's extensions that the upload checks can recognise by content: the others
    would be refused whatever was sent, so the person is not offered them."""
    return uploads.acceptable(spec.extensions)


class AnswerFilesField(MultipleFileField):
    """The files of a file field, checked by ``uploads.attachment_problems`` against the
    field's limits; every problem is reported.

    Cleans to the accepted uploads, each renamed to its safe name and typed by its content
    (as Django's ImageField types an image), ready for ``store_upload``.
    """

    def __init__(self, *, spec: FileSpec, **kwargs: Any) -> None:
        super().__init__(allow_empty_file=True, **kwargs)
        self.spec = spec

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        arrived: list[UploadedFile] = []
        refused: list[uploads.RefusedUpload] = []
        errors: list[ValidationError] = []
        for item in items:
            try:
                cleaned = forms.FileField.clean(self, item, initial)
            except ValidationError as error:
                errors.append(error)
            else:
                if isinstance(cleaned, uploads.RefusedUpload):
                    refused.append(cleaned)
                elif isinstance(cleaned, UploadedFile):
                    arrived.append(cleaned)
        errors.extend(refusal_problems(self.spec, refused))
        accepted, problems = uploads.attachment_problems(
            arrived,
            allowed_extensions=extensions(self.spec),
            max_bytes=max_bytes(self.spec),
            max_files=self.spec.max_files,
        )
        errors.extend(ValidationError(problem, code=problem.code) for problem in problems)
        if errors:
            raise ValidationError(errors)
        return [_checked(item) for item in accepted]


def _checked(accepted: uploads.Accepted) -> UploadedFile:
    """The upload as the checks accepted it: under its safe name, with its sniffed type."""
    upload = accepted.upload
    upload.name = accepted.name
    upload.content_type = accepted.content_type
    return upload


def refusal_problems(
    spec: FileSpec, refused: Sequence[uploads.RefusedUpload]
) -> list[ValidationError]:
    """Why files sent to this field were dropped while they streamed in (one message for
    too many files, one for each file too big)."""
    problems: list[ValidationError] = []
    if any(upload.reason == uploads.Refusal.COUNT for upload in refused):
        problems.append(ValidationError(too_many_files(spec), code="max_files"))
    for upload in refused:
        file_name = uploads.safe_name(upload.name)
        if upload.reason == uploads.Refusal.SIZE:
            too_big = _(
                "Filen %(name)s är större än %(size)s MB och togs inte emot. "
                "Välj en mindre fil och försök igen."
            ) % {"name": file_name, "size": max_bytes(spec) // MB}
            problems.append(ValidationError(say(too_big), code="size"))
        elif upload.reason == uploads.Refusal.TOTAL:
            too_much = _(
                "Filen %(name)s togs inte emot: filerna får tillsammans vara högst %(size)s MB. "
                "Skicka färre filer åt gången."
            ) % {"name": file_name, "size": uploads.max_total() // MB}
            problems.append(ValidationError(say(too_much), code="total"))
    return problems


def too_many_files(spec: FileSpec) -> str:
    most = ngettext("Välj högst %(count)s fil", "Välj högst %(count)s filer", spec.max_files)
    return message(spec, "max_files", most % {"count": spec.max_files})


def no_file(spec: FileSpec) -> str:
    return message(spec, "required", _("Välj minst en fil"))


def file_id(item: Mapping[str, Any]) -> str:
    """What the page calls a stored file (the value of its "Ta bort" box): made from its
    storage key, which the page must never show, and of no use without the server's secret."""
    return salted_hmac("sjalvservice.answer-file", str(item["key"])).hexdigest()[:24]


def stored_files(answer: Any) -> list[dict[str, Any]]:
    """The files of a stored answer (anything else in it is ignored)."""
    if not isinstance(answer, list):
        return []
    return [item for item in answer if isinstance(item, dict) and isinstance(item.get("key"), str)]


def answer_files(
    definition: Definition, answers: Mapping[str, Any]
) -> list[tuple[FileSpec, dict[str, Any]]]:
    """Every stored file in ``answers``, with the file field it was attached in, in the
    order of the definition's steps and fields."""
    return [
        (field, item)
        for step in definition.steps
        for field in step.fields
        if isinstance(field, FileSpec)
        for item in stored_files(answers.get(field.key))
    ]


def format_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} kB"


class FileType(FieldType[FileSpec]):
    """Answer: a list of ``{name, size, content_type, key}``; ``key`` is set by the runner."""

    name = "file"
    template_name = "eservices/fields/file.html"

    def form_fields(
        self, spec: FileSpec, prefix: str, context: FieldContext = NO_CONTEXT
    ) -> dict[str, forms.Field]:
        limits = ngettext(
            "Du kan bifoga en fil på högst %(size)s MB.",
            "Du kan bifoga högst %(count)s filer, högst %(size)s MB per fil.",
            spec.max_files,
        ) % {"count": spec.max_files, "size": max_bytes(spec) // MB}
        allowed = extensions(spec)
        types = _("Tillåtna filtyper: %(types)s.") % {"types": ", ".join(allowed)}
        upload = AnswerFilesField(
            spec=spec,
            label=spec.label,
            help_text=" ".join(part for part in (spec.hint, limits, types) if part),
            # Whether a file is needed depends on the stored ones too: see clean().
            required=False,
            widget=MultipleFileInput(
                attrs={
                    "class": "govuk-file-upload",
                    "accept": ",".join(f".{extension}" for extension in allowed),
                }
            ),
            error_messages={
                "invalid": _("Filen kunde inte tas emot. Försök igen."),
                "missing": _("Filen kunde inte tas emot. Försök igen."),
            },
        )
        fields = {prefix: annotate(upload, spec, optional=not spec.required)}
        stored = stored_files(context.answer)
        if stored:
            remove = forms.MultipleChoiceField(
                label=_("Uppladdade filer"),
                required=False,
                choices=[(file_id(item), str(item.get("name", ""))) for item in stored],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
                error_messages={
                    # Django's own message would repeat what was posted.
                    "invalid_choice": _(
                        "En av filerna finns inte längre. Ladda om sidan och försök igen."
                    ),
                },
            )
            fields[name(prefix, "remove")] = annotate(remove, spec, "remove", optional=True)
        return fields

    def _kept(
        self, cleaned: Mapping[str, Any], prefix: str, context: FieldContext
    ) -> list[dict[str, Any]]:
        removed = set(cleaned.get(name(prefix, "remove")) or ())
        return [item for item in stored_files(context.answer) if file_id(item) not in removed]

    def clean(
        self, spec: FileSpec, cleaned: Mapping[str, Any], *, prefix: str, context: FieldContext
    ) -> dict[str, ValidationError]:
        if prefix not in cleaned:
            return {}  # the uploads themselves are wrong, and already say so
        count = len(self._kept(cleaned, prefix, context)) + len(cleaned[prefix])
        if spec.required and not count:
            return {prefix: ValidationError(no_file(spec), code="required")}
        if count > spec.max_files:
            return {prefix: ValidationError(too_many_files(spec), code="max_files")}
        return {}

    def to_answer(
        self,
        spec: FileSpec,
        cleaned: Mapping[str, Any],
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> list[dict[str, Any]] | None:
        prefix = prefix or spec.key
        files = self._kept(cleaned, prefix, context)
        new = cleaned.get(prefix) or []
        if new and context.store_upload is None:
            raise ValueError("New files need a store_upload callback to be kept.")
        for upload in new:
            assert context.store_upload is not None
            described = {"name": upload.name, "size": upload.size,
                         "content_type": upload.content_type}  # fmt: skip
            files.append({**described, **context.store_upload(upload)})
        return files or None

    def posted(
        self,
        spec: FileSpec,
        data: Mapping[str, Any],
        files: MultiValueDict[str, UploadedFile],
        *,
        prefix: str,
        context: FieldContext,
    ) -> Any:
        removed = data.getlist(name(prefix, "remove")) if hasattr(data, "getlist") else []
        kept = [item for item in stored_files(context.answer) if file_id(item) not in removed]
        new = [{"name": upload.name} for upload in files.getlist(prefix)]
        return (kept + new) or None

    def initial(
        self,
        spec: FileSpec,
        answer: Any,
        *,
        prefix: str | None = None,
        context: FieldContext = NO_CONTEXT,
    ) -> dict[str, Any]:
        return {}  # a browser never prefills a file input; stored files get "Ta bort" boxes

    def display(self, spec: FileSpec, answer: Any) -> str:
        return "\n".join(
            f"{item.get('name', '')} ({format_size(int(item.get('size') or 0))})"
            for item in stored_files(answer)
        )

"""The file field: several files in one input, each checked for type and size, plus a "Ta bort"
box for every file already stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sjalvservice.core.forms import MultipleFileField, MultipleFileInput
from sjalvservice.eservices.definitions.fields.base import (
    NO_CONTEXT,
    FieldContext,
    FieldType,
    annotate,
    label_of,
    name,
    say,
)
from sjalvservice.eservices.definitions.schema import Definition, FileSpec

MB = 1024 * 1024


class AnswerFilesField(MultipleFileField):
    """The files of a file field: every file is checked against the field, every problem
    reported."""

    def __init__(self, *, spec: FileSpec, **kwargs: Any) -> None:
        super().__init__(allow_empty_file=True, **kwargs)
        self.spec = spec

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        uploads: list[UploadedFile] = []
        errors: list[ValidationError] = []
        for item in items:
            try:
                cleaned = forms.FileField.clean(self, item, initial)
            except ValidationError as error:
                errors.append(error)
            else:
                if isinstance(cleaned, UploadedFile):
                    uploads.append(cleaned)
        for upload in uploads:
            errors.extend(file_problems(self.spec, upload))
        if errors:
            raise ValidationError(errors)
        return uploads


def file_problems(spec: FileSpec, upload: UploadedFile) -> list[ValidationError]:
    """What is wrong with one uploaded file: its type, its size."""
    file_name = upload.name or ""
    extension = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    problems = []
    if extension not in spec.extensions:
        problems.append(
            ValidationError(
                _(
                    "Filen %(name)s har en filtyp som inte är tillåten. "
                    "Tillåtna filtyper: %(types)s."
                )
                % {"name": file_name, "types": ", ".join(spec.extensions)},
                code="extension",
            )
        )
    if (upload.size or 0) > spec.max_size_mb * MB:
        problems.append(
            ValidationError(
                _("Filen %(name)s är större än %(size)s MB.")
                % {"name": file_name, "size": spec.max_size_mb},
                code="size",
            )
        )
    elif not upload.size:
        problems.append(
            ValidationError(_("Filen %(name)s är tom.") % {"name": file_name}, code="empty")
        )
    return problems


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
        ) % {"count": spec.max_files, "size": spec.max_size_mb}
        types = _("Tillåtna filtyper: %(types)s.") % {"types": ", ".join(spec.extensions)}
        upload = AnswerFilesField(
            spec=spec,
            label=spec.label,
            help_text=" ".join(part for part in (spec.hint, limits, types) if part),
            # Whether a file is needed depends on the stored ones too: see clean().
            required=False,
            widget=MultipleFileInput(
                attrs={
                    "class": "govuk-file-upload",
                    "accept": ",".join(f".{extension}" for extension in spec.extensions),
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
                choices=[(item["key"], str(item.get("name", ""))) for item in stored],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            )
            fields[name(prefix, "remove")] = annotate(remove, spec, "remove", optional=True)
        return fields

    def _kept(
        self, cleaned: Mapping[str, Any], prefix: str, context: FieldContext
    ) -> list[dict[str, Any]]:
        removed = set(cleaned.get(name(prefix, "remove")) or ())
        return [item for item in stored_files(context.answer) if item["key"] not in removed]

    def clean(
        self, spec: FileSpec, cleaned: Mapping[str, Any], *, prefix: str, context: FieldContext
    ) -> dict[str, ValidationError]:
        if prefix not in cleaned:
            return {}  # the uploads themselves are wrong, and already say so
        count = len(self._kept(cleaned, prefix, context)) + len(cleaned[prefix])
        if spec.required and not count:
            message = _("Välj minst en fil för %(label)s.") % {"label": label_of(spec)}
            return {prefix: ValidationError(say(message), code="required")}
        if count > spec.max_files:
            message = _("Välj högst %(count)s filer för %(label)s.") % {
                "count": spec.max_files,
                "label": label_of(spec),
            }
            return {prefix: ValidationError(say(message), code="max_files")}
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
        uploads = cleaned.get(prefix) or []
        if uploads and context.store_upload is None:
            raise ValueError("New files need a store_upload callback to be kept.")
        for upload in uploads:
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
        kept = [item for item in stored_files(context.answer) if item["key"] not in removed]
        uploads = [{"name": upload.name} for upload in files.getlist(prefix)]
        return (kept + uploads) or None

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

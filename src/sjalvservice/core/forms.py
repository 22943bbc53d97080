"""The one GOV.UK form base: error styling on the inputs and an error summary linked to them.

Every form the portal shows (e-service steps, messages, the back office) derives from
``GovukForm`` and renders its summary with ``core/includes/error_summary.html``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField


class GovukBoundField(BoundField):
    """A bound field whose input gets GOV.UK's error modifier (``govuk-input--error``, ...)."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        css = str((widget or self.field.widget).attrs.get("class", ""))
        if self.errors and css and not self.use_fieldset:
            attrs["class"] = f"{css} {css.split()[0]}--error"
        return attrs


def link_id(bound: BoundField) -> str:
    """Where an error summary links to: the input, or the first of a group of options."""
    if bound.use_fieldset:
        return f"{bound.auto_id}_0"
    return str(bound.id_for_label or bound.auto_id)


class GovukForm(forms.Form):
    """A form with GOV.UK error styling and an error summary that links to the fields."""

    bound_field_class = GovukBoundField
    # GOV.UK: no browser validation; the form's own messages say what is wrong.
    use_required_attribute = False
    # Where an error of the whole form links to in the summary (its first field by default).
    non_field_error_field: str | None = None

    def error_summary(self) -> list[tuple[str, str]]:
        """``(field id, message)`` in field order, for a GOV.UK error summary."""
        target = self.non_field_error_field or next(iter(self.fields), None)
        anchor = link_id(self[target]) if target else ""
        summary = [(anchor, str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            summary.extend((link_id(bound), str(error)) for error in bound.errors)
        return summary


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files (Django's documented way)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        # Only the files: stored files are removed with their own "Ta bort" boxes, not with
        # ClearableFileInput's single "clear" box.
        return files.getlist(name)


class MultipleFileField(forms.FileField):
    """Cleans to the list of uploaded files as they came; the form checks them together."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        return [item for item in (data or []) if item]

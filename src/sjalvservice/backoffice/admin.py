"""Handler groups and assignments in the admin, for platform administrators.

Municipality administrators manage the same things for their own municipality in the back
office (/handlaggare/administrera/).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.models import Assignment, HandlerGroup, ReplyTemplate


class HandlerGroupForm(forms.ModelForm):
    class Meta:
        model = HandlerGroup
        fields = ["municipality", "name", "members", "eservices"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        municipality = cleaned.get("municipality")
        if municipality is not None:
            if any(m.municipality_id != municipality.pk for m in cleaned.get("members", [])):
                self.add_error("members", _("Välj bara handläggare i gruppens kommun."))
            if any(e.municipality_id != municipality.pk for e in cleaned.get("eservices", [])):
                self.add_error("eservices", _("Välj bara e-tjänster i gruppens kommun."))
        return cleaned


@admin.register(HandlerGroup)
class HandlerGroupAdmin(admin.ModelAdmin):
    form = HandlerGroupForm
    list_display = ("name", "municipality")
    list_filter = ("municipality",)
    list_select_related = ("municipality",)
    search_fields = ("name",)
    filter_horizontal = ("members", "eservices")

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "members":
            kwargs["queryset"] = User.objects.staff().order_by("first_name", "last_name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["handler", "eservice"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        handler, eservice = cleaned.get("handler"), cleaned.get("eservice")
        if (
            handler is not None
            and eservice is not None
            and eservice.municipality_id != handler.municipality_id
        ):
            self.add_error("eservice", _("Välj en e-tjänst i handläggarens kommun."))
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    form = AssignmentForm
    list_display = ("handler", "eservice")
    list_filter = ("eservice__municipality",)
    list_select_related = ("handler", "eservice")
    search_fields = ("handler__username", "handler__first_name", "handler__last_name",
                     "eservice__title")  # fmt: skip

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return super().get_queryset(request).order_by("handler__last_name", "eservice__title")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "handler":
            kwargs["queryset"] = User.objects.staff().order_by("first_name", "last_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """Ready texts handlers can start a message to the citizen from, per e-service."""

    list_display = ("title", "eservice")
    list_filter = ("eservice__municipality",)
    list_select_related = ("eservice",)
    search_fields = ("title", "text", "eservice__title")

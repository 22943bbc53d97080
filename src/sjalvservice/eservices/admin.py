from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sjalvservice.eservices.definitions import parse_definition
from sjalvservice.eservices.definitions.translations import untranslated
from sjalvservice.eservices.forms import publish_attempt
from sjalvservice.eservices.models import Category, EService, EServiceVersion


class PlatformAdministratorsOnly:
    """In the admin the catalogue is managed by platform administrators (superusers);
    municipality administrators publish their own e-services in the back office."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(Category)
class CategoryAdmin(PlatformAdministratorsOnly, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class VersionInline(admin.TabularInline):
    """The published versions, newest first; they are never edited, only added to."""

    model = EServiceVersion
    fields = ("number", "hash_prefix", "created_at", "published_by")
    readonly_fields = fields
    ordering = ("-number",)
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Publicerade versioner")

    def get_queryset(self, request: HttpRequest) -> QuerySet[EServiceVersion]:
        return super().get_queryset(request).select_related("published_by").defer("definition")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=gettext_lazy("kontrollsumma"))
    def hash_prefix(self, version: EServiceVersion) -> str:
        return version.content_hash[:12]


@admin.register(EService)
class EServiceAdmin(PlatformAdministratorsOnly, admin.ModelAdmin):
    list_display = ("title", "municipality", "category", "requires_login", "is_active",
                    "updated_at")  # fmt: skip
    list_filter = ("municipality", "category", "is_active")
    list_select_related = ("municipality", "category")
    search_fields = ("title", "slug", "keywords")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "municipality", "category", "short_description", "description",
              "title_en", "short_description_en", "description_en", "untranslated_texts",
              "keywords", "requires_login", "featured", "is_active")  # fmt: skip
    readonly_fields = ("untranslated_texts",)
    inlines = [VersionInline]

    @admin.display(description=gettext_lazy("saknar engelsk översättning"))
    def untranslated_texts(self, eservice: EService) -> str:
        """What English pages show in Swedish: the e-service's own texts and those of its
        current version's form."""
        labels = {
            "title": _("namn på engelska"),
            "short_description": _("kort beskrivning på engelska"),
            "description": _("beskrivning på engelska"),
        }
        missing = [
            label
            for name, label in labels.items()
            if getattr(eservice, name) and not getattr(eservice, f"{name}_en")
        ]
        version = eservice.current_version if eservice.pk else None
        if version is not None:
            missing += [
                f"translations.en.{item.path}"
                for item in untranslated(parse_definition(version.definition), "en")
            ]
        if not missing:
            return _("Inget: alla texter är översatta.")
        return format_html_join(", ", "{}", ((item,) for item in missing))

    def get_urls(self) -> list[URLPattern]:
        publish = path(
            "<path:object_id>/publicera/",
            self.admin_site.admin_view(self.publish_view),
            name="eservices_eservice_publish",
        )
        return [publish, *super().get_urls()]

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The "Publicera ny version" page: edit the definition, preview every step, publish."""
        return require_http_methods(["GET", "HEAD", "POST"])(self._publish)(request, object_id)

    def _publish(self, request: HttpRequest, object_id: str) -> HttpResponse:
        eservice = self.get_object(request, unquote(object_id))
        if eservice is None:
            raise Http404
        if not self.has_change_permission(request, eservice):
            raise PermissionDenied
        attempt = publish_attempt(request, eservice)
        if attempt.published:
            return HttpResponseRedirect(
                reverse("admin:eservices_eservice_change", args=[eservice.pk])
            )
        if attempt.saved:
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": eservice,
            "title": _("Publicera ny version"),
            "subtitle": str(eservice),
            "current": eservice.current_version,
            "form": attempt.form,
            "problems": attempt.problems,
            "preview": attempt.preview,
            "untranslated": attempt.untranslated,
        }
        return TemplateResponse(request, "admin/eservices/eservice/publish.html", context)

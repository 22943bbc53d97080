from __future__ import annotations

import dataclasses
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.models import Municipality
from sjalvservice.eservices.calendar import MunicipalityCalendar
from sjalvservice.eservices.definitions import (
    Definition,
    DefinitionError,
    build_step_form,
    dump_yaml,
    load_definition_text,
    parse_definition,
)
from sjalvservice.eservices.definitions.schema import without_nulls
from sjalvservice.eservices.definitions.translations import Missing, untranslated
from sjalvservice.eservices.models import Category, EService, EServiceDraft, EServiceVersion
from sjalvservice.eservices.search import MAX_QUERY_LENGTH
from sjalvservice.eservices.services import PublishError, publish_draft, save_draft


class CatalogueForm(forms.Form):
    """The search and filters of /tjanster/; every field may be left empty.

    The choices come from lists the view has already read, so that the page costs the
    same number of queries whether a filter is chosen or not.
    """

    q = forms.CharField(
        label=_("Sök e-tjänst"),
        help_text=_("Sök t.ex. serveringstillstånd, felanmälan, bygglov"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Sökningen får vara högst %(limit_value)d tecken lång."),
        },
    )
    kommun = forms.ChoiceField(
        label=_("Kommun"),
        required=False,
        error_messages={"invalid_choice": _("Välj en kommun i listan.")},
    )
    kategori = forms.ChoiceField(
        label=_("Kategori"),
        required=False,
        error_messages={"invalid_choice": _("Välj en kategori i listan.")},
    )

    def __init__(
        self,
        *args: Any,
        municipalities: list[Municipality],
        categories: list[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._municipalities = {municipality.slug: municipality for municipality in municipalities}
        self._categories = {category.slug: category for category in categories}
        cast(forms.ChoiceField, self.fields["kommun"]).choices = [
            ("", _("Alla kommuner")),
            *((municipality.slug, municipality.name) for municipality in municipalities),
        ]
        cast(forms.ChoiceField, self.fields["kategori"]).choices = [
            ("", _("Alla kategorier")),
            *((category.slug, category.name) for category in categories),
        ]

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean_kommun(self) -> Municipality | None:
        return self._municipalities.get(self.cleaned_data["kommun"])

    def clean_kategori(self) -> Category | None:
        return self._categories.get(self.cleaned_data["kategori"])


class PublishForm(forms.Form):
    definition = forms.CharField(
        label=_("Definition (YAML eller JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false",
                                     "class": "sjs-definition-text"}),
        strip=False,
        error_messages={"required": _("Skriv eller klistra in en definition.")},
    )  # fmt: skip


def preview_steps(
    definition: Definition, calendar: MunicipalityCalendar | None = None
) -> list[tuple[str, SafeString]]:
    """Every step with all its fields (whatever the conditions say), inputs disabled; a
    booking field shows this week of the municipality's resource."""
    pages = []
    for step in definition.steps:
        form = build_step_form(definition, step.key, all_fields=True, calendar=calendar)
        for field in form.fields.values():
            field.disabled = True
        pages.append(
            (step.title, render_to_string("eservices/fields/step_fields.html", {"form": form}))
        )
    return pages


@dataclasses.dataclass
class PublishAttempt:
    """What "Publicera ny version" shows after a request; ``published`` or ``saved`` means
    go back (to the e-service, or to the page itself)."""

    form: PublishForm
    problems: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    preview: list[tuple[str, SafeString]] = dataclasses.field(default_factory=list)
    published: bool = False
    saved: bool = False
    # The definition's texts without an English translation (of the current version, or
    # of the one previewed).
    untranslated: list[Missing] = dataclasses.field(default_factory=list)
    draft: EServiceDraft | None = None


def publish_attempt(request: HttpRequest, eservice: EService) -> PublishAttempt:
    """The publish page's work, shared by the admin and the back office: a GET shows the
    draft, or the current definition when there is none; every POST keeps what was written
    as the draft (valid or not), then previews it, or with ``publish`` publishes it (and
    says so with a message), or with ``save`` only saves it; problems are listed."""
    current = eservice.current_version
    draft = EServiceDraft.objects.filter(eservice=eservice).first()
    if request.method != "POST":
        if draft is not None:
            text, missing = draft.text, []
        elif current is not None:
            text = dump_yaml(without_nulls(current.definition))
            missing = untranslated(parse_definition(current.definition), "en")
        else:
            text, missing = "", []
        form = PublishForm(initial={"definition": text})
        return PublishAttempt(form, untranslated=missing, draft=draft)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return PublishAttempt(form, draft=draft)
    draft = save_draft(eservice, form.cleaned_data["definition"], by=request.user)
    if "save" in request.POST:
        messages.success(request, gettext("Utkastet är sparat."))
        return PublishAttempt(form, saved=True, draft=draft)
    try:
        data = load_definition_text(form.cleaned_data["definition"])
        definition = parse_definition(data)
        if "publish" in request.POST:
            version = publish_draft(eservice, data, by=request.user)
            report_published(request, eservice, version, current)
            return PublishAttempt(form, published=True)
        calendar = MunicipalityCalendar(eservice.municipality_id)
        return PublishAttempt(
            form,
            preview=preview_steps(definition, calendar),
            untranslated=untranslated(definition, "en"),
            draft=draft,
        )
    except (DefinitionError, PublishError) as error:
        return PublishAttempt(form, problems=list(error.problems), draft=draft)


def report_published(
    request: HttpRequest,
    eservice: EService,
    version: EServiceVersion,
    before: EServiceVersion | None,
) -> None:
    if before is not None and version.pk == before.pk:
        messages.info(
            request,
            gettext("Ingen ny version: definitionen är densamma som version %(number)s.")
            % {"number": version.number},
        )
    else:
        messages.success(
            request,
            gettext("Version %(number)s av %(eservice)s är publicerad.")
            % {"number": version.number, "eservice": eservice},
        )

"""E-services as YAML files: import (create or update, publish when changed) and export.

The file format::

    slug: medborgarforslag
    municipality: skelleftea          # the municipality's slug
    category: {slug: demokrati, name: Demokrati och påverkan}
    title: Medborgarförslag
    short_description: ...
    description: ...
    keywords: [förslag, idé]
    requires_login: true
    contact: "Kommunledningskontoret, 0910-73 50 00"   # optional: whom to ask, on its page
    translations:                     # optional: the texts on English pages
      en: {title: Citizens' proposal, short_description: ..., description: ...,
           category: Democracy and influence}
    definition: {...}                 # see the e-service definition format
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sjalvservice.core.models import Municipality
from sjalvservice.eservices.definitions import DefinitionError, parse_definition
from sjalvservice.eservices.definitions.schema import without_nulls
from sjalvservice.eservices.models import Category, EService, EServiceVersion
from sjalvservice.eservices.services import PublishError, publish_version

DEMO_DIR = Path(__file__).resolve().parent / "demo"


class EServiceFileError(Exception):
    """A file that cannot be imported; ``problems`` is a list of (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" if path else message
                                   for path, message in problems))  # fmt: skip
        self.problems = problems


class _CategoryData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(pattern=r"^[-a-z0-9_]+$", max_length=60)
    name: str = Field(min_length=1, max_length=100)


class _TextsData(BaseModel):
    """The e-service's catalogue texts in another language; empty: the Swedish ones."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(default="", max_length=200)
    short_description: str = Field(default="", max_length=300)
    description: str = ""
    category: str = Field(default="", max_length=100)


class _EServiceData(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    slug: str = Field(pattern=r"^[-a-z0-9_]+$", max_length=80)
    municipality: str = Field(min_length=1)
    category: _CategoryData
    title: str = Field(min_length=1, max_length=200)
    short_description: str = Field("", max_length=300)
    description: str = ""
    keywords: list[str] = []
    requires_login: bool = True
    contact: str = Field("", max_length=1000)
    translations: dict[Literal["en"], _TextsData] = {}
    definition: dict[str, Any]


# Messages for the mistakes people make in these files, in the words of the admin.
_MESSAGES = {
    "missing": gettext_lazy("Uppgiften saknas."),
    "extra_forbidden": gettext_lazy("Okänd uppgift."),
    "string_type": gettext_lazy("Ska vara text."),
    "bool_type": gettext_lazy("Ska vara true eller false."),
    "bool_parsing": gettext_lazy("Ska vara true eller false."),
    "dict_type": gettext_lazy("Ska vara en samling uppgifter (nyckel: värde)."),
    "model_type": gettext_lazy("Ska vara en samling uppgifter (nyckel: värde)."),
    "list_type": gettext_lazy("Ska vara en lista."),
    "string_pattern_mismatch": gettext_lazy("Bara små bokstäver a-z, siffror, - och _."),
    "string_too_short": gettext_lazy("Får inte vara tomt."),
    "string_too_long": gettext_lazy("Är för långt."),
}


@dataclass
class ImportResult:
    eservice: EService
    created: bool
    updated: bool
    version: EServiceVersion
    published: bool  # whether a new version was published by this import

    @property
    def changed(self) -> bool:
        return self.created or self.updated or self.published


def read_eservice_file(path: Path | str) -> dict[str, Any]:
    """The YAML document of a file, or ``EServiceFileError`` when it cannot be read."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise EServiceFileError([("", _("Filen kan inte läsas: %s") % error.strerror)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        message = (
            _("Filen är inte giltig YAML (rad %(line)d).") % {"line": mark.line + 1}
            if mark is not None
            else _("Filen är inte giltig YAML.")
        )
        raise EServiceFileError([("", message)]) from None
    if not isinstance(data, dict):
        raise EServiceFileError([("", _("Filen ska innehålla en e-tjänst (nyckel: värde)."))])
    return data


def import_eservice_file(path: Path | str, *, by: Any = None) -> ImportResult:
    return import_eservice(read_eservice_file(path), by=by)


@transaction.atomic
def import_eservice(data: dict[str, Any], *, by: Any = None) -> ImportResult:
    """Create or update the e-service of ``data`` and publish its definition if it changed.

    Running it again with the same data changes nothing. The definition is checked before
    anything is written; an e-service of another municipality is never taken over.
    """
    fields = _validate(data)
    municipality = Municipality.objects.filter(slug=fields.municipality).first()
    if municipality is None:
        raise EServiceFileError(
            [("municipality", _("Det finns ingen kommun med kortnamnet %s.") % fields.municipality)]
        )
    english = fields.translations.get("en") or _TextsData()
    category, _created = Category.objects.get_or_create(
        slug=fields.category.slug,
        defaults={"name": fields.category.name, "name_en": english.category},
    )
    if english.category and category.name_en != english.category:
        category.name_en = english.category
        category.save(update_fields=["name_en"])
    values = {
        "category": category,
        "title": fields.title,
        "short_description": fields.short_description,
        "description": fields.description,
        "title_en": english.title,
        "short_description_en": english.short_description,
        "description_en": english.description,
        "keywords": "\n".join(keyword.strip() for keyword in fields.keywords if keyword.strip()),
        "requires_login": fields.requires_login,
        "contact": fields.contact,
    }
    eservice = EService.objects.filter(slug=fields.slug).first()
    created = updated = False
    if eservice is None:
        eservice = EService.objects.create(slug=fields.slug, municipality=municipality, **values)
        created = True
    elif eservice.municipality_id != municipality.pk:
        raise EServiceFileError(
            [("slug", _("Kortnamnet %s används redan av en annan kommuns e-tjänst.") % fields.slug)]
        )
    elif any(getattr(eservice, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(eservice, name, value)
        eservice.save()
        updated = True
    current = eservice.current_version
    try:
        version = publish_version(eservice, fields.definition, by=by)
    except PublishError as error:
        raise EServiceFileError([("definition", error.message)]) from None
    published = current is None or version.pk != current.pk
    return ImportResult(eservice, created, updated, version, published)


def export_eservice(eservice: EService) -> dict[str, Any]:
    """The e-service and its current version in the import format."""
    version = eservice.current_version
    if version is None:
        raise EServiceFileError([("", _("E-tjänsten har ingen publicerad version."))])
    return {
        "slug": eservice.slug,
        "municipality": eservice.municipality.slug,
        "category": {"slug": eservice.category.slug, "name": eservice.category.name},
        "title": eservice.title,
        "short_description": eservice.short_description,
        "description": eservice.description,
        "keywords": eservice.keyword_list,
        "requires_login": eservice.requires_login,
        **({"contact": eservice.contact} if eservice.contact else {}),
        **_translations(eservice),
        "definition": without_nulls(version.definition),
    }


def _translations(eservice: EService) -> dict[str, Any]:
    english = {
        "title": eservice.title_en,
        "short_description": eservice.short_description_en,
        "description": eservice.description_en,
        "category": eservice.category.name_en,
    }
    english = {key: value for key, value in english.items() if value}
    return {"translations": {"en": english}} if english else {}


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.yaml"))


def _validate(data: dict[str, Any]) -> _EServiceData:
    try:
        fields = _EServiceData.model_validate(data)
    except ValidationError as error:
        raise EServiceFileError(
            [
                (".".join(str(part) for part in problem["loc"]),
                 str(_MESSAGES.get(problem["type"], problem["msg"])))
                for problem in error.errors()
            ]
        ) from None  # fmt: skip
    try:
        parse_definition(fields.definition)
    except DefinitionError as error:
        raise EServiceFileError(
            [(f"definition.{path}" if path else "definition", message)
             for path, message in error.problems]
        ) from None  # fmt: skip
    return fields

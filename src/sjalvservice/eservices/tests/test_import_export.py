from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from sjalvservice.eservices.definitions import parse_definition
from sjalvservice.eservices.models import Category, EService
from sjalvservice.eservices.tests.conftest import SIMPLE_DEFINITION
from sjalvservice.eservices.transfer import (
    EServiceFileError,
    export_eservice,
    import_eservice,
    read_eservice_file,
)

FILE = {
    "slug": "bokning",
    "municipality": "lycksele",
    "category": {"slug": "fritid", "name": "Fritid och kultur"},
    "title": "Boka lokal",
    "short_description": "Boka en lokal.",
    "description": "Första stycket.\n\nAndra stycket.",
    "keywords": ["hyra", "sal"],
    "requires_login": False,
    "definition": SIMPLE_DEFINITION,
}


def write(tmp_path: Path, data, name="tjanst.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_importing_a_file_creates_the_e_service_its_category_and_version_1(
    lycksele, tmp_path, capsys
):
    call_command("eservice", "import", str(write(tmp_path, FILE)))
    eservice = EService.objects.get(slug="bokning")
    assert eservice.municipality == lycksele
    assert eservice.category.name == "Fritid och kultur"
    assert eservice.title == "Boka lokal"
    assert eservice.keywords == "hyra\nsal"
    assert eservice.requires_login is False
    assert eservice.is_active
    assert eservice.current_version.number == 1
    assert "bokning: created, published version 1" in capsys.readouterr().out


def test_importing_the_same_file_again_changes_nothing(lycksele, tmp_path, capsys):
    path = write(tmp_path, FILE)
    call_command("eservice", "import", str(path))
    updated_at = EService.objects.get().updated_at
    call_command("eservice", "import", str(path))
    eservice = EService.objects.get()
    assert eservice.versions.count() == 1
    assert eservice.updated_at == updated_at
    assert capsys.readouterr().out.endswith("bokning: unchanged\n")


def test_importing_a_changed_file_updates_the_e_service_and_publishes_a_version(
    lycksele, tmp_path, capsys
):
    call_command("eservice", "import", str(write(tmp_path, FILE)))
    changed = {**FILE, "title": "Boka en lokal",
               "definition": {**SIMPLE_DEFINITION, "title": "Ny rubrik"}}  # fmt: skip
    call_command("eservice", "import", str(write(tmp_path, changed)))
    eservice = EService.objects.get()
    assert eservice.title == "Boka en lokal"
    assert eservice.current_version.number == 2
    assert "bokning: updated, published version 2" in capsys.readouterr().out


def test_only_the_texts_changed_means_no_new_version(lycksele, tmp_path, capsys):
    call_command("eservice", "import", str(write(tmp_path, FILE)))
    call_command("eservice", "import", str(write(tmp_path, {**FILE, "keywords": ["ny"]})))
    assert EService.objects.get().versions.count() == 1
    assert capsys.readouterr().out.endswith("bokning: updated\n")


def test_an_existing_category_keeps_its_name(lycksele, tmp_path):
    Category.objects.create(slug="fritid", name="Fritid")
    call_command("eservice", "import", str(write(tmp_path, FILE)))
    assert Category.objects.get().name == "Fritid"


def test_a_bad_file_among_several_imports_nothing_and_names_every_problem(lycksele, tmp_path):
    good = write(tmp_path, FILE, "good.yaml")
    bad = write(tmp_path, {**FILE, "slug": "Fel Slug", "title": "", "extra": 1}, "bad.yaml")
    with pytest.raises(CommandError) as caught:
        call_command("eservice", "import", str(good), str(bad))
    message = str(caught.value)
    assert "Nothing was imported" in message
    assert f"{bad}: slug: Bara små bokstäver a-z, siffror, - och _." in message
    assert f"{bad}: title: Får inte vara tomt." in message
    assert f"{bad}: extra: Okänd uppgift." in message
    assert not EService.objects.exists()


def test_an_invalid_definition_is_reported_with_its_path(lycksele, tmp_path):
    broken = {**FILE, "definition": {**SIMPLE_DEFINITION, "steps": []}}
    with pytest.raises(CommandError, match=r"definition\.?\S*: "):
        call_command("eservice", "import", str(write(tmp_path, broken)))
    assert not EService.objects.exists()


def test_an_unknown_municipality_is_reported(db, tmp_path):
    with pytest.raises(CommandError, match="municipality: Det finns ingen kommun"):
        call_command("eservice", "import", str(write(tmp_path, FILE)))


def test_a_file_never_takes_over_another_municipalitys_e_service(lycksele, skelleftea, tmp_path):
    import_eservice(FILE)
    with pytest.raises(EServiceFileError, match="annan kommuns"):
        import_eservice({**FILE, "municipality": "skelleftea"})
    assert EService.objects.get().municipality == lycksele


def test_a_file_that_is_not_yaml_or_missing_is_reported(db, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(EServiceFileError, match="inte giltig YAML"):
        read_eservice_file(broken)
    with pytest.raises(EServiceFileError, match="kan inte läsas"):
        read_eservice_file(tmp_path / "missing.yaml")
    (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
    with pytest.raises(EServiceFileError, match="en e-tjänst"):
        read_eservice_file(tmp_path / "list.yaml")


def test_export_writes_the_import_format_with_the_current_version(lycksele, tmp_path):
    import_eservice(FILE)
    target = tmp_path / "export.yaml"
    call_command("eservice", "export", "bokning", str(target))
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert list(data) == list(FILE)
    stored = EService.objects.get().current_version.definition
    assert parse_definition(data["definition"]).to_document() == stored
    assert "null" not in target.read_text(encoding="utf-8")
    assert data["keywords"] == ["hyra", "sal"]
    assert data["description"] == FILE["description"]
    assert "description: |-\n  Första stycket." in target.read_text(encoding="utf-8")


def test_export_then_import_round_trips(lycksele, tmp_path):
    import_eservice(FILE)
    target = tmp_path / "export.yaml"
    call_command("eservice", "export", "bokning", str(target))
    EService.objects.all().delete()
    call_command("eservice", "import", str(target))
    eservice = EService.objects.get()
    assert export_eservice(eservice) == yaml.safe_load(target.read_text(encoding="utf-8"))


def test_export_to_standard_output(lycksele, capsys):
    import_eservice(FILE)
    call_command("eservice", "export", "bokning", "-")
    assert capsys.readouterr().out.startswith("slug: bokning\nmunicipality: lycksele\n")


def test_export_of_an_unknown_or_unpublished_e_service_is_refused(skelleftea, building, tmp_path):
    with pytest.raises(CommandError, match="no e-service"):
        call_command("eservice", "export", "saknas", str(tmp_path / "x.yaml"))
    EService.objects.create(municipality=skelleftea, category=building, slug="u", title="U")
    with pytest.raises(CommandError, match="ingen publicerad version"):
        call_command("eservice", "export", "u", str(tmp_path / "x.yaml"))


def test_the_command_needs_an_action(db):
    with pytest.raises(CommandError):
        call_command("eservice")


def test_a_files_english_texts_are_imported_and_exported_again(lycksele, tmp_path):
    english = {
        "title": "Book a room",
        "short_description": "Book a room.",
        "description": "First paragraph.",
        "category": "Leisure and culture",
    }
    data = {**FILE, "translations": {"en": english}}
    call_command("eservice", "import", str(write(tmp_path, data)))
    eservice = EService.objects.get(slug="bokning")
    assert (eservice.title_en, eservice.short_description_en, eservice.description_en) == (
        "Book a room", "Book a room.", "First paragraph."
    )  # fmt: skip
    assert eservice.category.name_en == "Leisure and culture"
    assert export_eservice(eservice)["translations"] == {"en": english}
    # Importing the file without them takes the e-service's away; the category, which
    # other e-services share, keeps its English name.
    call_command("eservice", "import", str(write(tmp_path, FILE)))
    eservice = EService.objects.get(slug="bokning")
    assert eservice.title_en == ""
    assert export_eservice(eservice)["translations"] == {"en": {"category": "Leisure and culture"}}


def test_english_texts_in_a_file_must_be_known_ones(lycksele, tmp_path):
    data = {**FILE, "translations": {"en": {"titel": "Book a room"}}}
    with pytest.raises(EServiceFileError) as raised:
        import_eservice(data)
    assert raised.value.problems[0][0] == "translations.en.titel"
    with pytest.raises(EServiceFileError):
        import_eservice({**FILE, "translations": {"de": {"title": "Raum buchen"}}})


def test_the_contact_for_questions_is_imported_and_exported_again(lycksele, tmp_path):
    contact = "Fritidskontoret, fritid@lycksele.example, 0950-166 00"
    call_command("eservice", "import", str(write(tmp_path, {**FILE, "contact": contact})))
    eservice = EService.objects.get(slug="bokning")
    assert eservice.contact == contact
    assert export_eservice(eservice)["contact"] == contact
    call_command("eservice", "import", str(write(tmp_path, FILE)))
    eservice.refresh_from_db()
    assert eservice.contact == ""
    assert "contact" not in export_eservice(eservice)

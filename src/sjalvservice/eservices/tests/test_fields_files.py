"""The file field: count, size and type limits, storing new files and removing stored ones."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sjalvservice.eservices.definitions import FIELD_TYPES, build_step_form
from sjalvservice.eservices.definitions.fields.files import file_id
from sjalvservice.eservices.tests.test_definitions_support import (
    definition,
    errors_of,
    posted,
    uploads,
)

FILES = {"key": "bilagor", "type": "file", "label": "Bifoga filer", "max_files": 2,
         "max_size_mb": 1, "extensions": ["pdf", "JPG"]}  # fmt: skip
STORED = [
    {"name": "karta.pdf", "size": 2048, "content_type": "application/pdf", "key": "k/1"},
    {"name": "bild.jpg", "size": 3 * 1024 * 1024, "content_type": "image/jpeg", "key": "k/2"},
]


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def pdf(name="skiss.pdf", size=10):
    """A file of ``size`` bytes that begins as a PDF does (the field reads the content)."""
    content = (b"%PDF-1.4\n" + b"x" * size)[:size]
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def box(item):
    """The value of a stored file's "Ta bort" box."""
    return file_id(item)


def file_form(field=FILES, *, answers=None, files=(), **data):
    return build_step_form(
        definition(field), "steg", answers=answers or {}, data=posted(**data),
        files=uploads(bilagor=list(files)) if files else None,
    )  # fmt: skip


class Storage:
    """A store_upload callback that remembers what it stored."""

    def __init__(self):
        self.stored = []

    def __call__(self, upload):
        self.stored.append(upload.name)
        return {"key": f"cases/abc/{upload.name}"}


def test_new_files_are_stored_through_the_callback():
    storage = Storage()
    form = file_form(files=[pdf("a.pdf"), pdf("b.PDF")])
    assert form.is_valid(), form.errors
    assert form.answers(storage) == {"bilagor": [
        {"name": "a.pdf", "size": 10, "content_type": "application/pdf", "key": "cases/abc/a.pdf"},
        {"name": "b.PDF", "size": 10, "content_type": "application/pdf", "key": "cases/abc/b.PDF"},
    ]}  # fmt: skip
    assert storage.stored == ["a.pdf", "b.PDF"]


def test_a_file_type_not_allowed_is_named():
    form = file_form(files=[SimpleUploadedFile("bild.exe", b"MZ")])
    assert errors_of(form) == {"bilagor": [
        ("Filen bild.exe har en filtyp som inte är tillåten. Tillåtna filtyper: pdf, jpg.",
         "extension"),
    ]}  # fmt: skip


def test_a_file_too_large_or_empty_is_refused():
    form = file_form(files=[pdf("stor.pdf", 1024 * 1024 + 1), pdf("tom.pdf", 0)])
    assert errors_of(form) == {"bilagor": [
        ("Filen stor.pdf är större än 1 MB.", "size"),
        ("Filen tom.pdf är tom.", "empty"),
    ]}  # fmt: skip


def test_too_many_files_are_refused_counting_the_stored_ones():
    form = file_form(answers={"bilagor": STORED}, files=[pdf()])
    assert errors_of(form) == {"bilagor": [("Välj högst 2 filer", "max_files")]}


def test_stored_files_are_kept_unless_removed():
    storage = Storage()
    form = file_form(answers={"bilagor": STORED}, files=[pdf()], bilagor__remove=[box(STORED[1])])
    assert form.is_valid(), form.errors
    answer = form.answers(storage)["bilagor"]
    assert [item["key"] for item in answer] == ["k/1", "cases/abc/skiss.pdf"]
    form = file_form(answers={"bilagor": STORED})
    assert form.is_valid()
    assert form.answers(storage) == {"bilagor": STORED}


def test_removing_every_file_leaves_no_answer():
    form = file_form(answers={"bilagor": STORED}, bilagor__remove=[box(STORED[0]), box(STORED[1])])
    assert form.is_valid()
    assert form.answers() == {"bilagor": None}


def test_a_required_file_field_is_satisfied_by_a_stored_file():
    required = {**FILES, "required": True}
    assert errors_of(file_form(required)) == {"bilagor": [("Välj minst en fil", "required")]}
    assert file_form(required, answers={"bilagor": STORED[:1]}).is_valid()
    assert errors_of(file_form(required, answers={"bilagor": STORED[:1]},
                               bilagor__remove=[box(STORED[0])])) == {
        "bilagor": [("Välj minst en fil", "required")]
    }  # fmt: skip


def test_only_stored_files_can_be_removed():
    form = file_form(answers={"bilagor": STORED}, bilagor__remove=["someone-elses-file"])
    assert not form.is_valid()
    assert list(form.errors) == ["bilagor__remove"]


def test_new_files_without_a_callback_are_an_error_of_the_caller():
    form = file_form(files=[pdf()])
    assert form.is_valid()
    with pytest.raises(ValueError, match="store_upload"):
        form.answers()


def test_django_s_clear_box_does_nothing():
    form = file_form(answers={"bilagor": STORED[:1]}, **{"bilagor-clear": "on"})
    assert form.is_valid()
    assert form.answers() == {"bilagor": STORED[:1]}


def test_the_input_takes_several_files_of_the_allowed_types():
    html = str(file_form()["bilagor"])
    assert "multiple" in html
    assert 'accept=".pdf,.jpg"' in html
    assert 'class="govuk-file-upload"' in html


def test_files_are_displayed_with_their_sizes():
    spec = definition(FILES).steps[0].fields[0]
    assert FIELD_TYPES["file"].display(spec, STORED) == "karta.pdf (2 kB)\nbild.jpg (3,0 MB)"
    assert FIELD_TYPES["file"].export(spec, STORED) == STORED


def test_a_file_field_takes_messages_of_its_own():
    errors = {"required": "Bifoga minst en bild", "max_files": "Högst två bilder"}
    own = {**FILES, "required": True, "errors": errors}
    assert errors_of(file_form(own)) == {"bilagor": [("Bifoga minst en bild", "required")]}
    form = file_form(own, answers={"bilagor": STORED}, files=[pdf()])
    assert errors_of(form) == {"bilagor": [("Högst två bilder", "max_files")]}

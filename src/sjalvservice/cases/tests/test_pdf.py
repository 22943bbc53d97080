"""The PDF copy of "Visa ärende": made per revision, stored, and downloaded by its owner."""

import io
import re
import zoneinfo

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, IndirectObject

from sjalvservice.cases import runner, services
from sjalvservice.cases.models import CaseRevision, Status, StatusKind
from sjalvservice.cases.pdf import pdf_response, store_revision_pdf
from sjalvservice.cases.tasks import make_revision_pdf
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.eservices.definitions import summarise

MAP = [{"name": "karta.pdf", "size": 2048, "content_type": "application/pdf", "key": "x"}]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def first_revision(case):
    return case.revisions.get(number=1)


def stored(revision):
    """The revision's stored PDF, as made by the background task."""
    make_revision_pdf.call(revision.pk)
    revision.refresh_from_db()
    with storages["default"].open(revision.pdf, "rb") as file:
        return file.read()


def text_of(data):
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def supplemented(case, anna, cecilia, **changes):
    services.set_status(
        case,
        status=Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT),
        by=cecilia,
        message="Beskriv var bänkarna ska stå.",
    )
    return services.supplement(case, by=anna, answers={**ANSWERS, **changes})


def pdf_url(case, query=""):
    return reverse("cases:pdf", kwargs={"number": case.number}) + query


def downloaded(response):
    return b"".join(response.streaming_content)


def structure_tags(node, seen=None):
    """The standard structure types (H1, Table, TH, ...) in a tagged PDF's structure tree."""
    seen = set() if seen is None else seen
    if isinstance(node, IndirectObject):
        node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            structure_tags(child, seen)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            seen.add(str(node["/S"]).lstrip("/"))
        if "/K" in node:
            structure_tags(node["/K"], seen)
    return seen


def test_the_stored_pdf_has_the_case_and_every_answer(annas_case):
    revision = first_revision(annas_case)
    text = text_of(stored(revision))
    local = timezone.localtime(revision.created_at, zoneinfo.ZoneInfo("Europe/Stockholm"))
    assert "Självservice" in text
    assert "Medborgarförslag" in text
    assert "Skellefteå kommun" in text
    assert f"Ärendenummer {annas_case.number}" in text
    assert "version 1" in text
    assert f"Inskickat {local:%Y-%m-%d %H:%M}" in text
    assert "Inskickat av Anna Testersson" in text
    with translation.override("sv"):
        summary = summarise(runner.definition_of(annas_case), revision.answers)
    for section in summary:
        assert section.title in text
        for row in section.rows:
            assert row.label in text
            for line in row.display.splitlines():
                assert " ".join(line.split()) in text
    assert "Rubrik Fler bänkar" in text
    assert "Vill du bifoga en fil? Nej" in text
    assert "anna@example.se" in text


def test_it_is_stored_under_the_case_with_the_time_it_was_made(annas_case, media):
    revision = first_revision(annas_case)
    stored(revision)
    assert re.fullmatch(rf"cases/{annas_case.reference}/pdf/\w+\.pdf", revision.pdf)
    assert (media / revision.pdf).is_file()
    assert revision.pdf_created_at is not None
    assert revision.pdf_created_at >= revision.created_at


def test_it_is_a_tagged_pdf_a_3a_in_swedish(annas_case):
    reader = PdfReader(io.BytesIO(stored(first_revision(annas_case))))
    catalog = reader.trailer["/Root"]
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="A"' in xmp
    assert catalog["/Lang"] == "sv"
    assert catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/OutputIntents" in catalog
    assert reader.metadata.title == (
        f"Medborgarförslag, ärendenummer {annas_case.number}, version 1"
    )
    tags = structure_tags(catalog["/StructTreeRoot"])
    assert {"H1", "H2", "Table", "TR", "TH", "TD", "P", "Sect"} <= tags


def test_it_is_in_swedish_whatever_language_is_active(annas_case):
    revision = first_revision(annas_case)
    with translation.override("en"):
        make_revision_pdf.call(revision.pk)
    text = text_of(stored(revision))
    assert "Inskickat av" in text
    assert "Vill du bifoga en fil? Nej" in text


def test_a_supplement_gets_its_own_pdf_and_version_1_keeps_the_old_answers(
    annas_case, anna, cecilia
):
    supplemented(annas_case, anna, cecilia, rubrik="Bättre bänkar")
    first, second = annas_case.revisions.order_by("number")
    second_text = text_of(stored(second))
    first_text = text_of(stored(first))
    assert first.pdf != second.pdf
    assert "version 2" in second_text
    assert "Bättre bänkar" in second_text
    assert "Fler bänkar" not in second_text
    assert "version 1" in first_text
    assert "Fler bänkar" in first_text
    assert "Bättre bänkar" not in first_text


def test_attached_files_are_listed_by_name_and_size_not_embedded(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    case = services.submit(case, by=anna, answers={**ANSWERS, "har_bilaga": "ja", "bilagor": MAP})
    data = stored(first_revision(case))
    text = text_of(data)
    assert "Bifoga filer karta.pdf (2 kB)" in text
    assert "ingår inte i den här filen" in text
    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/AF" not in catalog
    assert "/EmbeddedFiles" not in catalog.get("/Names", {})


def test_a_long_answer_runs_over_pages_that_each_name_the_case(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    long_text = "Bänkar längs hela älvstranden. " * 400 + "x" * 400
    case = services.submit(case, by=anna, answers={**ANSWERS, "beskrivning": long_text})
    reader = PdfReader(io.BytesIO(stored(first_revision(case))))
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert f"Ärendenummer {case.number}, version 1" in text
        assert f"{number} / {pages}" in text
    text = text_of(stored(first_revision(case)))
    assert text.count("Bänkar längs hela älvstranden.") == 400
    assert "x" * 40 in text


def test_storing_twice_keeps_one_file(annas_case, media):
    revision = first_revision(annas_case)
    first = store_revision_pdf(revision.pk)
    second = store_revision_pdf(revision.pk)
    assert first == second
    assert list((media / "cases" / str(annas_case.reference) / "pdf").iterdir()) == [media / first]


def test_a_lost_file_is_made_again(annas_case, media):
    revision = first_revision(annas_case)
    lost = store_revision_pdf(revision.pk)
    storages["default"].delete(lost)
    again = store_revision_pdf(revision.pk)
    assert again != lost
    revision.refresh_from_db()
    assert revision.pdf == again
    assert (media / again).is_file()


def test_a_revision_that_no_longer_exists_is_skipped_quietly(db):
    assert store_revision_pdf(2_000_000) is None
    make_revision_pdf.call(2_000_000)


def test_pdf_response_makes_a_missing_pdf_on_demand(annas_case):
    revision = first_revision(annas_case)
    assert revision.pdf == ""
    response = pdf_response(revision)
    revision.refresh_from_db()
    assert revision.pdf
    with storages["default"].open(revision.pdf, "rb") as file:
        assert downloaded(response) == file.read()


def test_the_owner_downloads_the_latest_version_as_an_attachment(client, annas_case, anna):
    revision = first_revision(annas_case)
    data = stored(revision)
    client.force_login(anna)
    response = client.get(pdf_url(annas_case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="arende-{annas_case.number}-version-1.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert downloaded(response) == data


def test_an_earlier_version_can_be_downloaded(client, annas_case, anna, cecilia):
    supplemented(annas_case, anna, cecilia, rubrik="Bättre bänkar")
    client.force_login(anna)
    latest = client.get(pdf_url(annas_case))
    assert "version-2.pdf" in latest["Content-Disposition"]
    assert "Bättre bänkar" in text_of(downloaded(latest))
    earlier = client.get(pdf_url(annas_case, "?version=1"))
    assert earlier.status_code == 200
    assert "version-1.pdf" in earlier["Content-Disposition"]
    text = text_of(downloaded(earlier))
    assert "Fler bänkar" in text
    assert "Bättre bänkar" not in text


def test_a_download_before_the_background_task_makes_the_pdf(client, annas_case, anna):
    client.force_login(anna)
    response = client.get(pdf_url(annas_case))
    assert response.status_code == 200
    assert "Fler bänkar" in text_of(downloaded(response))
    assert first_revision(annas_case).pdf


def test_another_citizen_gets_404_for_every_version(client, annas_case, anna, bertil, cecilia):
    supplemented(annas_case, anna, cecilia, rubrik="Bättre bänkar")
    client.force_login(bertil)
    for query in ("", "?version=1", "?version=2"):
        assert client.get(pdf_url(annas_case, query)).status_code == 404
    assert not CaseRevision.objects.exclude(pdf="").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, annas_case):
    response = client.get(pdf_url(annas_case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("eid:login"))


@pytest.mark.parametrize("version", ["99", "x", "0", "-1", "1.0", "１", "9" * 5000])
def test_an_unknown_or_malformed_version_is_404(client, annas_case, anna, version):
    client.force_login(anna)
    assert client.get(pdf_url(annas_case), {"version": version}).status_code == 404


def test_an_unknown_case_is_404(client, annas_case, anna):
    client.force_login(anna)
    assert client.get(reverse("cases:pdf", kwargs={"number": 999})).status_code == 404


def test_it_rejects_post(client, annas_case, anna):
    client.force_login(anna)
    assert client.post(pdf_url(annas_case)).status_code == 405


def test_the_show_page_links_to_the_pdf_of_the_version_shown(client, annas_case, anna, cecilia):
    client.force_login(anna)
    show = reverse("cases:show", kwargs={"number": annas_case.number})
    assert f'href="{pdf_url(annas_case)}"' in client.get(show).content.decode()
    supplemented(annas_case, anna, cecilia, rubrik="Bättre bänkar")
    latest = client.get(show).content.decode()
    assert f'href="{pdf_url(annas_case)}"' in latest
    assert "Ladda ner som PDF" in latest
    earlier = client.get(show + "?version=1").content.decode()
    assert f'href="{pdf_url(annas_case, "?version=1")}"' in earlier

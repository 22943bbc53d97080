"""Files sent in an e-service's file fields: capped while streaming, checked by content, stored
under random keys, deleted when let go (unless a submitted revision holds them), never named
by their keys on a page."""

import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Case, Status, StatusKind
from sjalvservice.cases.tests.fixtures import CONTACT_POST

MB = 1024 * 1024
CHUNK = 64 * 1024  # TemporaryFileUploadHandler's chunk size
START = "/tjanster/medborgarforslag/starta/"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# A fault report that needs no login: a place to type, then photos of at most 1 MB each.
FAULT_REPORT = {
    "schema_version": 1,
    "title": "Felanmälan",
    "steps": [
        {
            "key": "fel",
            "title": "Felet",
            "fields": [
                {"key": "bilder", "type": "file", "label": "Bilder", "max_files": 2,
                 "max_size_mb": 1, "extensions": ["png", "jpg", "dwg"]},
                {"key": "plats", "type": "text", "label": "Plats", "required": True},
            ],
        },
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Real files in a temporary MEDIA_ROOT, and uploads streamed to a folder we can see."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploading")
    settings.ATTACHMENT_MAX_SIZE_MB = 50
    settings.ATTACHMENT_MAX_FILES = 10
    (tmp_path / "uploading").mkdir()
    return tmp_path


@pytest.fixture
def fault_report(skelleftea, category):
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    eservice = EService.objects.create(
        municipality=skelleftea, category=category, slug="felanmalan", title="Felanmälan",
        short_description="Anmäl ett fel.", requires_login=False,
    )  # fmt: skip
    publish_version(eservice, FAULT_REPORT)
    return eservice


def stored_files(media):
    root = media / "media"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def uploading(media):
    return sorted((media / "uploading").iterdir())


def step_url(case, key="forslag"):
    return reverse("cases:step", kwargs={"reference": case.reference, "step_key": key})


def started(client):
    """Anna's draft with the first step done."""
    client.post(START, {**CONTACT_POST, "action": "next"})
    return Case.objects.latest("created_at")


def post_proposal(client, case, *, files=None, action="save", **extra):
    """The proposal step; the files come first in the body, the answers after them."""
    data = {**({"bilagor": files} if files is not None else {})}
    data.update({"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "har_bilaga": "ja",
                 "action": action, **extra})  # fmt: skip
    return client.post(step_url(case), data)


def png(name="karta.png", content=PNG, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def with_png(client, anna):
    client.force_login(anna)
    case = started(client)
    post_proposal(client, case, files=[png()])
    case.refresh_from_db()
    return case, case.answers["bilagor"][0]


def remove_box(html):
    found = re.search(r'name="bilagor__remove" type="checkbox" value="([^"]+)"', html)
    assert found, "no Ta bort box"
    return found.group(1)


def assert_error_at_field(html, field, message):
    assert f'<a href="#id_{field}">{message}' in html  # in the error summary, linked
    assert re.search(rf'<p id="id_{field}_error" class="govuk-error-message">.*{message}', html)


# Capped while streaming


def test_a_60_mb_file_is_dropped_while_streaming_and_the_answers_are_kept(
    client, anna, suggestion, media
):
    case, earlier = with_png(client, anna)
    assert uploading(media) == []
    big = SimpleUploadedFile("ritning.pdf", PDF + b"0" * (60 * MB), content_type="application/pdf")
    response = post_proposal(client, case, files=[big], action="next", rubrik="Bänkar vid älven")
    assert response.status_code == 200
    html = response.content.decode()
    assert_error_at_field(
        html, "bilagor", "Filen ritning.pdf är större än 50 MB och togs inte emot."
    )
    handler = response.wsgi_request.capped_upload
    # Stopped within a chunk of the limit: the rest of the 60 MB was never written.
    assert 50 * MB < handler.received <= 50 * MB + CHUNK
    assert handler.file.closed
    assert uploading(media) == []
    assert stored_files(media) == [media / "media" / earlier["key"]]
    # What was typed after the file in the body arrived, is shown again and is kept.
    assert 'value="Bänkar vid älven"' in html
    case.refresh_from_db()
    assert case.unsaved_input["forslag"]["rubrik"] == ["Bänkar vid älven"]
    assert case.answers["bilagor"] == [earlier]
    assert case.answers["kontakt"]["first_name"] == "Anna"


def test_the_fields_own_smaller_limit_holds_on_an_e_service_without_login(
    client, fault_report, media
):
    two_mb = png("hal.png", PNG + b"\0" * (2 * MB))
    response = client.post("/tjanster/felanmalan/starta/", {"bilder": [two_mb],
                           "plats": "Storgatan 3", "action": "next"})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert_error_at_field(html, "bilder", "Filen hal.png är större än 1 MB och togs inte emot.")
    assert response.wsgi_request.capped_upload.received <= MB + CHUNK
    assert uploading(media) == []
    assert stored_files(media) == []
    # "Nästa" with errors on the first step starts no draft; what was typed stays in the form.
    assert not Case.objects.exists()
    assert 'value="Storgatan 3"' in html


def test_more_files_than_the_field_takes_are_dropped_and_nothing_is_stored(
    client, fault_report, media
):
    photos = [png(f"{number}.png") for number in range(4)]
    response = client.post("/tjanster/felanmalan/starta/",
                           {"bilder": photos, "plats": "Parken", "action": "next"})  # fmt: skip
    assert_error_at_field(response.content.decode(), "bilder", "Välj högst 2 filer")
    assert uploading(media) == []
    assert stored_files(media) == []
    assert not Case.objects.exists()


def test_all_files_together_are_bounded_too(client, fault_report, media, settings):
    settings.ATTACHMENT_MAX_SIZE_MB = 1
    settings.ATTACHMENT_MAX_FILES = 1  # so at most 1 MB in all per request
    photos = [png("a.png", PNG + b"\0" * (MB // 2 + 1)), png("b.png", PNG + b"\0" * (MB // 2))]
    response = client.post("/tjanster/felanmalan/starta/",
                           {"bilder": photos, "plats": "Parken", "action": "next"})  # fmt: skip
    assert_error_at_field(
        response.content.decode(),
        "bilder",
        "Filen b.png togs inte emot: filerna får tillsammans vara högst 1 MB.",
    )
    assert stored_files(media) == []


def test_a_file_for_no_file_field_is_never_written(client, fault_report, media):
    response = client.post("/tjanster/felanmalan/starta/", {"plats": png("x.png"),
                           "annat": png("y.png"), "bilder": [png()], "action": "next"})  # fmt: skip
    # "plats" needs text: a file sent there is no answer, and nothing of either file is kept.
    assert response.status_code == 200
    assert response.wsgi_request.capped_upload.kept == len(PNG)
    assert stored_files(media) == []


# Checked by content


def test_html_renamed_png_is_refused_and_nothing_is_stored(client, anna, suggestion, media):
    client.force_login(anna)
    case = started(client)
    response = post_proposal(client, case, files=[png("bild.png", HTML)], action="next")
    assert_error_at_field(
        response.content.decode(),
        "bilagor",
        "Innehållet i filen bild.png stämmer inte med filtypen .png.",
    )
    assert stored_files(media) == []
    case.refresh_from_db()
    assert "bilagor" not in case.answers


def test_only_the_fields_types_that_can_be_checked_are_offered_and_taken(
    client, fault_report, media
):
    html = client.get("/tjanster/felanmalan/starta/").content.decode()
    assert 'accept=".png,.jpg"' in html
    assert "Tillåtna filtyper: png, jpg." in html
    drawing = SimpleUploadedFile("ritning.dwg", b"AC1032" + b"\0" * 100)
    response = client.post("/tjanster/felanmalan/starta/",
                           {"bilder": [drawing], "plats": "Parken", "action": "next"})  # fmt: skip
    assert_error_at_field(
        response.content.decode(),
        "bilder",
        "Filen ritning.dwg har en filtyp som inte är tillåten. Tillåtna filtyper: png, jpg.",
    )


def test_an_accepted_png_is_stored_typed_by_its_content_under_a_random_key(
    client, anna, suggestion, media
):
    client.force_login(anna)
    case = started(client)
    claimed = png("../Anna karta.png", content_type="text/html")
    response = post_proposal(client, case, files=[claimed], action="next")
    assert response.status_code == 302
    case.refresh_from_db()
    [stored] = case.answers["bilagor"]
    assert stored["name"] == "Anna karta.png"
    assert stored["content_type"] == "image/png"
    assert stored["size"] == len(PNG)
    assert re.fullmatch(rf"cases/{case.reference}/answers/[A-Za-z0-9]{{32}}\.png", stored["key"])
    assert stored_files(media) == [media / "media" / stored["key"]]
    assert (media / "media" / stored["key"]).read_bytes() == PNG


# Deleted when let go


def test_ta_bort_deletes_the_stored_file_once_committed(
    client, anna, suggestion, media, django_capture_on_commit_callbacks
):
    case, stored = with_png(client, anna)
    box = remove_box(client.get(step_url(case)).content.decode())
    with django_capture_on_commit_callbacks() as callbacks:
        post_proposal(client, case, bilagor__remove=[box])
    case.refresh_from_db()
    assert case.answers["bilagor"] is None
    assert storages["default"].exists(stored["key"])  # not before the commit
    for callback in callbacks:
        callback()
    assert not storages["default"].exists(stored["key"])
    assert stored_files(media) == []


def test_hiding_the_file_field_deletes_its_files(
    client, anna, suggestion, media, django_capture_on_commit_callbacks
):
    case, stored = with_png(client, anna)
    with django_capture_on_commit_callbacks(execute=True):
        post_proposal(client, case, har_bilaga="nej")
    assert not storages["default"].exists(stored["key"])


def test_a_step_that_does_not_validate_deletes_nothing(
    client, anna, suggestion, media, django_capture_on_commit_callbacks
):
    case, stored = with_png(client, anna)
    box = remove_box(client.get(step_url(case)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = post_proposal(client, case, action="next", rubrik="", bilagor__remove=[box])
    assert response.status_code == 200
    assert storages["default"].exists(stored["key"])
    # The box stays ticked, as typed.
    assert re.search(rf'value="{box}" checked', response.content.decode())


def test_a_file_held_by_a_submitted_revision_is_kept_when_removed_in_a_supplement(
    client, anna, suggestion, cecilia, media, django_capture_on_commit_callbacks
):
    case, submitted_file = with_png(client, anna)
    client.post(reverse("cases:preview", kwargs={"reference": case.reference}))
    case.refresh_from_db()
    assert case.revisions.get().answers["bilagor"] == [submitted_file]
    status = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(case, status=status, by=cecilia, message="Skicka en bättre karta.")
    post_proposal(client, case, files=[png("ny.png")])
    case.refresh_from_db()
    new_file = case.answers["bilagor"][1]
    page = client.get(step_url(case)).content.decode()
    boxes = re.findall(r'name="bilagor__remove" type="checkbox" value="([^"]+)"', page)
    with django_capture_on_commit_callbacks(execute=True):
        post_proposal(client, case, bilagor__remove=boxes)
    case.refresh_from_db()
    assert case.answers["bilagor"] is None
    assert storages["default"].exists(submitted_file["key"])  # revision 1 still shows it
    assert not storages["default"].exists(new_file["key"])  # only this draft held it


# Never named by its key


def test_no_page_names_a_file_by_its_storage_key(
    client, anna, suggestion, julia, staff_login, media
):
    case, stored = with_png(client, anna)
    key = stored["key"]
    step = client.get(step_url(case)).content.decode()
    assert "Ta bort karta.png" in step
    assert key not in step
    assert key.rsplit("/", 1)[-1] not in step
    preview = reverse("cases:preview", kwargs={"reference": case.reference})
    assert "karta.png" in client.get(preview).content.decode()
    assert key not in client.get(preview).content.decode()
    client.post(preview)
    case.refresh_from_db()
    shown = client.get(reverse("cases:show", args=[case.number])).content.decode()
    assert "karta.png" in shown
    assert key not in shown
    handler = staff_login(Client(), julia)
    page = handler.get(reverse("backoffice:case", args=[case.number])).content.decode()
    link = reverse("backoffice:answer_file", args=[case.number, 1, 0])
    assert link in page
    assert key not in page
    download = handler.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert 'filename="karta.png"' in download["Content-Disposition"]
    assert download["Content-Type"] == "image/png"  # as sniffed when it was stored
    assert key not in str(download.headers)


def test_a_made_up_ta_bort_value_is_refused_without_echoing_it(client, anna, suggestion, media):
    case, stored = with_png(client, anna)
    response = post_proposal(client, case, action="next", bilagor__remove=[stored["key"]])
    html = response.content.decode()
    assert "En av filerna finns inte längre." in html
    assert stored["key"] not in html


# Who may post, and how


def test_the_step_still_needs_its_csrf_token(anna, suggestion, media):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(anna)
    assert browser.post(START, {**CONTACT_POST, "action": "next"}).status_code == 403
    assert not Case.objects.exists()
    case = services.start_draft(suggestion, owner=anna)
    assert post_proposal(browser, case, files=[png()]).status_code == 403
    assert stored_files(media) == []
    page = browser.get(step_url(case))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = post_proposal(browser, case, files=[png()], csrfmiddlewaretoken=token.group(1))
    assert response.status_code == 302
    assert len(stored_files(media)) == 1


def test_another_citizen_cannot_send_files_to_annas_draft(client, anna, bertil, suggestion, media):
    case = services.start_draft(suggestion, owner=anna)
    client.force_login(bertil)
    assert post_proposal(client, case, files=[png()]).status_code == 404
    assert stored_files(media) == []


def test_a_submitted_case_takes_no_files(client, anna, suggestion, media):
    case, _stored = with_png(client, anna)
    client.post(reverse("cases:preview", kwargs={"reference": case.reference}))
    assert post_proposal(client, case, files=[png("sen.png")]).status_code == 403
    assert len(stored_files(media)) == 1


def test_the_step_rejects_other_methods(client, anna, suggestion):
    case = services.start_draft(suggestion, owner=anna)
    client.force_login(anna)
    assert client.put(step_url(case)).status_code == 405

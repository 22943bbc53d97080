"""The "Meddelanden" tab of a case and its attachments, at /mina-sidor/arenden/<n>/..."""

import re
import uuid
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sjalvservice.cases import services
from sjalvservice.cases.models import Attachment, CaseEvent, Message, Status, StatusKind
from sjalvservice.core import uploads

MB = 1024 * 1024
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The start of a Windows program: the DOS stub, then the PE header it points to.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00\x4c\x01\x03\x00"
    + b"\x00" * 200
)
CHUNK = 64 * 1024  # TemporaryFileUploadHandler's chunk size


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Real files in a temporary MEDIA_ROOT, and uploads streamed to a folder we can see."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploading")
    (tmp_path / "uploading").mkdir()
    return tmp_path


def stored_files(media):
    root = media / "media"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def messages_url(case):
    return reverse("cases:messages", args=[case.number])


def attachment_url(case, attachment):
    return reverse("cases:attachment", args=[case.number, attachment.pk])


def pdf(name="brev.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def accepted(name="beslut.pdf", content=PDF):
    return uploads.Accepted(upload=pdf(name, content), name=name, content_type="application/pdf")


def post_message(client, case, text="Här kommer bilden.", files=(), token=None, **extra):
    data = {"text": text, "token": str(token or uuid.uuid4()), **extra}
    if files:
        data["attachments"] = list(files)
    return client.post(messages_url(case), data)


def multipart(boundary, fields, files):
    """A multipart body written by hand, so file names arrive exactly as a client sent them
    (Django's test client would strip folders from them first)."""
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for filename, content in files:
        # As browsers do: the name in UTF-8, or RFC 2231-encoded when it has control characters.
        if filename.isprintable() and '"' not in filename:
            disposition = f'filename="{filename}"'
        else:
            disposition = f"filename*=UTF-8''{quote(filename, safe='')}"
        header = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; {disposition}'
            "\r\nContent-Type: application/pdf\r\n\r\n"
        )
        parts.append(header.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


def handler_message(case, julia, text="Skicka en bild på platsen.", files=()):
    return services.send_message(case, by=julia, text=text, files=list(files))


# Addresses


def test_the_tab_and_the_files_live_under_the_case(annas_case):
    number = annas_case.number
    assert messages_url(annas_case) == f"/mina-sidor/arenden/{number}/meddelanden/"
    assert reverse("cases:attachment", args=[number, 7]) == f"/mina-sidor/arenden/{number}/filer/7/"


# Reading


def test_it_lists_the_messages_newest_first_with_names_times_and_files(
    client, anna, julia, annas_case
):
    first = handler_message(annas_case, julia, files=[accepted("beslut.pdf")])
    second = services.send_message(annas_case, by=anna, text="Rad ett\nRad två <b>fet</b>")
    client.force_login(anna)
    response = client.get(messages_url(annas_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.index(f'id="meddelande-{second.pk}"') < html.index(f'id="meddelande-{first.pk}"')
    assert "Julia Landsell (handläggare)" in html
    assert "Anna Testersson" in html
    assert ">Du<" not in html
    assert f"{timezone.localtime(first.created_at):%Y-%m-%d %H:%M}" in html
    assert "Rad ett<br>Rad två &lt;b&gt;fet&lt;/b&gt;" in html
    attachment = first.attachments.get()
    assert f'href="{attachment_url(annas_case, attachment)}">beslut.pdf</a> (' in html
    assert "byte)" in html or "kB)" in html


def test_the_tab_says_so_when_there_are_no_messages(client, anna, annas_case):
    client.force_login(anna)
    html = client.get(messages_url(annas_case)).content.decode()
    assert "Det finns inga meddelanden i ärendet ännu." in html
    assert "Meddelanden (0)" in html


def test_both_tabs_show_the_summary_and_mark_the_open_tab(client, anna, julia, annas_case):
    handler_message(annas_case, julia)
    client.force_login(anna)
    for url, current, other in [
        (reverse("cases:case", args=[annas_case.number]), "Ärendehistorik", "Meddelanden (1)"),
        (messages_url(annas_case), "Meddelanden (1)", "Ärendehistorik"),
    ]:
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1
        assert "Medborgarförslag (Inskickat)</h1>" in html
        assert '<dt class="govuk-summary-list__key">Ärendenummer</dt>' in html
        tabs = html.split('id="arendet-flikar"')[1].split("</nav>")[0]
        assert re.search(rf'aria-current="page">{re.escape(current)}', tabs)
        assert not re.search(rf'aria-current="page">{re.escape(other)}', tabs)
        assert f'href="{messages_url(annas_case)}#arendet-flikar"' in tabs


def test_unread_markers_clear_when_anna_opens_the_tab(client, anna, julia, annas_case):
    message = handler_message(annas_case, julia)
    own = services.send_message(annas_case, by=anna, text="Jag har en fråga.")
    client.force_login(anna)
    case_page = reverse("cases:case", args=[annas_case.number])
    assert "1 oläst</strong>" in client.get(case_page).content.decode()
    assert "1 oläst meddelande</strong>" in client.get(reverse("cases:my_pages")).content.decode()

    html = client.get(messages_url(annas_case)).content.decode()
    mine, theirs = html.split(f'id="meddelande-{own.pk}"')[1].split(f'id="meddelande-{message.pk}"')
    assert "Nytt</strong>" in theirs
    assert "Nytt</strong>" not in mine
    message.refresh_from_db()
    own.refresh_from_db()
    assert message.read_at is not None
    assert own.read_at is None  # read when a handler opens it, not when Anna does

    assert "Nytt</strong>" not in client.get(messages_url(annas_case)).content.decode()
    assert "oläst" not in client.get(case_page).content.decode()
    assert "oläst" not in client.get(reverse("cases:my_pages")).content.decode()


def test_it_makes_as_many_queries_for_50_messages_as_for_one(client, anna, julia, annas_case):
    handler_message(annas_case, julia, files=[accepted("a.pdf"), accepted("b.pdf")])
    client.force_login(anna)
    client.get(messages_url(annas_case))  # warm up: the first request fills caches
    with CaptureQueriesContext(connection) as one:
        client.get(messages_url(annas_case))
    for number in range(49):
        handler_message(
            annas_case, julia, text=f"Meddelande {number}", files=[accepted(), accepted()]
        )
    client.get(messages_url(annas_case))  # marks the 49 new ones read, as the warm-up did
    with CaptureQueriesContext(connection) as many:
        response = client.get(messages_url(annas_case))
    html = response.content.decode()
    assert "Meddelanden (50)" in html
    assert html.count("/filer/") == 100
    assert len(many) == len(one), [query["sql"] for query in many.captured_queries]


# "Nytt meddelande"


def test_the_form_opens_from_a_link_without_javascript(client, anna, annas_case):
    client.force_login(anna)
    html = client.get(messages_url(annas_case)).content.decode()
    assert 'href="?nytt=1#nytt-meddelande"' in html
    assert "<textarea" not in html

    html = client.get(messages_url(annas_case) + "?nytt=1").content.decode()
    assert 'id="nytt-meddelande">Nytt meddelande</h3>' in html
    assert (
        '<label class="govuk-label govuk-label--s" for="meddelande-text">Meddelande</label>' in html
    )
    assert 'name="text"' in html
    assert re.search(r'type="file" multiple[^>]*name|name="attachments" type="file" multiple', html)
    assert "Bifoga filer" in html
    assert "Maximal filstorlek vid uppladdning: 50 MB" in html
    assert "Tillåtna filtyper: csv, doc, docx," in html
    assert ">Skicka meddelande</button>" in html
    assert f'href="{messages_url(annas_case)}#arendet-flikar">Avbryt</a>' in html
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', html)
    assert token is not None
    assert uuid.UUID(token.group(1)).version == 4
    assert 'enctype="multipart/form-data"' in html


def test_the_size_hint_follows_the_setting(client, anna, annas_case, settings):
    settings.ATTACHMENT_MAX_SIZE_MB = 20
    client.force_login(anna)
    html = client.get(messages_url(annas_case) + "?nytt=1").content.decode()
    assert "Maximal filstorlek vid uppladdning: 20 MB" in html


def test_anna_sends_a_message_with_a_file(client, anna, annas_case, media):
    client.force_login(anna)
    response = post_message(client, annas_case, files=[pdf("Annas brev.pdf")])
    assert response.status_code == 302
    assert response["Location"] == f"{messages_url(annas_case)}#arendet-flikar"
    html = client.get(response["Location"]).content.decode()
    assert "Ditt meddelande är skickat till handläggaren." in html
    assert "govuk-notification-banner--success" in html

    message = Message.objects.get(case=annas_case)
    assert message.direction == Message.Direction.FROM_CITIZEN
    assert message.sender_name == "Anna Testersson"
    assert message.text == "Här kommer bilden."
    attachment = message.attachments.get()
    assert attachment.name == "Annas brev.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.key.startswith(f"cases/{annas_case.reference}/messages/")
    assert "Anna" not in attachment.key
    assert "Testersson" not in attachment.key
    assert "brev" not in attachment.key
    assert [path.read_bytes() for path in stored_files(media)] == [PDF]
    assert annas_case.events.filter(kind=CaseEvent.Kind.MESSAGE_FROM_CITIZEN).count() == 1
    annas_case.refresh_from_db()
    assert annas_case.handler_unread
    assert f'href="{attachment_url(annas_case, attachment)}">Annas brev.pdf</a>' in html


def test_sending_the_same_form_twice_stores_one_message(client, anna, annas_case, media):
    client.force_login(anna)
    token = uuid.uuid4()
    first = post_message(client, annas_case, files=[pdf()], token=token)
    second = post_message(client, annas_case, files=[pdf()], token=token)
    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(case=annas_case).count() == 1
    assert Attachment.objects.filter(message__case=annas_case).count() == 1
    assert len(stored_files(media)) == 1
    assert annas_case.events.filter(kind=CaseEvent.Kind.MESSAGE_FROM_CITIZEN).count() == 1


@pytest.mark.parametrize(
    "kind",
    [
        StatusKind.SUBMITTED,
        StatusKind.IN_PROGRESS,
        StatusKind.AWAITING_SUPPLEMENT,
        StatusKind.SUPPLEMENTED,
        StatusKind.CLOSED,
    ],
)
def test_a_message_can_be_sent_in_every_status(client, anna, julia, annas_case, kind):
    if kind != StatusKind.SUBMITTED:
        services.set_status(
            annas_case, status=Status.objects.default_for(kind), by=julia, message="Hej."
        )
    client.force_login(anna)
    assert post_message(client, annas_case).status_code == 302
    assert Message.objects.filter(case=annas_case, direction="from_citizen").count() == 1


def assert_refused(response, media, annas_case, *, field_id, message):
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</div>\n</div>")[0]
    assert f'<a href="#{field_id}">' in summary
    assert message in summary
    assert f'id="{field_id}_error" class="govuk-error-message">' in html
    assert message in html.split(f'id="{field_id}_error"')[1]
    assert "<title>Fel:" in html
    assert not Message.objects.filter(case=annas_case).exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert not any((media / "uploading").iterdir())
    return html


def test_an_empty_text_is_refused_and_nothing_is_stored(client, anna, annas_case, media):
    client.force_login(anna)
    response = post_message(client, annas_case, text="   ", files=[pdf()])
    assert_refused(
        response, media, annas_case, field_id="meddelande-text", message="Skriv ett meddelande."
    )


def test_a_text_over_5000_characters_is_refused_and_kept(client, anna, annas_case, media):
    client.force_login(anna)
    text = "å" * 5001
    response = post_message(client, annas_case, text=text)
    html = assert_refused(
        response,
        media,
        annas_case,
        field_id="meddelande-text",
        message="Meddelandet får vara högst 5000 tecken.",
    )
    assert f"\n{text}</textarea>" in html


def test_a_file_of_a_type_not_allowed_is_refused_and_the_text_kept(client, anna, annas_case, media):
    client.force_login(anna)
    response = post_message(
        client, annas_case, text="Se bilagan <3", files=[pdf(), pdf("program.exe", EXECUTABLE)]
    )
    html = assert_refused(
        response,
        media,
        annas_case,
        field_id="meddelande-attachments",
        message="Filen program.exe har en filtyp som inte är tillåten.",
    )
    assert "\nSe bilagan &lt;3</textarea>" in html
    assert "?nytt=1" not in html  # the form is open already


def test_an_executable_renamed_pdf_is_refused_by_its_content(client, anna, annas_case, media):
    client.force_login(anna)
    response = post_message(client, annas_case, files=[pdf("faktura.pdf", EXECUTABLE)])
    assert_refused(
        response,
        media,
        annas_case,
        field_id="meddelande-attachments",
        message="Innehållet i filen faktura.pdf stämmer inte med filtypen .pdf.",
    )


def test_an_empty_file_is_refused(client, anna, annas_case, media):
    client.force_login(anna)
    response = post_message(client, annas_case, files=[pdf("tom.pdf", b"")])
    assert_refused(
        response,
        media,
        annas_case,
        field_id="meddelande-attachments",
        message="Filen tom.pdf är tom.",
    )


def test_a_51_mb_file_is_stopped_at_the_limit_and_nothing_is_stored(
    client, anna, annas_case, media
):
    client.force_login(anna)
    big = pdf("stor.pdf", PDF + b"0" * (51 * MB))
    response = post_message(client, annas_case, text="Ritningen", files=[pdf("liten.pdf"), big])
    html = assert_refused(
        response,
        media,
        annas_case,
        field_id="meddelande-attachments",
        message="Filen stor.pdf är större än 50 MB och togs inte emot.",
    )
    assert "\nRitningen</textarea>" in html
    handler = response.wsgi_request.capped_upload
    limit = 50 * MB
    assert handler.refused == "stor.pdf"
    # Stopped as soon as the file passed the limit, not after reading all 51 MB of it.
    assert limit < handler.received <= limit + CHUNK
    assert handler.file.closed


def test_too_many_files_are_stopped_while_streaming(client, anna, annas_case, media, settings):
    settings.ATTACHMENT_MAX_FILES = 2
    client.force_login(anna)
    files = [pdf(f"{number}.pdf") for number in range(3)]
    response = post_message(client, annas_case, files=files)
    assert_refused(
        response,
        media,
        annas_case,
        field_id="meddelande-attachments",
        message="Du kan bifoga högst 2 filer åt gången.",
    )
    assert response.wsgi_request.capped_upload.too_many


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\brev.pdf", "brev.pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
        ("\x1b[31mx.pdf", "[31mx.pdf"),
        ("å" * 300 + ".pdf", "å" * 146 + ".pdf"),
    ],
)
def test_file_names_are_stored_and_served_safe(client, anna, annas_case, sent, expected):
    client.force_login(anna)
    boundary = "sjalvservice-test-boundary"
    body = multipart(boundary, {"token": str(uuid.uuid4()), "text": "Namnet"}, [(sent, PDF)])
    response = client.generic(
        "POST",
        messages_url(annas_case),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302, response.content.decode()
    attachment = Attachment.objects.get(message__case=annas_case)
    assert attachment.name == expected
    assert "/" not in attachment.name
    assert "\\" not in attachment.name
    assert not any(ord(character) < 32 or ord(character) == 127 for character in attachment.name)
    assert len(attachment.name) <= 150
    assert attachment.name.endswith(".pdf")

    download = client.get(attachment_url(annas_case, attachment))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    if expected.isascii():
        assert f'filename="{expected}"' in disposition
    else:
        assert f"filename*=utf-8''{quote(expected)}" in disposition


# Downloads


def test_a_download_is_the_file_as_an_attachment_never_inline(client, anna, julia, annas_case):
    message = handler_message(annas_case, julia, files=[accepted("beslut.pdf")])
    client.force_login(anna)
    response = client.get(attachment_url(annas_case, message.attachments.get()))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="beslut.pdf"'
    assert response["Content-Type"] in {"application/pdf", "application/octet-stream"}
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_missing_file_is_not_found(client, anna, julia, annas_case, media):
    message = handler_message(annas_case, julia, files=[accepted()])
    for path in stored_files(media):
        path.unlink()
    client.force_login(anna)
    assert client.get(attachment_url(annas_case, message.attachments.get())).status_code == 404


# Who may


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_citizen_gets_not_found_for_the_tab(client, bertil, annas_case, method):
    client.force_login(bertil)
    response = getattr(client, method)(
        messages_url(annas_case), {"text": "Hej Anna", "token": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_another_citizen_gets_not_found_for_every_file(client, anna, bertil, julia, annas_case):
    handler_message(annas_case, julia, files=[accepted()])
    services.send_message(annas_case, by=anna, text="Min bild", files=[accepted("bild.pdf")])
    client.force_login(bertil)
    attachments = list(Attachment.objects.filter(message__case=annas_case))
    assert len(attachments) == 2
    for attachment in attachments:
        assert client.get(attachment_url(annas_case, attachment)).status_code == 404


def test_a_file_of_another_case_is_not_found_under_annas_number(
    client, anna, bertil, julia, suggestion, annas_case
):
    bertils_case = services.submit(
        services.start_draft(suggestion, owner=bertil), by=bertil, answers={}
    )
    annas_other = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers={})
    theirs = handler_message(bertils_case, julia, files=[accepted()]).attachments.get()
    other = handler_message(annas_other, julia, files=[accepted()]).attachments.get()
    client.force_login(anna)
    assert client.get(attachment_url(annas_case, theirs)).status_code == 404
    assert client.get(attachment_url(annas_case, other)).status_code == 404
    assert client.get(attachment_url(annas_other, other)).status_code == 200
    missing = reverse("cases:attachment", args=[annas_case.number, other.pk + 100])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client, julia, annas_case, method):
    attachment = handler_message(annas_case, julia, files=[accepted()]).attachments.get()
    for url in [messages_url(annas_case), attachment_url(annas_case, attachment)]:
        data = {"text": "Hej", "token": str(uuid.uuid4())} if method == "post" else {}
        response = getattr(client, method)(url, data)
        if method == "post" and "/filer/" in url:
            assert response.status_code == 405
            continue
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('eid:login')}?next={url}"
    assert Message.objects.filter(direction="from_citizen").count() == 0


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_tab_rejects_other_methods(client, anna, annas_case, method):
    client.force_login(anna)
    assert getattr(client, method)(messages_url(annas_case)).status_code == 405


def test_a_file_cannot_be_posted_to(client, anna, julia, annas_case):
    attachment = handler_message(annas_case, julia, files=[accepted()]).attachments.get()
    client.force_login(anna)
    assert client.post(attachment_url(annas_case, attachment)).status_code == 405


def test_the_form_needs_its_csrf_token(anna, annas_case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(anna)
    response = post_message(client, annas_case, files=[pdf()])
    assert response.status_code == 403
    assert not Message.objects.exists()
    page = client.get(messages_url(annas_case) + "?nytt=1").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    response = post_message(client, annas_case, files=[pdf()], csrfmiddlewaretoken=csrf.group(1))
    assert response.status_code == 302
    assert Message.objects.count() == 1


def test_an_unknown_case_is_not_found(client, anna, annas_case):
    client.force_login(anna)
    assert client.get(reverse("cases:messages", args=[annas_case.number + 1])).status_code == 404


def test_a_message_that_arrives_while_the_page_is_made_stays_unread(annas_case, anna, julia):
    shown = handler_message(annas_case, julia, text="Första")
    arrived = handler_message(annas_case, julia, text="Andra")
    assert services.mark_read(annas_case, by=anna, shown={shown.pk}) == 1
    shown.refresh_from_db()
    arrived.refresh_from_db()
    assert shown.read_at is not None
    assert arrived.read_at is None

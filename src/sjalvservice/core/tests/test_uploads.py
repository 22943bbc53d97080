"""Receiving files: safe names, the capped upload handler, type and content checks, storing."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory

from sjalvservice.core import uploads
from sjalvservice.core.uploads import CappedUploadHandler, safe_name

KB = 1024
CHUNK = 64 * KB
BOUNDARY = "sjalvservice-test-boundary"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
EXECUTABLE = (
    b"MZ\x90\x00" + b"\x00" * 56 + b"\x40\x00\x00\x00" + b"PE\x00\x00\x4c\x01" + b"\x00" * 64
)


# safe_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("brev.pdf", "brev.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\brev.pdf", "brev.pdf"),
        ("a\x00b\n.pdf", "ab.pdf"),
        ("\x1b[31mx.pdf", "[31mx.pdf"),
        ("räkning\u202egnp.pdf", "räkninggnp.pdf"),  # no right-to-left override
        ("  många   mellanslag .pdf ", "många mellanslag.pdf"),
        ('a<b>c:"d"|e?f*.pdf', "abcdef.pdf"),
        ("brev.pdf...", "brev.pdf"),
        (".pdf", "fil.pdf"),
        ("..pdf", "fil.pdf"),
        (".hemlig.pdf", "hemlig.pdf"),
        ("", "fil"),
        (None, "fil"),
        ("/", "fil"),
        ("..", "fil"),
        ("utan filändelse", "utan filändelse"),
        ("rapport.inte en filändelse", "rapport.inte en filändelse"),
        ("Ba\u0308r.pdf", "Bär.pdf"),  # one form of "ä", whatever the sender used
    ],
)
def test_safe_name_keeps_only_a_plain_file_name(name, expected):
    assert safe_name(name) == expected


def test_safe_name_shortens_long_names_and_keeps_the_extension():
    name = safe_name("x" * 300 + ".pdf")
    assert name == "x" * 146 + ".pdf"
    assert len(safe_name("å" * 300 + ".docx")) == uploads.MAX_NAME_LENGTH
    assert safe_name("å" * 300 + ".docx").endswith("å.docx")
    assert len(safe_name("y" * 400)) == uploads.MAX_NAME_LENGTH


def test_safe_name_never_returns_a_folder_or_a_control_character():
    for name in ["a/b/c.pdf", "a\\b\\c.pdf", "\x7fx\x85y\u2028z.pdf", "\t\r\n.pdf"]:
        cleaned = safe_name(name)
        assert "/" not in cleaned
        assert "\\" not in cleaned
        assert cleaned.isprintable()


# The handler, driven by Django's own multipart parser


def body(*parts):
    """A multipart body: (field name, value) for fields, (field name, file name, bytes)
    for files, optionally with a Content-Length of its own as a fourth item."""
    out = b""
    for part in parts:
        if len(part) == 2:
            name, value = part
            out += (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        else:
            name, filename, content, *length = part
            header = (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n'
            )
            if length:
                header += f"Content-Length: {length[0]}\r\n"
            out += (header + "\r\n").encode() + content + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def parse(data, handler):
    stream = io.BytesIO(data)
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(data)),
    }
    post, files = MultiPartParser(meta, stream, [handler]).parse()
    return post, files, stream


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def test_a_file_under_the_limit_is_streamed_to_a_temporary_file():
    handler = CappedUploadHandler(limit=100 * KB)
    post, files, _stream = parse(body(("text", "Hej"), ("files", "a.pdf", PDF)), handler)
    upload = files["files"]
    assert upload.read() == PDF
    assert os.path.exists(upload.temporary_file_path())
    assert post["text"] == "Hej"
    assert handler.refused is None
    assert handler.received == len(PDF)


def test_a_file_of_exactly_the_limit_is_accepted():
    handler = CappedUploadHandler(limit=200 * KB)
    _post, files, _stream = parse(body(("files", "a.pdf", b"x" * 200 * KB)), handler)
    assert files["files"].size == 200 * KB
    assert handler.refused is None


def test_a_file_over_the_limit_is_stopped_as_soon_as_it_passes_it(upload_dir):
    handler = CappedUploadHandler(limit=200 * KB)
    data = body(
        ("token", "t"),
        ("files", "first.pdf", PDF),
        ("files", "big.pdf", b"x" * 5 * 1024 * KB),
        ("after", "lost"),
    )
    post, files, stream = parse(data, handler)
    assert handler.refused == "big.pdf"
    # Stopped within one chunk of the limit, not after reading the 5 MB.
    assert 200 * KB < handler.received <= 200 * KB + CHUNK
    # Its temporary file is closed and gone; only the earlier, complete file is left.
    assert handler.file.closed
    assert not os.path.exists(handler.file.name)
    assert [upload.name for upload in files.getlist("files")] == ["first.pdf"]
    # What came before arrived; the rest of the body was read and dropped, so the
    # connection is in order for the answer.
    assert post["token"] == "t"
    assert "after" not in post
    assert stream.tell() == len(data)


def test_each_file_has_its_own_limit():
    handler = CappedUploadHandler(limit=150 * KB)
    data = body(("files", "a.pdf", b"a" * 100 * KB), ("files", "b.pdf", b"b" * 100 * KB))
    _post, files, _stream = parse(data, handler)
    assert [upload.size for upload in files.getlist("files")] == [100 * KB, 100 * KB]
    assert handler.refused is None


def test_a_file_announced_as_too_big_is_refused_before_any_of_it_is_read():
    handler = CappedUploadHandler(limit=100 * KB)
    parse(body(("files", "big.pdf", PDF, 300 * KB)), handler)
    assert handler.refused == "big.pdf"
    assert handler.received == 0


def test_more_files_than_allowed_stop_the_upload():
    handler = CappedUploadHandler(limit=100 * KB, max_files=2)
    data = body(*[("files", f"{number}.pdf", PDF) for number in range(4)])
    _post, files, stream = parse(data, handler)
    assert handler.too_many
    assert handler.refused is None
    assert len(files.getlist("files")) == 2
    assert stream.tell() == len(data)


def test_size_error_names_the_stopped_file_or_says_nothing(settings):
    request = RequestFactory().post("/")
    assert uploads.size_error(request) is None
    request.capped_upload = CappedUploadHandler(limit=KB)
    assert uploads.size_error(request) is None
    request.capped_upload.refused = "../ritning.pdf"
    error = uploads.size_error(request)
    assert error is not None
    assert error.code == "size"
    assert error.message.startswith(
        f"Filen ritning.pdf är större än {settings.ATTACHMENT_MAX_SIZE_MB} MB och togs inte emot."
    )
    request.capped_upload.too_many = True
    error = uploads.size_error(request)
    assert error is not None
    assert error.code == "count"
    assert error.message.startswith(
        f"Du kan bifoga högst {settings.ATTACHMENT_MAX_FILES} filer åt gången."
    )


# Type and content checks


def upload(name, content):
    return SimpleUploadedFile(name, content)


def docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_files_of_allowed_types_with_matching_content_are_accepted():
    accepted, problems = uploads.attachment_problems(
        [upload("brev.PDF", PDF), upload("bild.png", PNG), upload("text.docx", docx())]
    )
    assert problems == []
    assert [(item.name, item.content_type) for item in accepted] == [
        ("brev.PDF", "application/pdf"),
        ("bild.png", "image/png"),
        ("text.docx", "application/zip"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("faktura.pdf", EXECUTABLE, "stämmer inte med filtypen .pdf"),
        ("sida.txt", b"<html><body><script>alert(1)</script></body></html>", "filtypen .txt"),
        ("bild.png", PDF, "stämmer inte med filtypen .png"),
        ("brev.docx", os.urandom(2048), "stämmer inte med filtypen .docx"),
        ("program.exe", EXECUTABLE, "har en filtyp som inte är tillåten"),
        ("utan-filandelse", PDF, "har en filtyp som inte är tillåten"),
        ("tom.pdf", b"", "är tom"),
    ],
)
def test_files_are_refused_by_extension_and_by_content(name, content, problem):
    accepted, problems = uploads.attachment_problems([upload(name, content)])
    assert accepted == []
    assert len(problems) == 1
    assert problem in problems[0]


def test_too_many_files_are_refused_together(settings):
    settings.ATTACHMENT_MAX_FILES = 2
    accepted, problems = uploads.attachment_problems([upload(f"{n}.pdf", PDF) for n in range(3)])
    assert accepted == []
    assert problems == ["Du kan bifoga högst 2 filer åt gången."]


def test_a_stored_file_gets_a_random_key_that_never_holds_its_name(upload_dir):
    item = uploads.Accepted(
        upload=upload("Anna Testersson.PDF", PDF), name="Anna Testersson.PDF", content_type="x"
    )
    first = uploads.store(item, "cases/abc/messages")
    second = uploads.store(item, "cases/abc/messages")
    assert first["key"] != second["key"]
    for stored in (first, second):
        assert stored["key"].startswith("cases/abc/messages/")
        assert stored["key"].endswith(".pdf")
        assert "Anna" not in stored["key"]
        assert (upload_dir / "media" / stored["key"]).read_bytes() == PDF
    assert first["name"] == "Anna Testersson.PDF"
    assert first["size"] == len(PDF)
    uploads.delete_stored([first["key"], second["key"]])
    assert not any((upload_dir / "media" / "cases" / "abc" / "messages").iterdir())

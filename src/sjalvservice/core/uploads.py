"""Receiving files from people: streamed to disk, capped while streaming, checked by content.

A view that accepts attachments installs :class:`CappedUploadHandler` before it reads the
request body (see :func:`capped_uploads`). Each file then goes to a temporary file on disk
in chunks, never whole into memory, and the upload stops as soon as one file passes the
limit: nothing of it is kept and the view can say which limit was passed.
:func:`attachment_problems` then checks the name's extension against an allowlist and the
first bytes of the content (libmagic) against what that extension must contain, so an
executable renamed ``.pdf`` is refused. :func:`store` saves an accepted file under a random
key; the person's own file name is only ever shown, never used as a path.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

MB = 1024 * 1024
SNIFF_BYTES = 8192
MAX_NAME_LENGTH = 150

# Extension -> the content types libmagic may report for such a file.
# libmagic cannot always name an Office Open XML file from its first bytes; such a file
# must still be a ZIP archive (see SIGNATURES), so "application/octet-stream" alone is
# not enough to pass.
_OFFICE_ZIP = {"application/zip", "application/octet-stream"}
ALLOWED_TYPES: dict[str, set[str]] = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "gif": {"image/gif"},
    "heic": {"image/heic", "image/heif"},
    "tif": {"image/tiff"},
    "tiff": {"image/tiff"},
    "txt": {"text/plain"},
    "csv": {"text/plain", "text/csv", "application/csv"},
    "rtf": {"text/rtf", "application/rtf"},
    "odt": {"application/vnd.oasis.opendocument.text"},
    "ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    | _OFFICE_ZIP,
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} | _OFFICE_ZIP,
    "pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation"}
    | _OFFICE_ZIP,
    "doc": {"application/msword", "application/x-ole-storage", "application/CDFV2"},
    "xls": {"application/vnd.ms-excel", "application/x-ole-storage", "application/CDFV2"},
}
# Extension -> the bytes such a file must begin with, where the content type is not enough.
_ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, bytes] = {"docx": _ZIP, "xlsx": _ZIP, "pptx": _ZIP, "odt": _ZIP, "ods": _ZIP}


def max_size() -> int:
    return int(settings.ATTACHMENT_MAX_SIZE_MB) * MB


def limits() -> dict[str, Any]:
    """What a file input tells the person (``core/includes/file_upload.html``)."""
    return {
        "max_size_mb": max_size() // MB,
        "allowed_types": ", ".join(sorted(ALLOWED_TYPES)),
        "accept": ",".join(f".{extension}" for extension in sorted(ALLOWED_TYPES)),
    }


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Streams each file to a temporary file and stops the upload when one is too big.

    ``refused`` tells the view afterwards which file passed the limit; ``too_many`` that
    more than ``max_files`` files were sent (each of them could be almost ``limit`` big, so
    the count is capped while streaming too). The rest of the request body is read and
    thrown away (``connection_reset=False``) so the browser gets the page with the message
    instead of a broken connection.
    """

    def __init__(
        self, request: HttpRequest | None = None, *, limit: int, max_files: int | None = None
    ) -> None:
        super().__init__(request)
        self.limit = limit
        self.max_files = max_files
        self.files = 0
        self.received = 0
        self.refused: str | None = None
        self.too_many = False

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        self.files += 1
        if self.max_files is not None and self.files > self.max_files:
            self.too_many = True
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)
        if self.content_length is not None and self.content_length > self.limit:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return super().receive_data_chunk(raw_data, start)

    def _refuse(self) -> None:
        self.refused = self.file_name or ""
        self.file.close()  # the temporary file is deleted with it
        raise StopUpload(connection_reset=False)


def capped_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` with :class:`CappedUploadHandler` as the only upload handler.

    Upload handlers must be set before anything reads the body, and the CSRF check reads
    it; so, as Django's documentation shows, CSRF is checked inside, after the handler is
    in place. The view finds the handler as ``request.capped_upload``.
    """

    @functools.wraps(view)
    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        handler = CappedUploadHandler(
            request, limit=max_size(), max_files=settings.ATTACHMENT_MAX_FILES
        )
        request.upload_handlers = [handler]
        request.capped_upload = handler  # type: ignore[attr-defined]
        return csrf_protect(view)(request, *args, **kwargs)

    return wrapped


def refused_upload(request: HttpRequest) -> str | None:
    """The name of the file that passed the size limit in this request, if one did."""
    handler = getattr(request, "capped_upload", None)
    return handler.refused if handler is not None else None


def safe_name(name: str | None) -> str:
    """The person's file name, fit to show and to send back: no folders, no control
    characters, at most ``MAX_NAME_LENGTH`` characters with the extension kept."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(
        character
        for character in base
        if unicodedata.category(character)[0] != "C" and character not in '<>:"|?*'
    )
    base = " ".join(base.split()).rstrip(" .")
    stem, dot, extension = base.rpartition(".")
    if not dot or len(extension) > 10 or " " in extension:
        stem, dot, extension = base, "", ""
    # No leading dots either: a name like ".pdf" or "..pdf" would be a hidden file.
    stem = stem.strip(" .")
    room = MAX_NAME_LENGTH - len(dot) - len(extension)
    return f"{stem[:room].rstrip(' .') or _('fil')}{dot}{extension}"


def extension_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def sniff(upload: UploadedFile) -> str:
    """The content type libmagic reads from the file's first bytes."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return str(magic.from_buffer(head, mime=True))


def _signed(upload: UploadedFile, extension: str) -> bool:
    """Whether the file begins as files with this extension must (if that is known)."""
    signature = SIGNATURES.get(extension)
    if signature is None:
        return True
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    return bool(head == signature)


@dataclass(frozen=True)
class Accepted:
    upload: UploadedFile
    name: str
    content_type: str


def attachment_problems(uploads: list[UploadedFile]) -> tuple[list[Accepted], list[str]]:
    """Split ``uploads`` into accepted files and clear messages about the others."""
    accepted: list[Accepted] = []
    problems: list[str] = []
    limit_mb = settings.ATTACHMENT_MAX_SIZE_MB
    if len(uploads) > settings.ATTACHMENT_MAX_FILES:
        problems.append(
            _("Du kan bifoga högst %(count)s filer åt gången.")
            % {"count": settings.ATTACHMENT_MAX_FILES}
        )
        return [], problems
    allowed = ", ".join(sorted(ALLOWED_TYPES))
    for upload in uploads:
        name = safe_name(upload.name)
        extension = extension_of(name)
        if extension not in ALLOWED_TYPES:
            problems.append(
                _(
                    "Filen %(name)s har en filtyp som inte är tillåten. "
                    "Tillåtna filtyper: %(types)s."
                )
                % {"name": name, "types": allowed}
            )
            continue
        if not upload.size:
            problems.append(_("Filen %(name)s är tom.") % {"name": name})
            continue
        if upload.size > max_size():
            problems.append(
                _("Filen %(name)s är större än %(size)s MB.") % {"name": name, "size": limit_mb}
            )
            continue
        content_type = sniff(upload)
        if content_type not in ALLOWED_TYPES[extension] or not _signed(upload, extension):
            problems.append(
                _(
                    "Innehållet i filen %(name)s stämmer inte med filtypen .%(extension)s. "
                    "Spara filen i rätt format och försök igen."
                )
                % {"name": name, "extension": extension}
            )
            continue
        accepted.append(Accepted(upload=upload, name=name, content_type=content_type))
    return accepted, problems


def store(accepted: Accepted, folder: str) -> dict[str, Any]:
    """Save an accepted file under a random key in ``folder``; describe what was stored."""
    extension = extension_of(accepted.name)
    key = f"{folder}/{get_random_string(32)}.{extension}"
    stored = storages["default"].save(key, accepted.upload)
    return {
        "name": accepted.name,
        "key": stored,
        "size": accepted.upload.size,
        "content_type": accepted.content_type,
    }


def delete_stored(keys: list[str]) -> None:
    storage = storages["default"]
    for key in keys:
        storage.delete(key)


def size_error(request: HttpRequest) -> ValidationError | None:
    """A message for the person when this request's upload was stopped: a file passed the
    size limit, or more files than allowed were sent."""
    handler = getattr(request, "capped_upload", None)
    if handler is not None and handler.too_many:
        return ValidationError(
            _(
                "Du kan bifoga högst %(count)s filer åt gången. "
                "Ingenting från formuläret har sparats; välj färre filer och försök igen."
            )
            % {"count": settings.ATTACHMENT_MAX_FILES},
            code="count",
        )
    refused = refused_upload(request)
    if refused is None:
        return None
    return ValidationError(
        _(
            "Filen %(name)s är större än %(size)s MB och togs inte emot. "
            "Ingenting från formuläret har sparats; välj en mindre fil och försök igen."
        )
        % {"name": safe_name(refused), "size": settings.ATTACHMENT_MAX_SIZE_MB},
        code="size",
    )

"""Receiving files from people: streamed to disk, capped while streaming, checked by content.

Every view that accepts files installs :class:`CappedUploadHandler` before it reads the
request body (:func:`capped_uploads` for a message's attachments, :func:`install_cap` where
the caps depend on what is asked, as in an e-service's step). Each file then goes to a
temporary file on disk in chunks, never whole into memory, and nothing of a file is kept
once it passes its cap. :func:`attachment_problems` then checks the name's extension against
an allowlist and the first bytes of the content (libmagic) against what that extension must
contain, so an executable renamed ``.pdf`` is refused. :func:`store` saves an accepted file
under a random key; the person's own file name is only ever shown, never used as a path,
and the key is never shown.
"""

from __future__ import annotations

import functools
import io
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
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


def max_total() -> int:
    """What all the files of one request may be together: as many of the largest files as
    a message may carry."""
    return int(settings.ATTACHMENT_MAX_FILES) * max_size()


def limits() -> dict[str, Any]:
    """What a file input tells the person (``core/includes/file_upload.html``)."""
    return {
        "max_size_mb": max_size() // MB,
        "allowed_types": ", ".join(sorted(ALLOWED_TYPES)),
        "accept": ",".join(f".{extension}" for extension in sorted(ALLOWED_TYPES)),
    }


@dataclass(frozen=True)
class Cap:
    """What one file input may receive in one request: at most ``max_files`` files of at
    most ``max_bytes`` each."""

    max_bytes: int
    max_files: int


class Refusal(StrEnum):
    """Why a file was dropped while it streamed in."""

    SIZE = "size"  # the file passed its input's size cap
    COUNT = "count"  # its input had received all the files it may
    TOTAL = "total"  # the request's files together passed max_total()


class RefusedUpload(UploadedFile):
    """Stands in ``request.FILES`` for a file dropped while it streamed in, so the form can
    say beside its field why it was not received. It holds nothing of the file."""

    def __init__(self, name: str, reason: Refusal) -> None:
        super().__init__(io.BytesIO(), name=name, content_type="", size=0)
        self.reason = reason


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Streams each file to a temporary file and drops any file that passes its cap.

    Without ``inputs`` (a form with one file input, as a message's), ``limit`` holds for
    every file and ``max_files`` for the request: passing either stops the upload, and the
    rest of the body is read and thrown away (``connection_reset=False``) so the browser
    gets the page with the message instead of a broken connection. ``refused`` then names
    the file that passed the limit, ``too_many`` says that more than ``max_files`` were sent
    (each of them could be almost ``limit`` big, so the count is capped while streaming
    too).

    With ``inputs`` (an e-service step, whose file fields each have their own caps), a file
    past its input's :class:`Cap`, past ``limit``, or past ``total`` for all files together,
    is dropped alone: its temporary file is deleted at once, the rest of it is read and
    thrown away, and a :class:`RefusedUpload` takes its place, so every other answer of the
    form still arrives. A file sent to an input not named is dropped unread.
    """

    def __init__(
        self,
        request: HttpRequest | None = None,
        *,
        limit: int,
        max_files: int | None = None,
        inputs: Mapping[str, Cap] | None = None,
        total: int | None = None,
    ) -> None:
        super().__init__(request)
        self.limit = limit
        self.max_files = max_files
        self.inputs = inputs
        self.total = total
        self.files = 0
        self.per_input: Counter[str] = Counter()
        self.received = 0
        self.kept = 0
        self.refused: str | None = None
        self.too_many = False
        self.dropping: Refusal | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        self.dropping = None
        self.files += 1
        if self.max_files is not None and self.files > self.max_files:
            self.too_many = True
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)
        self.per_input[self.field_name] += 1
        if self.per_input[self.field_name] > self._cap().max_files:
            self._refuse(Refusal.COUNT)
        elif self.content_length is not None and self.content_length > self._cap().max_bytes:
            self._refuse(Refusal.SIZE)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.dropping is not None:
            return None
        self.received += len(raw_data)
        if self.received > self._cap().max_bytes:
            self._refuse(Refusal.SIZE)
        elif self.total is not None and self.kept + self.received > self.total:
            self._refuse(Refusal.TOTAL)
        else:
            return super().receive_data_chunk(raw_data, start)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.dropping is not None:
            return RefusedUpload(self.file_name or "", self.dropping)
        self.kept += file_size
        return super().file_complete(file_size)

    def _cap(self) -> Cap:
        """The cap of the input the current file is sent to."""
        if self.inputs is None:
            # One cap for every input; the request's max_files is counted in new_file.
            return Cap(max_bytes=self.limit, max_files=sys.maxsize)
        cap = self.inputs.get(self.field_name, Cap(max_bytes=0, max_files=0))
        return Cap(max_bytes=min(cap.max_bytes, self.limit), max_files=cap.max_files)

    def _refuse(self, reason: Refusal) -> None:
        if self.refused is None:
            self.refused = self.file_name or ""
        self.file.close()  # the temporary file is deleted with it
        if self.inputs is None:
            raise StopUpload(connection_reset=False)
        self.dropping = reason


def install_cap(
    request: HttpRequest,
    *,
    limit: int,
    max_files: int | None = None,
    inputs: Mapping[str, Cap] | None = None,
    total: int | None = None,
) -> CappedUploadHandler:
    """Make :class:`CappedUploadHandler` with these caps the request's only upload handler.

    Call it before anything reads the body (Django refuses otherwise); the CSRF check reads
    it, so a view that calls this is ``csrf_exempt`` and checks CSRF afterwards, as
    :func:`capped_uploads` does. The view finds the handler as ``request.capped_upload``.
    """
    handler = CappedUploadHandler(
        request, limit=limit, max_files=max_files, inputs=inputs, total=total
    )
    request.upload_handlers = [handler]
    request.capped_upload = handler  # type: ignore[attr-defined]
    return handler


def capped_uploads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` with :class:`CappedUploadHandler` as the only upload handler, capped at
    ``max_size()`` per file and ``ATTACHMENT_MAX_FILES`` files (a message's attachments).

    Upload handlers must be set before anything reads the body, and the CSRF check reads
    it; so, as Django's documentation shows, CSRF is checked inside, after the handler is
    in place.
    """

    @functools.wraps(view)
    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        install_cap(request, limit=max_size(), max_files=settings.ATTACHMENT_MAX_FILES)
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


class Problem(str):
    """A message for the person about the files sent, with a code for a form's error."""

    code: str

    def __new__(cls, message: str, code: str) -> Problem:
        problem = super().__new__(cls, message)
        problem.code = code
        return problem


def acceptable(extensions: Iterable[str] | None = None) -> list[str]:
    """The extensions of ``extensions`` (in their order; all known ones when None) whose
    content the checks know how to recognise: no other file is ever accepted."""
    if extensions is None:
        return sorted(ALLOWED_TYPES)
    wanted = (extension.lower().lstrip(".") for extension in extensions)
    return [extension for extension in dict.fromkeys(wanted) if extension in ALLOWED_TYPES]


def attachment_problems(
    uploads: Sequence[UploadedFile],
    *,
    allowed_extensions: Iterable[str] | None = None,
    max_bytes: int | None = None,
    max_files: int | None = None,
) -> tuple[list[Accepted], list[Problem]]:
    """Split ``uploads`` into accepted files and clear messages about the others.

    The defaults are a message's: every type the checks know, ``max_size()`` per file,
    ``ATTACHMENT_MAX_FILES`` files. A file field passes its own, narrower ones (its
    extensions are narrowed to those the checks know, see :func:`acceptable`).
    """
    allowed = acceptable(allowed_extensions)
    max_bytes = max_size() if max_bytes is None else max_bytes
    max_files = settings.ATTACHMENT_MAX_FILES if max_files is None else max_files
    if len(uploads) > max_files:
        message = _("Du kan bifoga högst %(count)s filer åt gången.") % {"count": max_files}
        return [], [Problem(message, "count")]
    accepted: list[Accepted] = []
    problems: list[Problem] = []
    for upload in uploads:
        checked = _check(upload, allowed, max_bytes)
        if isinstance(checked, Problem):
            problems.append(checked)
        else:
            accepted.append(checked)
    return accepted, problems


def _check(upload: UploadedFile, allowed: list[str], max_bytes: int) -> Accepted | Problem:
    """One file accepted (named safely, typed by its content), or the first thing wrong
    with it: its type, emptiness, size, content."""
    name = safe_name(upload.name)
    extension = extension_of(name)
    if extension not in allowed:
        message = _(
            "Filen %(name)s har en filtyp som inte är tillåten. Tillåtna filtyper: %(types)s."
        ) % {"name": name, "types": ", ".join(allowed)}
        return Problem(message, "extension")
    if not upload.size:
        return Problem(_("Filen %(name)s är tom.") % {"name": name}, "empty")
    if upload.size > max_bytes:
        message = _("Filen %(name)s är större än %(size)s MB.") % {
            "name": name,
            "size": max_bytes // MB,
        }
        return Problem(message, "size")
    content_type = sniff(upload)
    if content_type not in ALLOWED_TYPES[extension] or not _signed(upload, extension):
        message = _(
            "Innehållet i filen %(name)s stämmer inte med filtypen .%(extension)s. "
            "Spara filen i rätt format och försök igen."
        ) % {"name": name, "extension": extension}
        return Problem(message, "content")
    return Accepted(upload=upload, name=name, content_type=content_type)


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


def delete_stored(keys: Iterable[str]) -> None:
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

"""Sending stored files back: always as a download, never shown in the browser.

No access checks here: the citizen's and the handler's views decide who may have a file
and then call these.
"""

from __future__ import annotations

from django.core.files.storage import storages
from django.http import FileResponse, Http404

from sjalvservice.cases.models import Attachment
from sjalvservice.core import uploads

OCTET_STREAM = "application/octet-stream"
# Types the upload checks can have given a file; anything else is sent as plain bytes.
KNOWN_TYPES = frozenset(
    content_type for types in uploads.ALLOWED_TYPES.values() for content_type in types
)


def attachment_response(attachment: Attachment) -> FileResponse:
    """A file sent with a message, as a download under its (safe) display name."""
    return file_response(attachment.key, attachment.name, attachment.content_type)


def file_response(key: str, name: str, content_type: str = "") -> FileResponse:
    """The stored file ``key`` streamed from the default storage as a download.

    The name is cleaned again (it may come from older data); Django's FileResponse writes
    it into Content-Disposition, RFC 5987-encoded when it is not plain ASCII. The browser
    is told not to guess the type, not to keep a copy, and to run nothing in it.
    """
    try:
        handle = storages["default"].open(key, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=uploads.safe_name(name),
        content_type=content_type if content_type in KNOWN_TYPES else OCTET_STREAM,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

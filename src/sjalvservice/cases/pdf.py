"""The PDF copy of a submitted case revision (WeasyPrint, tagged PDF/A).

The copy is made in the background after each submission and supplement
(``cases.tasks.make_revision_pdf``) and on demand when someone asks for it first.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from sjalvservice.cases import runner
from sjalvservice.cases.models import CaseRevision
from sjalvservice.eservices.definitions import summarise
from sjalvservice.eservices.definitions.fields.files import answer_files

# The copy is a record of a Swedish case: its times read the same whichever process made it.
LOCAL_TIME = zoneinfo.ZoneInfo("Europe/Stockholm")


def render_revision_pdf(revision: CaseRevision) -> bytes:
    """The revision as a tagged PDF/A-3a document in Swedish, answers grouped per step.

    Files the person attached are listed by name and size, never embedded.
    """
    case = revision.case
    definition = runner.definition_of(case)
    # The worker has no request: the language and the time zone are set here.
    with translation.override("sv"), timezone.override(LOCAL_TIME):
        summary = summarise(definition, revision.answers)
        html = render_to_string(
            "cases/pdf/revision.html",
            {
                "portal_name": settings.PORTAL_NAME,
                "case": case,
                "revision": revision,
                "submitted_by": _name_of(revision),
                "summary": summary,
                "has_files": bool(answer_files(definition, revision.answers)),
            },
        )
    return render_pdf(html)


def render_pdf(html: str) -> bytes:
    """A tagged PDF/A-3a document from the portal's own HTML, with nothing fetched."""
    # WeasyPrint is imported here: it loads Pango through cffi, which only the worker
    # and the download need, not every process that imports the cases app.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Everything the document needs is inline: refusing every other URL keeps the
    # renderer off the network and the file system, whatever a template may come to hold.
    offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    document = HTML(string=html, url_fetcher=offline)
    return bytes(document.write_pdf(pdf_variant="pdf/a-3a"))


def store_revision_pdf(revision_id: int) -> str | None:
    """Make and store the revision's PDF unless it has one; the storage key, or None if
    the revision no longer exists."""
    revision = (
        CaseRevision.objects.select_related(
            "case__eservice", "case__eservice_version", "case__municipality", "created_by"
        )
        .filter(pk=revision_id)
        .first()
    )
    if revision is None:
        return None
    return _stored_pdf(revision)


def pdf_response(revision: CaseRevision) -> FileResponse:
    """The revision's PDF as a download, made now if the background task has not run yet.

    No access checks: the caller has decided that the person may see this revision.
    """
    storage = storages["default"]
    key: str | None = revision.pdf
    if not key or not storage.exists(key):
        key = store_revision_pdf(revision.pk)
    if not key:
        raise Http404
    response = FileResponse(
        storage.open(key, "rb"),
        as_attachment=True,
        filename=f"arende-{revision.case.number}-version-{revision.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _stored_pdf(revision: CaseRevision) -> str | None:
    storage = storages["default"]
    if revision.pdf and storage.exists(revision.pdf):
        return revision.pdf
    content = ContentFile(render_revision_pdf(revision))
    key = storage.save(f"cases/{revision.case.reference}/pdf/{get_random_string(32)}.pdf", content)
    # Only if nobody stored one meanwhile (the worker and a download can race): the
    # update is conditional on the key this process saw, so one file is kept.
    stored = CaseRevision.objects.filter(pk=revision.pk, pdf=revision.pdf).update(
        pdf=key, pdf_created_at=timezone.now()
    )
    if not stored:
        storage.delete(key)
        return CaseRevision.objects.filter(pk=revision.pk).values_list("pdf", flat=True).first()
    return key


def _name_of(revision: CaseRevision) -> str:
    person = revision.created_by
    if person is None:
        return ""
    return person.display_name

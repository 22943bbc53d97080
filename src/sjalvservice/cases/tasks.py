"""Background work on cases, run by the task worker."""

from __future__ import annotations

from django_tasks import task


@task()
def make_revision_pdf(revision_id: int) -> None:
    """Render and store the PDF copy of one submitted revision."""
    from sjalvservice.cases.pdf import store_revision_pdf

    store_revision_pdf(revision_id)


@task()
def make_personal_data_pdf(export_id: int) -> None:
    """Render and store a person's "Mina personuppgifter" PDF."""
    from sjalvservice.cases.personal_data import make_pdf

    make_pdf(export_id)

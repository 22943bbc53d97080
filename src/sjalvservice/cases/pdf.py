"""The PDF copy of a submitted case revision (WeasyPrint, tagged PDF/A)."""

from __future__ import annotations


def store_revision_pdf(revision_id: int) -> None:
    raise NotImplementedError

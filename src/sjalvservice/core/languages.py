"""Texts a municipality writes in Swedish and may translate: which one a page shows, and the
``lang`` a Swedish text needs on a page in another language (WCAG 3.1.2, "Language of Parts").

Every such text reaches a template through ``shown`` (or an e-service definition's
``in_language``); the template writes it with the ``lang`` filter of ``languages``, which
marks a ``SwedishText`` as ``<span lang="sv">``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

SWEDISH = "sv"


class SwedishText(str):
    """A Swedish text shown on a page in another language, for want of a translation."""

    __slots__ = ()
    lang = SWEDISH


def is_swedish(language: str | None = None) -> bool:
    """Whether ``language`` (the current language when None) is Swedish."""
    code = language or get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0] == SWEDISH


def shown(swedish: str, translations: dict[str, str] | None = None) -> str:
    """The text to show in the current language: ``swedish`` on a Swedish page, else its
    translation in ``translations`` (language code -> text), else ``swedish`` marked as a
    ``SwedishText``."""
    if is_swedish():
        return swedish
    translated = (translations or {}).get((get_language() or "").split("-")[0])
    if translated:
        return translated
    return SwedishText(swedish) if swedish else swedish

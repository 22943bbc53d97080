from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.sites import site_of

# Main menu entries: (label, URL name, the path prefixes that belong to the entry).
Entry = tuple[Any, str, tuple[str, ...]]
NAVIGATION: list[Entry] = [
    (_("Tjänster"), "eservices:home", ("/tjanster/",)),
    (_("Mina sidor"), "cases:my_pages", ("/mina-sidor/",)),
]


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT,
        # Looked up only if the page shows it (every page with the portal's header does).
        "SITE": SimpleLazyObject(lambda: site_of(request)),
        "navigation": navigation(request.path, NAVIGATION),
    }


def navigation(path: str, entries: list[Entry]) -> list[dict[str, Any]]:
    """The main menu's items, each marked as the current page or section of ``path``."""
    items = []
    for label, url_name, prefixes in entries:
        href = reverse(url_name)
        if path == href:
            current = "page"
        elif any(path.startswith(prefix) for prefix in prefixes):
            current = "true"
        else:
            current = ""
        items.append({"label": label, "href": href, "current": current})
    return items

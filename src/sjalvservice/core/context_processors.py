from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Main menu entries: (label, URL name, the path prefixes that belong to the entry).
Entry = tuple[Any, str, tuple[str, ...]]
NAVIGATION: list[Entry] = [
    (_("Tjänster"), "eservices:home", ("/tjanster/",)),
    (_("Mina sidor"), "cases:my_pages", ("/mina-sidor/",)),
]
# The back office has its own menu; "Administrera" only for municipality administrators.
BACK_OFFICE_PREFIX = "/handlaggare/"
BACK_OFFICE_NAVIGATION: list[Entry] = [
    (_("Inkorg"), "backoffice:inbox", ("/handlaggare/arenden/",)),
]
BACK_OFFICE_ADMIN_NAVIGATION: list[Entry] = [
    (_("Administrera"), "backoffice:manage", ("/handlaggare/administrera/",)),
]


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "SESSION_IDLE_TIMEOUT": settings.SESSION_IDLE_TIMEOUT,
        "navigation": _navigation(request.path, _entries(request)),
        "in_back_office": request.path.startswith(BACK_OFFICE_PREFIX),
    }


def _entries(request: HttpRequest) -> list[Entry]:
    if not request.path.startswith(BACK_OFFICE_PREFIX):
        return NAVIGATION
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return []
    if getattr(user, "is_municipality_admin", False):
        return BACK_OFFICE_NAVIGATION + BACK_OFFICE_ADMIN_NAVIGATION
    return BACK_OFFICE_NAVIGATION


def _navigation(path: str, entries: list[Entry]) -> list[dict[str, Any]]:
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

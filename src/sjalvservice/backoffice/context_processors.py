from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sjalvservice.core.context_processors import Entry, navigation

# Where sjalvservice/urls.py mounts the back office.
PREFIX = "/handlaggare/"
# The back office's main menu; "Administrera" only for municipality administrators, and
# a redaktör's menu of the e-services alone.
NAVIGATION: list[Entry] = [
    (_("Inkorg"), "backoffice:inbox", ("/handlaggare/arenden/",)),
    (
        _("Köer och bokningar"),
        "backoffice:reservations",
        ("/handlaggare/koer/", "/handlaggare/resurser/", "/handlaggare/bokningar/"),
    ),
    (_("Mina notiser"), "backoffice:notification_settings", ()),
]
EDITOR_NAVIGATION: list[Entry] = [
    (_("E-tjänster"), "backoffice:manage_eservices", ("/handlaggare/administrera/e-tjanster/",)),
]
ADMIN_NAVIGATION: list[Entry] = [
    (_("Administrera"), "backoffice:manage", ("/handlaggare/administrera/",)),
]


def back_office(request: HttpRequest) -> dict[str, Any]:
    """In the back office: its own menu instead of the citizens'."""
    if not request.path.startswith(PREFIX):
        return {"in_back_office": False}
    return {"in_back_office": True, "navigation": navigation(request.path, _entries(request))}


def _entries(request: HttpRequest) -> list[Entry]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return []
    if getattr(user, "is_municipality_admin", False):
        return NAVIGATION + ADMIN_NAVIGATION
    if getattr(user, "is_editor", False):
        # A redaktör handles no cases: the e-services are all of their back office.
        return EDITOR_NAVIGATION
    return NAVIGATION

"""The portal's own error pages, wired in sjalvservice/urls.py and CSRF_FAILURE_VIEW.

Django calls these instead of its bare English pages once DEBUG is off. 403, 404 and the
CSRF failure answer a request that works, so they render with the whole layout (menu, the
person's name). 400 and 500 answer a request or a server in trouble: they render without
context processors, which read the session and the database.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from sjalvservice.core.http import safe_next

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _self_contained(request, "errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid CSRF token (Django logs ``reason``)."""
    back = safe_next(request, request.headers.get("Referer", ""))
    return render(request, "errors/csrf.html", {"back": back}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return _self_contained(request, "errors/500.html", status=500)


def _self_contained(request: HttpRequest, template_name: str, *, status: int) -> HttpResponse:
    """Render ``template_name`` from settings alone: no context processors, no database.

    If even that fails, a line of plain text is better than the server's own error page.
    """
    context: dict[str, Any] = {"PORTAL_NAME": settings.PORTAL_NAME, "request": request}
    try:
        content = loader.render_to_string(template_name, context)
    except Exception:
        logger.exception("The error page %s could not be rendered", template_name)
        return HttpResponse(
            _("Något gick fel. Försök igen senare."),
            status=status,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(content, status=status)

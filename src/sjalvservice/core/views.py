import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.core.models import Municipality
from sjalvservice.core.signals import language_chosen

logger = logging.getLogger(__name__)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.active().only("name", "contact_email", "contact_phone")
    return render(request, "core/accessibility.html", {"municipalities": municipalities})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    municipalities = Municipality.objects.active().only("name", "contact_email", "contact_phone")
    return render(request, "core/privacy.html", {"municipalities": municipalities})


@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


@require_safe
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the language and go back to the page the person was on.

    A plain link (not a form) so that the switch is an ordinary, labelled link
    for screen readers; changing the language is harmless, so GET is fine.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = safe_next(request, request.GET.get("next", "")) or "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    language_chosen.send(sender=None, request=request, language=code)
    return response


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Tell a load balancer whether this instance can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database cannot be reached")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")

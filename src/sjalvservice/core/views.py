import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.core.models import Municipality
from sjalvservice.core.signals import language_chosen
from sjalvservice.core.sites import site_of

logger = logging.getLogger(__name__)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement; on a municipality's site, its own text first and its
    own contact details."""
    municipalities = Municipality.objects.active().only("name", "contact_email", "contact_phone")
    site = site_of(request)
    statement = ""
    if site is not None:
        municipalities = municipalities.filter(pk=site.municipality_id)
        statement = (
            Municipality.objects.filter(pk=site.municipality_id)
            .values_list("accessibility_statement", flat=True)
            .first()
            or ""
        )
    return render(
        request,
        "core/accessibility.html",
        {"municipalities": municipalities, "statement": statement},
    )


LOGO_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@require_safe
def municipality_logo(request: HttpRequest, slug: str) -> FileResponse:
    """A municipality's logo, for its site's header. Public, like the site itself; an SVG is
    served as an image that can run nothing, even when opened on its own."""
    municipality = get_object_or_404(Municipality.objects.active().only("logo"), slug=slug)
    name = municipality.logo.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if name else ""
    if extension not in LOGO_TYPES:
        raise Http404
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stored, content_type=LOGO_TYPES[extension])
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The page asks for it with the file's name in the query, so a new logo is a new URL.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


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

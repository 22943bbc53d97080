"""The federation's endpoints: start, the assertion consumer, single logout, our metadata."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.eid import ratelimit
from sjalvservice.eid.saml import login, logout
from sjalvservice.eid.saml.config import MetadataError, sp_metadata

logger = logging.getLogger(__name__)

# What the person reads when the federation gives nobody a login, by reason.
FAILURES = {
    "cancelled": _("Du avbröt inloggningen. Du är inte inloggad."),
    "expired": _(
        "Inloggningen tog för lång tid och gäller inte längre. Du är inte inloggad. Börja om."
    ),
    "not_started": _(
        "Inloggningen hör inte till något du har påbörjat här, eller har redan använts. "
        "Du är inte inloggad. Börja om från Logga in."
    ),
    "low_assurance": _(
        "Inloggningen gav inte den säkerhetsnivå som krävs: en svensk e-legitimation som "
        "BankID. Du är inte inloggad."
    ),
    "no_number": _(
        "Inloggningen gav inget giltigt personnummer eller samordningsnummer, och det behövs "
        "för att logga in här. Du är inte inloggad."
    ),
    "untrusted": _(
        "Svaret från inloggningstjänsten gick inte att lita på, så du är inte inloggad. "
        "Försök igen. Hjälper det inte, kontakta kommunen."
    ),
    "idp_error": _(
        "Inloggningstjänsten kunde inte logga in dig. Du är inte inloggad. Försök igen om en stund."
    ),
    "unavailable": _("Inloggning via regionen fungerar inte just nu. Försök igen senare."),
    "staff_number": _(
        "Personnumret hör till ett konto för kommunens personal. Personal loggar in i "
        "handläggarvyn, inte här."
    ),
    "missing": _("Inget svar från inloggningstjänsten kom fram. Du är inte inloggad. Börja om."),
}


def _failed(request: HttpRequest, reason: str, next_url: str = "") -> HttpResponse:
    status = 200 if reason == "cancelled" else 503 if reason == "unavailable" else 403
    return render(
        request,
        "eid/saml/failed.html",
        {"message": FAILURES[reason], "next": next_url},
        status=status,
    )


@never_cache
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """Send the person to the region's IdP with a signed request."""
    next_url = safe_next(request, request.GET.get("next", ""))
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if not ratelimit.login_start_allowed(request):
        return redirect(reverse("eid:login") + ("?next=" + next_url if next_url else ""))
    try:
        location = login.start(request, next_url)
    except MetadataError:
        return _failed(request, "unavailable", next_url)
    return redirect(location)


@csrf_exempt  # the IdP's form posts here; the answer must match a request of this browser
@never_cache
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """The assertion consumer service: the IdP's answer, POSTed by the person's browser."""
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response:
        return _failed(request, "missing")
    if settings.SAML_SESSION_COOKIE_NAME not in request.COOKIES and not request.POST.get(CONTINUED):
        return _continue(request, saml_response)
    try:
        next_url = login.finish(request, saml_response)
    except login.LoginRefused as refused:
        logger.warning("federation login refused: %s", refused.detail)
        return _failed(request, refused.reason)
    return redirect(safe_next(request, next_url) or settings.LOGIN_REDIRECT_URL)


# Set on the portal's own repost of an answer, so that it is reposted only once.
CONTINUED = "fortsatt"


def _continue(request: HttpRequest, saml_response: str) -> HttpResponse:
    """Post the answer once more, from the portal's own page.

    The IdP's page posts across sites, and a browser sends no SameSite=Lax cookie with such
    a post: without the saml session's cookie the answer could not be matched to the request.
    Over https the cookie is SameSite=None and this is not needed; where it is (plain http
    in development, a portal and IdP on different sites), a post from our own page carries
    the cookie."""
    fields = {"SAMLResponse": saml_response}
    if "RelayState" in request.POST:
        fields["RelayState"] = request.POST["RelayState"]
    return render(request, "eid/saml/continue.html", {"fields": fields, "continued": CONTINUED})


@never_cache
@require_safe
def sls(request: HttpRequest) -> HttpResponse:
    """Single logout: the IdP's answer to our LogoutRequest (the portal's session has already
    ended), or the IdP's own LogoutRequest for a logout that started elsewhere."""
    if "SAMLRequest" in request.GET:
        location = logout.answer_logout_request(request)
        if location is None:
            return HttpResponseBadRequest(
                _("Begäran om utloggning gick inte att lita på."), content_type="text/plain"
            )
        return redirect(location)
    saml_response = request.GET.get("SAMLResponse", "")
    if saml_response and not logout.logout_answered(request, saml_response):
        messages.warning(
            request,
            _(
                "Du är utloggad härifrån, men inloggningstjänsten bekräftade inte att du är "
                "utloggad där. Stäng webbläsaren om du använder en dator som andra också "
                "använder."
            ),
        )
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_safe
def metadata(request: HttpRequest) -> HttpResponse:
    """The portal's SP metadata, for the federation operator (a stable URL: the entity id)."""
    return HttpResponse(
        sp_metadata().encode("utf-8"),
        content_type="application/samlmetadata+xml; charset=utf-8",
    )

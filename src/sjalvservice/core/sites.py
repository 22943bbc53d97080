"""Each municipality's own site on one installation, chosen by the request's host name.

``sjalvservice.lycksele.se`` shows Lycksele's name, logo and colour in the header, its
contact details and accessibility statement, and its e-services first; any other host the
installation answers on shows the region's shared portal. Mina sidor is the same on every
site: a person's cases from every municipality.

The host names are read once into the cache (a few dozen rows at most) and read again when a
municipality is saved; other processes see a change within ``SITES_CACHE_SECONDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest

from sjalvservice.core.colours import HEX_COLOUR
from sjalvservice.core.hosts import normalise_host
from sjalvservice.core.models import Municipality

SITES_CACHE_KEY = "core:municipality-sites:v1"
SITES_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Site:
    """What every page of a municipality's site shows of it (no query per request)."""

    municipality_id: int
    name: str
    slug: str
    brand_colour: str
    logo: str  # the file's name in storage; it changes with every new logo
    contact_email: str
    contact_phone: str
    website: str


def sites() -> dict[str, Site]:
    """Every active municipality with a host name, by host name."""
    found: dict[str, Site] | None = cache.get(SITES_CACHE_KEY)
    if found is None:
        found = _refresh()
    return found


def _refresh() -> dict[str, Site]:
    found = {
        municipality.host: Site(
            municipality_id=municipality.pk,
            name=municipality.name,
            slug=municipality.slug,
            # Written into a <style>: only ever a colour, whatever the row holds.
            brand_colour=(
                municipality.brand_colour if HEX_COLOUR.fullmatch(municipality.brand_colour) else ""
            ),
            logo=municipality.logo.name or "",
            contact_email=municipality.contact_email,
            contact_phone=municipality.contact_phone,
            website=municipality.website,
        )
        for municipality in Municipality.objects.active().exclude(host=None)
        if municipality.host
    }
    cache.set(SITES_CACHE_KEY, found, SITES_CACHE_SECONDS)
    return found


def site_for_host(host: str) -> Site | None:
    return sites().get(normalise_host(host))


def site_of(request: HttpRequest) -> Site | None:
    """The municipality whose site the request came to; ``None`` on the region's portal.

    Looked up when first asked for (a page's header asks; a redirect or a download does
    not), once per request.
    """
    try:
        site: Site | None = request._municipality_site  # type: ignore[attr-defined]
    except AttributeError:
        site = site_for_host(request.get_host())
        request._municipality_site = site  # type: ignore[attr-defined]
    return site


@receiver([post_save, post_delete], sender=Municipality)
def _sites_changed(**kwargs: Any) -> None:
    # Read again at once, so that this server's next page needs no query, and once more
    # when the change is committed (a change rolled back shows until the cache expires).
    _refresh()
    transaction.on_commit(_refresh)

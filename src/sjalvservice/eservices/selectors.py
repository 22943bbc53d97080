"""Reads of the catalogue: what the start page, the search and the e-service page show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sjalvservice.core.models import Municipality
from sjalvservice.eservices.models import Category, EService, EServiceQuerySet
from sjalvservice.eservices.search import collation_key, rank

MOST_USED_COUNT = 6
MOST_USED_PERIOD = timedelta(days=90)


def get_published_eservice(slug: str) -> EService:
    """The e-service a resident may see and start.

    Unknown, inactive and unpublished e-services are all a 404: nobody can tell them apart.
    """
    return get_object_or_404(_published(), slug=slug)


@dataclass
class StartPage:
    most_used: Sequence[EService]
    categories: Sequence[tuple[Category, Sequence[EService]]]


def start_page(municipality_id: int | None = None) -> StartPage:
    """The most used e-services and every published e-service by category, in one query.

    "Most used" counts the cases submitted in the last 90 days; ties go by title. On a
    municipality's own site (``municipality_id``) its e-services come first everywhere, and
    among the most used those it chose to show first ("visas först").
    """
    since = timezone.now() - MOST_USED_PERIOD
    eservices = list(
        _published().annotate(use_count=Count("cases", filter=Q(cases__submitted_at__gte=since)))
    )

    def elsewhere(eservice: EService) -> bool:
        return municipality_id is not None and eservice.municipality_id != municipality_id

    most_used = sorted(
        eservices,
        key=lambda e: (elsewhere(e), not (e.featured and not elsewhere(e)), -e.use_count,
                       collation_key(e.title)),
    )  # fmt: skip
    by_category = sorted(
        eservices,
        key=lambda e: (e.category.position, collation_key(e.category.name), e.category_id,
                       elsewhere(e), collation_key(e.title)),
    )  # fmt: skip
    categories = [
        (group[0].category, group)
        for _, members in groupby(by_category, key=lambda e: e.category_id)
        if (group := list(members))
    ]
    return StartPage(most_used=most_used[:MOST_USED_COUNT], categories=categories)


def search_catalogue(
    query: str = "",
    *,
    municipality: Municipality | None = None,
    category: Category | None = None,
) -> list[EService]:
    """Published e-services matching the words and filters, best first (by title if no words)."""
    eservices = _published()
    if municipality is not None:
        eservices = eservices.for_municipality(municipality)
    if category is not None:
        eservices = eservices.in_category(category)
    return rank(eservices, query)


def _published() -> EServiceQuerySet:
    return EService.objects.published().select_related("municipality", "category")

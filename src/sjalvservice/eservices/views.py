from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sjalvservice.core.models import Municipality
from sjalvservice.core.sites import site_of
from sjalvservice.eservices import selectors
from sjalvservice.eservices.forms import CatalogueForm
from sjalvservice.eservices.models import Category


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the search box, the most used e-services and all by category."""
    search_form = CatalogueForm(municipalities=[], categories=[])
    site = site_of(request)
    return render(
        request,
        "eservices/home.html",
        {
            "catalogue": selectors.start_page(site.municipality_id if site else None),
            "search_form": search_form,
        },
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """Search results with the municipality and category filters (all e-services when empty)."""
    form = CatalogueForm(
        request.GET,
        municipalities=list(Municipality.objects.active().only("name", "slug")),
        categories=list(Category.objects.all()),
    )
    results = None
    if form.is_valid():
        results = selectors.search_catalogue(
            form.cleaned_data["q"],
            municipality=form.cleaned_data["kommun"],
            category=form.cleaned_data["kategori"],
        )
    return render(request, "eservices/catalogue.html", {"form": form, "results": results})


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    eservice = selectors.get_published_eservice(slug)
    return render(request, "eservices/detail.html", {"eservice": eservice})

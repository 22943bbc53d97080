from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sjalvservice.core.http import safe_next
from sjalvservice.eid.providers import enabled_providers


@require_safe
def login(request: HttpRequest) -> HttpResponse:
    """The start of "Logga in": the e-legitimation methods this installation offers."""
    return render(
        request,
        "accounts/login.html",
        {"providers": enabled_providers(), "next": safe_next(request, request.GET.get("next", ""))},
    )


@require_safe
@login_required
def my_pages(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_pages.html")


@require_safe
@login_required
def my_details(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_details.html")


@require_safe
@login_required
def my_engagements(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_engagements.html")

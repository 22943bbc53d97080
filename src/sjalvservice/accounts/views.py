from typing import Any

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
    # Through the reverse relation: accounts does not import the cases app.
    user: Any = request.user
    cases = list(
        user.cases.select_related("eservice", "municipality", "status").order_by("-last_saved_at")[
            :200
        ]
    )
    drafts = [case for case in cases if case.number is None]
    submitted = [case for case in cases if case.number is not None]
    return render(request, "accounts/my_pages.html", {"drafts": drafts, "submitted": submitted})


@require_safe
@login_required
def my_details(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_details.html")


@require_safe
@login_required
def my_engagements(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request, "accounts/my_engagements.html", {"organisations": user.organisations.all()}
    )

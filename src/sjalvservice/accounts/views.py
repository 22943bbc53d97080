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
    """The case overview: saved drafts, ongoing and closed cases, in one query."""
    # Through the reverse relation: accounts does not import the cases app.
    user: Any = request.user
    cases = list(user.cases.select_related("eservice", "municipality", "status"))
    drafts = [case for case in cases if case.is_draft]
    ongoing = [case for case in cases if not case.is_draft and not case.is_closed]
    closed = [case for case in cases if case.is_closed]
    drafts.sort(key=lambda case: case.last_saved_at or case.created_at, reverse=True)
    for submitted in (ongoing, closed):
        submitted.sort(key=lambda case: case.last_event_at or case.created_at, reverse=True)
    return render(
        request,
        "accounts/my_pages.html",
        {"drafts": drafts, "ongoing": ongoing, "closed": closed},
    )


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

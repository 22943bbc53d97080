from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from sjalvservice.eid.providers import enabled_providers


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_safe
def login(request: HttpRequest) -> HttpResponse:
    """The start of "Logga in": the e-legitimation methods this installation offers."""
    return render(
        request,
        "accounts/login.html",
        {"providers": enabled_providers(), "next": _safe_next(request)},
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

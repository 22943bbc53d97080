from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
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
    """The case overview: "Mina meddelanden", saved drafts, ongoing and closed cases.

    Three queries whatever the number of cases: the cases, the latest events of the most
    recently active ones, and the number of unread messages per case.
    """
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
        {
            "news": _latest_news(user, cases),
            "drafts": drafts,
            "ongoing": ongoing,
            "closed": closed,
        },
    )


# "Mina meddelanden": the most recently active cases, each with its latest events.
NEWS_CASES = 10
NEWS_EVENTS_PER_CASE = 3


def _latest_news(user: Any, cases: list[Any]) -> list[dict[str, Any]]:
    """Rows for "Mina meddelanden": a case, its latest events (oldest first), its unread
    messages from the handler; the case with the latest event first."""
    case_model = user.cases.model
    # The cases app's models, found through the relations (no import, as above).
    event_model = case_model._meta.get_field("events").related_model
    message_model = case_model._meta.get_field("messages").related_model
    recent = (
        user.cases.filter(number__isnull=False)
        .order_by(F("last_event_at").desc(nulls_last=True), "-pk")
        .values("pk")[:NEWS_CASES]
    )
    events = (
        event_model.objects.filter(case__in=recent)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("case_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=NEWS_EVENTS_PER_CASE)
        .select_related("status")
        .order_by("created_at", "pk")
    )
    unread = dict(
        message_model.objects.filter(
            case__owner=user,
            direction=message_model.Direction.TO_CITIZEN,
            read_at__isnull=True,
        )
        .values("case_id")
        .annotate(count=Count("pk"))
        .values_list("case_id", "count")
    )
    by_case: dict[int, list[Any]] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    cases_by_pk = {case.pk: case for case in cases}
    rows = [
        {"case": cases_by_pk[pk], "events": latest, "unread": unread.get(pk, 0)}
        for pk, latest in by_case.items()
        if pk in cases_by_pk
    ]
    rows.sort(key=lambda row: (row["events"][-1].created_at, row["events"][-1].pk), reverse=True)
    return rows


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


@require_safe
@login_required
def my_queue_places(request: HttpRequest) -> HttpResponse:
    """ "Mina köplatser": the queues the person stands in (joined through e-services)."""
    return render(request, "accounts/my_queue_places.html")


@require_safe
@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    """ "Mina bokningar": the person's bookings (made through e-services)."""
    return render(request, "accounts/my_bookings.html")

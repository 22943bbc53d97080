""" "Administrera" > "API-klienter": a municipality administrator lets the municipality's
case-management systems in, gives and takes back their tokens. Another municipality's
client is 404, as if it did not exist."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.api import clients, webhooks
from sjalvservice.api.forms import ApiClientForm, WebhookForm
from sjalvservice.api.models import ApiClient, ApiToken, Scope, WebhookSubscription
from sjalvservice.backoffice.access import municipality_admin_required
from sjalvservice.backoffice.services import Actor
from sjalvservice.eservices.models import EService
from sjalvservice.notifications.kinds import Channel
from sjalvservice.notifications.models import Delivery


def _clients(request: AuthenticatedHttpRequest) -> QuerySet[ApiClient]:
    return ApiClient.objects.filter(municipality=request.user.municipality)


def get_client_for_admin(request: AuthenticatedHttpRequest, client_id: int) -> ApiClient:
    """A client of the administrator's municipality, else 404."""
    found = _clients(request).filter(pk=client_id).first()
    if found is None:
        raise Http404
    return found


def _scope_labels(client: ApiClient) -> list[str]:
    return [str(Scope(scope).label) for scope in client.scopes if scope in Scope.values]


@require_safe
@municipality_admin_required
def api_clients(request: AuthenticatedHttpRequest) -> HttpResponse:
    listed = list(
        _clients(request)
        .annotate(last_used_at=Max("tokens__last_used_at"))
        .prefetch_related(
            Prefetch("eservices", queryset=EService.objects.only("title").order_by("title"))
        )
    )
    for client in listed:
        client.scope_labels = _scope_labels(client)  # type: ignore[attr-defined]
    return render(
        request,
        "api/manage/clients.html",
        {"municipality": request.user.municipality, "clients": listed},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def api_client_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = request.user.municipality
    assert municipality is not None
    form = ApiClientForm(
        request.POST if request.method == "POST" else None, municipality=municipality
    )
    if request.method == "POST" and form.is_valid():
        client = clients.create_client(
            by=Actor.of(request),
            name=form.cleaned_data["name"],
            eservices=form.cleaned_data["eservices"],
            scopes=form.cleaned_data["scopes"],
        )
        messages.success(
            request,
            _("Klienten %(name)s är skapad. Skapa en API-nyckel åt den.") % {"name": client.name},
        )
        return redirect("api_clients:client", client.pk)
    return render(request, "api/manage/client.html", {"form": form, "client": None})


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def api_client(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    existing = get_client_for_admin(request, client_id)
    municipality = request.user.municipality
    assert municipality is not None
    form = ApiClientForm(
        request.POST if request.method == "POST" else None,
        municipality=municipality,
        client=existing,
    )
    if request.method == "POST" and form.is_valid():
        clients.change_client(
            existing,
            by=Actor.of(request),
            name=form.cleaned_data["name"],
            eservices=form.cleaned_data["eservices"],
            scopes=form.cleaned_data["scopes"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Klienten %(name)s är sparad.") % {"name": existing.name})
        return redirect("api_clients:client", existing.pk)
    return _client_page(request, existing, form)


def _client_page(
    request: AuthenticatedHttpRequest,
    client: ApiClient,
    form: ApiClientForm,
    *,
    new_token: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "client": client,
        "tokens": list(client.tokens.all()),
        "webhooks": list(client.webhooks.all()),
        "new_token": new_token,
    }
    response = render(request, "api/manage/client.html", context, status=200)
    return response


@require_POST
@municipality_admin_required
def api_token_add(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    """A new token, shown on this answer only (never stored, never redirected with)."""
    existing = get_client_for_admin(request, client_id)
    _record, token = clients.issue_token(existing, by=Actor.of(request))
    municipality = request.user.municipality
    assert municipality is not None
    form = ApiClientForm(municipality=municipality, client=existing)
    return _client_page(request, existing, form, new_token=token)


@require_POST
@municipality_admin_required
def api_token_revoke(
    request: AuthenticatedHttpRequest, client_id: int, token_id: int
) -> HttpResponse:
    existing = get_client_for_admin(request, client_id)
    token = ApiToken.objects.filter(pk=token_id, client=existing).first()
    if token is None:
        raise Http404
    clients.revoke_token(token, by=Actor.of(request))
    messages.success(request, _("Nyckeln %(prefix)s… är återkallad.") % {"prefix": token.prefix})
    return redirect("api_clients:client", existing.pk)


def get_webhook_for_admin(
    request: AuthenticatedHttpRequest, client: ApiClient, webhook_id: int
) -> WebhookSubscription:
    found = client.webhooks.filter(pk=webhook_id).first()
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def webhook_add(request: AuthenticatedHttpRequest, client_id: int) -> HttpResponse:
    existing = get_client_for_admin(request, client_id)
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        webhook = clients.create_webhook(
            existing,
            by=Actor.of(request),
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
        )
        messages.success(request, _("Webhooken är skapad."))
        return redirect("api_clients:webhook", existing.pk, webhook.pk)
    return render(
        request, "api/manage/webhook.html", {"client": existing, "webhook": None, "form": form}
    )


# The latest deliveries a subscription's page shows.
WEBHOOK_DELIVERIES = 20


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def webhook(request: AuthenticatedHttpRequest, client_id: int, webhook_id: int) -> HttpResponse:
    existing = get_client_for_admin(request, client_id)
    subscription = get_webhook_for_admin(request, existing, webhook_id)
    form = WebhookForm(request.POST if request.method == "POST" else None, webhook=subscription)
    if request.method == "POST" and form.is_valid():
        clients.change_webhook(
            subscription,
            by=Actor.of(request),
            url=form.cleaned_data["url"],
            event_types=form.cleaned_data["event_types"],
            is_active=form.cleaned_data["is_active"],
        )
        messages.success(request, _("Webhooken är sparad."))
        return redirect("api_clients:webhook", existing.pk, subscription.pk)
    return _webhook_page(request, existing, subscription, form)


def _webhook_page(
    request: AuthenticatedHttpRequest,
    client: ApiClient,
    subscription: WebhookSubscription,
    form: WebhookForm,
    *,
    tried: webhooks.Answer | None = None,
) -> HttpResponse:
    deliveries = list(
        Delivery.objects.filter(channel=Channel.WEBHOOK, target_id=subscription.pk)
        .select_related("case")
        .only(
            "created_at", "channel", "state", "attempts", "last_error", "provider_id", "sent_at",
            "case__number", "payload",
        )
        .order_by("-created_at", "-pk")[:WEBHOOK_DELIVERIES]
    )  # fmt: skip
    context = {
        "client": client,
        "webhook": subscription,
        "form": form,
        "deliveries": deliveries,
        "tried": tried,
    }
    return render(request, "api/manage/webhook.html", context)


@require_POST
@municipality_admin_required
def webhook_test(
    request: AuthenticatedHttpRequest, client_id: int, webhook_id: int
) -> HttpResponse:
    """ "Skicka test": a signed test message now, and what the receiver answered."""
    existing = get_client_for_admin(request, client_id)
    subscription = get_webhook_for_admin(request, existing, webhook_id)
    answer = webhooks.send_test(subscription)
    return _webhook_page(
        request, existing, subscription, WebhookForm(webhook=subscription), tried=answer
    )

"""Managing the API's clients, by a municipality administrator: each change recorded in
"Ändringar av behörigheter" (``backoffice.services.record_change``) in its transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from sjalvservice.accounts.models import User
from sjalvservice.api import tokens
from sjalvservice.api.models import ApiClient, ApiToken, Scope, WebhookSubscription
from sjalvservice.api.webhooks import new_secret
from sjalvservice.backoffice.models import StaffChange
from sjalvservice.backoffice.services import Actor, NotAllowed, record_change
from sjalvservice.cases.models import CaseEvent
from sjalvservice.eservices.models import EService


def _check(by: Actor, eservices: Iterable[EService]) -> list[EService]:
    municipality_id = by.user.municipality_id
    chosen = sorted(set(eservices), key=lambda eservice: eservice.title.casefold())
    if not by.user.is_municipality_admin or any(
        eservice.municipality_id != municipality_id for eservice in chosen
    ):
        raise NotAllowed
    return chosen


def _detail(eservices: list[EService], scopes: list[str]) -> str:
    names = ", ".join(eservice.title for eservice in eservices) or "-"
    labels = ", ".join(str(Scope(scope).label) for scope in scopes) or "-"
    return _("E-tjänster: %(eservices)s. Behörigheter: %(scopes)s.") % {
        "eservices": names,
        "scopes": labels,
    }


def _record(by: Actor, action: StaffChange.Action, client: ApiClient, detail: str = "") -> None:
    record_change(
        by,
        action,
        target_type=StaffChange.TargetType.API_CLIENT,
        target_id=client.pk,
        target_name=client.name,
        detail=detail,
    )


@transaction.atomic
def create_client(
    *, by: Actor, name: str, eservices: Iterable[EService], scopes: Iterable[str]
) -> ApiClient:
    """A new client of the administrator's municipality, with its system account."""
    chosen = _check(by, eservices)
    wanted = [scope for scope in Scope.values if scope in set(scopes)]
    account = User.objects.create_user(
        f"api-{uuid.uuid4().hex[:12]}",
        first_name=name,
        municipality=by.user.municipality,
        is_staff=False,
    )
    municipality = by.user.municipality
    assert municipality is not None  # _check: an administrator of a municipality
    client = ApiClient.objects.create(
        municipality=municipality, name=name, user=account, scopes=wanted
    )
    client.eservices.set(chosen)
    _record(by, StaffChange.Action.API_CLIENT_CREATED, client, _detail(chosen, wanted))
    return client


@transaction.atomic
def change_client(
    client: ApiClient,
    *,
    by: Actor,
    name: str,
    eservices: Iterable[EService],
    scopes: Iterable[str],
    is_active: bool,
) -> ApiClient:
    """New name, e-services, scopes or on/off; a renamed client's past changes keep the
    name they were made under."""
    chosen = _check(by, eservices)
    if client.municipality_id != by.user.municipality_id:
        raise NotAllowed
    wanted = [scope for scope in Scope.values if scope in set(scopes)]
    client.name, client.scopes, client.is_active = name, wanted, is_active
    client.save(update_fields=["name", "scopes", "is_active"])
    client.eservices.set(chosen)
    User.objects.filter(pk=client.user_id).update(first_name=name)
    detail = _detail(chosen, wanted)
    if not is_active:
        detail = f"{detail} {_('Avstängd.')}"
    _record(by, StaffChange.Action.API_CLIENT_CHANGED, client, detail)
    return client


@transaction.atomic
def issue_token(client: ApiClient, *, by: Actor) -> tuple[ApiToken, str]:
    """A new token for the client, besides those it has: the token, to show once."""
    if client.municipality_id != by.user.municipality_id or not by.user.is_municipality_admin:
        raise NotAllowed
    record, token = tokens.issue(client, created_by_name=by.user.display_name)
    _record(by, StaffChange.Action.API_TOKEN_CREATED, client, record.prefix)
    return record, token


@transaction.atomic
def revoke_token(token: ApiToken, *, by: Actor) -> None:
    client = token.client
    if client.municipality_id != by.user.municipality_id or not by.user.is_municipality_admin:
        raise NotAllowed
    tokens.revoke(token)
    _record(by, StaffChange.Action.API_TOKEN_REVOKED, client, token.prefix)


def _webhook_detail(webhook: WebhookSubscription) -> str:
    types = ", ".join(str(CaseEvent.Kind(kind).label) for kind in webhook.event_types) or _("alla")
    state = "" if webhook.is_active else f" {_('Avstängd.')}"
    return _("Webhook %(url)s: %(types)s.") % {"url": webhook.url, "types": types} + state


@transaction.atomic
def create_webhook(
    client: ApiClient, *, by: Actor, url: str, event_types: Iterable[str]
) -> WebhookSubscription:
    """A new subscription of the client, with a new secret."""
    if client.municipality_id != by.user.municipality_id or not by.user.is_municipality_admin:
        raise NotAllowed
    webhook = WebhookSubscription.objects.create(
        client=client, url=url, event_types=_kinds(event_types), secret=new_secret()
    )
    _record(by, StaffChange.Action.API_CLIENT_CHANGED, client, _webhook_detail(webhook))
    return webhook


@transaction.atomic
def change_webhook(
    webhook: WebhookSubscription,
    *,
    by: Actor,
    url: str,
    event_types: Iterable[str],
    is_active: bool,
) -> WebhookSubscription:
    client = webhook.client
    if client.municipality_id != by.user.municipality_id or not by.user.is_municipality_admin:
        raise NotAllowed
    webhook.url, webhook.event_types, webhook.is_active = url, _kinds(event_types), is_active
    webhook.save(update_fields=["url", "event_types", "is_active"])
    _record(by, StaffChange.Action.API_CLIENT_CHANGED, client, _webhook_detail(webhook))
    return webhook


def _kinds(event_types: Iterable[str]) -> list[str]:
    wanted = set(event_types)
    return [kind for kind in CaseEvent.Kind.values if kind in wanted]

"""The only writers of who may do or see what in a municipality ("Administrera").

Adding a handler, deactivating and reactivating an account, resetting the second factor,
choosing a handler's e-services and groups, creating and changing handler groups: each is
one atomic function here that makes the change and writes its ``StaffChange`` in the same
transaction. A change that changes nothing writes nothing.

The views check that the administrator may reach the handler or group (404 otherwise);
these functions check it again, so that no other caller can change another
municipality's staff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.models import Assignment, HandlerGroup, StaffChange
from sjalvservice.core.http import client_ip
from sjalvservice.eservices.models import EService

if TYPE_CHECKING:
    from sjalvservice.accounts.http import AuthenticatedHttpRequest
    from sjalvservice.core.models import Municipality

DETAIL_LENGTH = 500  # StaffChange.detail's max_length

Owned = TypeVar("Owned", EService, HandlerGroup)


class NotAllowed(Exception):
    """The actor is not an administrator of the municipality the change is in."""


class OwnAccount(Exception):
    """An administrator may not deactivate their own account or reset their own second
    factor: they could lock themselves, and the municipality, out."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change and from where."""

    user: User
    ip_address: str | None

    @classmethod
    def of(cls, request: AuthenticatedHttpRequest) -> Actor:
        """The logged-in administrator and their address, as the access log takes it."""
        return cls(request.user, client_ip(request) or None)


# Handlers -------------------------------------------------------------------------------


# Not @transaction.atomic: its wrapper's frame would show the password in an error report.
@sensitive_variables("password")
def create_handler(
    *, by: Actor, username: str, first_name: str, last_name: str, email: str, password: str
) -> User:
    """A new handler of the administrator's municipality, with a first password.

    The handler has no e-services yet and enrols a second factor at the first login.
    """
    with transaction.atomic():
        municipality = _municipality_of(by)
        handler = User.objects.create_user(
            username,
            password,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_staff=True,
            municipality=municipality,
        )
        _record(
            by,
            StaffChange.Action.HANDLER_CREATED,
            handler,
            lambda: _("Användarnamn %(username)s.") % {"username": handler.username},
        )
    return handler


@transaction.atomic
def deactivate_handler(handler: User, *, by: Actor) -> bool:
    """The handler can no longer log in; their cases and history stay. False if the
    account was inactive already."""
    return _set_active(handler, active=False, by=by)


@transaction.atomic
def reactivate_handler(handler: User, *, by: Actor) -> bool:
    """The handler can log in again. False if the account was active already."""
    return _set_active(handler, active=True, by=by)


def _set_active(handler: User, *, active: bool, by: Actor) -> bool:
    locked = _lock_handler(handler, by)
    if not active and locked.pk == by.user.pk:
        raise OwnAccount
    if locked.is_active == active:
        return False
    locked.is_active = handler.is_active = active
    locked.save(update_fields=["is_active"])
    action = (
        StaffChange.Action.HANDLER_REACTIVATED if active else StaffChange.Action.HANDLER_DEACTIVATED
    )
    _record(by, action, locked)
    return True


@transaction.atomic
def reset_second_factor(handler: User, *, by: Actor) -> int:
    """Remove the handler's authenticator apps: they add one again at their next login.

    Returns how many were removed (0: nothing to reset, nothing recorded).
    """
    locked = _lock_handler(handler, by)
    if locked.pk == by.user.pk:
        raise OwnAccount
    removed, _by_model = TOTPDevice.objects.filter(user=locked).delete()
    if removed:
        _record(
            by,
            StaffChange.Action.SECOND_FACTOR_RESET,
            locked,
            lambda: (
                ngettext(
                    "%(count)d autentiseringsapp borttagen.",
                    "%(count)d autentiseringsappar borttagna.",
                    removed,
                )
                % {"count": removed}
            ),
        )
    return int(removed)


@transaction.atomic
def set_handler_access(
    handler: User,
    *,
    eservices: Iterable[EService],
    groups: Iterable[HandlerGroup],
    by: Actor,
) -> bool:
    """The e-services assigned directly to ``handler`` and the groups they belong to, of
    the municipality: exactly these afterwards. False if that is what they were."""
    locked = _lock_handler(handler, by)
    municipality = _municipality_of(by)
    chosen_eservices = _own(set(eservices), municipality)
    chosen_groups = _own(set(groups), municipality)

    assigned = set(EService.objects.filter(municipality=municipality, assignments__handler=locked))
    member_of = set(HandlerGroup.objects.filter(municipality=municipality, members=locked))
    if assigned == chosen_eservices and member_of == chosen_groups:
        return False

    Assignment.objects.filter(handler=locked, eservice__in=assigned - chosen_eservices).delete()
    Assignment.objects.bulk_create(
        Assignment(handler=locked, eservice=eservice) for eservice in chosen_eservices - assigned
    )
    locked.handler_groups.remove(*(member_of - chosen_groups))
    locked.handler_groups.add(*(chosen_groups - member_of))

    def detail() -> str:
        return _sentences(
            _names_in(_("E-tjänster tillagda: %(names)s."), chosen_eservices - assigned),
            _names_in(_("E-tjänster borttagna: %(names)s."), assigned - chosen_eservices),
            _names_in(_("Grupper tillagda: %(names)s."), chosen_groups - member_of),
            _names_in(_("Grupper borttagna: %(names)s."), member_of - chosen_groups),
        )

    _record(by, StaffChange.Action.ACCESS_CHANGED, locked, detail)
    return True


@transaction.atomic
def set_handler_role(handler: User, *, editor: bool, by: Actor) -> bool:
    """Make ``handler`` a redaktör (edits the municipality's e-services, handles no cases)
    or a handler again. False if that is what they were."""
    locked = _lock_handler(handler, by)
    if locked.is_editor == editor:
        return False
    locked.is_editor = editor
    locked.save(update_fields=["is_editor"])
    handler.is_editor = editor

    def detail() -> str:
        return _("Redaktör.") if editor else _("Handläggare.")

    _record(by, StaffChange.Action.ROLE_CHANGED, locked, detail)
    return True


# Handler groups ---------------------------------------------------------------------------


@transaction.atomic
def create_handler_group(
    *,
    by: Actor,
    name: str,
    email: str,
    members: Iterable[User],
    eservices: Iterable[EService],
) -> HandlerGroup:
    """A new handler group of the administrator's municipality."""
    municipality = _municipality_of(by)
    chosen_members = _own_staff(set(members), municipality)
    chosen_eservices = _own(set(eservices), municipality)
    group = HandlerGroup.objects.create(municipality=municipality, name=name, email=email)
    group.members.set(chosen_members)
    group.eservices.set(chosen_eservices)

    def detail() -> str:
        return _sentences(
            _names_in(_("Medlemmar: %(names)s."), chosen_members),
            _names_in(_("E-tjänster: %(names)s."), chosen_eservices),
            _("Gemensam e-postadress %(email)s.") % {"email": email} if email else "",
        )

    _record(by, StaffChange.Action.GROUP_CREATED, group, detail)
    return group


@transaction.atomic
def change_handler_group(
    group: HandlerGroup,
    *,
    by: Actor,
    name: str,
    email: str,
    members: Iterable[User],
    eservices: Iterable[EService],
) -> bool:
    """A handler group's name, shared address, members and e-services: exactly these
    afterwards. False if that is what they were."""
    municipality = _municipality_of(by)
    locked = HandlerGroup.objects.select_for_update().filter(pk=group.pk).first()
    if locked is None or locked.municipality_id != municipality.pk:
        raise NotAllowed
    chosen_members = _own_staff(set(members), municipality)
    chosen_eservices = _own(set(eservices), municipality)
    old_name, old_email = locked.name, locked.email
    old_members, old_eservices = set(locked.members.all()), set(locked.eservices.all())
    if (old_name, old_email, old_members, old_eservices) == (
        name,
        email,
        chosen_members,
        chosen_eservices,
    ):
        return False

    locked.name, locked.email = name, email
    locked.save(update_fields=["name", "email"])
    locked.members.set(chosen_members)
    locked.eservices.set(chosen_eservices)
    group.name, group.email = name, email

    def detail() -> str:
        parts = []
        if old_name != name:
            parts.append(_("Nytt namn, tidigare %(name)s.") % {"name": old_name})
        if old_email != email:
            parts.append(
                _("Gemensam e-postadress %(email)s.") % {"email": email}
                if email
                else _("Gemensam e-postadress borttagen.")
            )
        return _sentences(
            *parts,
            _names_in(_("Medlemmar tillagda: %(names)s."), chosen_members - old_members),
            _names_in(_("Medlemmar borttagna: %(names)s."), old_members - chosen_members),
            _names_in(_("E-tjänster tillagda: %(names)s."), chosen_eservices - old_eservices),
            _names_in(_("E-tjänster borttagna: %(names)s."), old_eservices - chosen_eservices),
        )

    _record(by, StaffChange.Action.GROUP_CHANGED, locked, detail)
    return True


# Helpers ----------------------------------------------------------------------------------


def _municipality_of(by: Actor) -> Municipality:
    """The municipality the actor administers; anyone else may change nothing."""
    user = by.user
    municipality = user.municipality
    if (
        not (user.is_active and user.is_staff and user.is_municipality_admin)
        or municipality is None
    ):
        raise NotAllowed
    return municipality


def _lock_handler(handler: User, by: Actor) -> User:
    """``handler``'s row, locked for the change, if they are staff the actor manages."""
    municipality = _municipality_of(by)
    locked = User.objects.select_for_update().filter(pk=handler.pk).first()
    if (
        locked is None
        or not locked.is_staff
        or locked.is_superuser
        or locked.municipality_id != municipality.pk
    ):
        raise NotAllowed
    return locked


def _own(chosen: set[Owned], municipality: Municipality) -> set[Owned]:
    if any(item.municipality_id != municipality.pk for item in chosen):
        raise NotAllowed
    return chosen


def _own_staff(chosen: set[User], municipality: Municipality) -> set[User]:
    if any(
        not person.is_staff or person.is_superuser or person.municipality_id != municipality.pk
        for person in chosen
    ):
        raise NotAllowed
    return chosen


def _name(item: User | HandlerGroup | EService) -> str:
    if isinstance(item, User):
        return item.display_name
    if isinstance(item, HandlerGroup):
        return item.name
    return item.title


def _names_in(text: str, items: set[User] | set[HandlerGroup] | set[EService]) -> str:
    """``text`` with the names of ``items`` by name, or nothing if there are none."""
    if not items:
        return ""
    return text % {"names": ", ".join(sorted((_name(item) for item in items), key=str.casefold))}


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _record(
    by: Actor,
    action: StaffChange.Action,
    target: User | HandlerGroup,
    detail: Callable[[], str] | None = None,
) -> StaffChange:
    """The ``StaffChange`` of a change just made, in the caller's transaction."""
    # The record reads the same whoever made the change, in the installation's language;
    # the action's label is translated when it is shown.
    with translation.override(settings.LANGUAGE_CODE):
        text = detail() if detail is not None else ""
    if isinstance(target, User):
        target_type, target_name = StaffChange.TargetType.HANDLER, target.display_name
    else:
        target_type, target_name = StaffChange.TargetType.GROUP, target.name
    return record_change(
        by, action, target_type=target_type, target_id=target.pk, target_name=target_name,
        detail=text,
    )  # fmt: skip


def record_change(
    by: Actor,
    action: StaffChange.Action,
    *,
    target_type: StaffChange.TargetType,
    target_id: int,
    target_name: str,
    detail: str = "",
) -> StaffChange:
    """The ``StaffChange`` of a change of who may see what, in the caller's transaction;
    also for what other apps manage (the integration API's clients). ``detail`` is in the
    installation's language."""
    return StaffChange.objects.create(
        municipality=_municipality_of(by),
        actor=by.user,
        actor_name=by.user.display_name,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_name=target_name,
        detail=Truncator(detail).chars(DETAIL_LENGTH),
        ip_address=by.ip_address,
    )

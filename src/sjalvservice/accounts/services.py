"""Writes to a person's own details: Mina uppgifter, and the confirmation of an e-mail address.

Both ways of changing the details, the form on Mina uppgifter and the contact block of an
e-service, go through ``save_details``: a new e-mail address is never used for notices
until the person has opened the link sent to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from sjalvservice.accounts.models import Engagement, Organisation, Profile, User

DETAILS = ("street", "postal_code", "city", "phone", "mobile", "email")
CHOICES = ("notify_email", "notify_sms")
CONFIRMATION_SALT = "sjalvservice.accounts.email-confirmation"


class InvalidConfirmation(Exception):
    """The link is not one we made, has expired, was used already or is someone else's."""


@transaction.atomic
def save_details(
    user: User,
    details: Mapping[str, Any],
    *,
    first_name: str | None = None,
    last_name: str | None = None,
    resend_confirmation: bool = False,
) -> Profile:
    """Store the contact details and notification choices that ``details`` has.

    A changed, not yet confirmed e-mail address gets a confirmation link once the change
    is committed (with ``resend_confirmation``, an unchanged unconfirmed one gets a new one).
    """
    if first_name is not None or last_name is not None:
        user.first_name = first_name if first_name is not None else user.first_name
        user.last_name = last_name if last_name is not None else user.last_name
        user.save(update_fields=["first_name", "last_name"])
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    old_email = profile.email
    for name in DETAILS:
        if name in details:
            setattr(profile, name, details[name] or "")
    for name in CHOICES:
        if name in details:
            setattr(profile, name, bool(details[name]))
    profile.save()
    changed = profile.email != old_email or resend_confirmation
    if profile.email and changed and not profile.email_is_confirmed:
        language = translation.get_language()
        transaction.on_commit(lambda: send_confirmation(profile, language=language))
    return profile


def confirmation_token(profile: Profile) -> str:
    """A signed, expiring token for the profile's current address.

    It names neither the person nor the address (it appears in a URL), and it stops
    working once used, since the confirmed address then changes.
    """
    return signing.dumps(
        {"u": profile.user_id, "h": _state(profile)}, salt=CONFIRMATION_SALT, compress=True
    )


@transaction.atomic
def confirm_email(user: User, token: str) -> Profile:
    """Confirm the address the link was made for; ``InvalidConfirmation`` otherwise."""
    try:
        data = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE
        )
    except signing.BadSignature:
        raise InvalidConfirmation from None
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if (
        not isinstance(data, dict)
        or profile is None
        or data.get("u") != user.pk
        or data.get("h") != _state(profile)
        or not profile.email
    ):
        raise InvalidConfirmation
    profile.email_confirmed = profile.email
    profile.save(update_fields=["email_confirmed", "updated_at"])
    return profile


def send_confirmation(profile: Profile, *, language: str | None = None) -> None:
    """The e-mail with the confirmation link, to the address to be confirmed."""
    link = settings.SITE_URL + reverse("accounts:confirm_email", args=[confirmation_token(profile)])
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "link": link,
            "portal": settings.PORTAL_NAME,
            "days": settings.EMAIL_CONFIRMATION_MAX_AGE // 86400,
        }
        subject = render_to_string("accounts/email/confirm_subject.txt", context).strip()
        body = render_to_string("accounts/email/confirm_body.txt", context)
    send_mail(subject, body, None, [profile.email])


def _state(profile: Profile) -> str:
    # Changes when the address or its confirmation does: a used or outdated link is void.
    text = f"{profile.email}\x00{profile.email_confirmed}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@transaction.atomic
def save_organisation(
    user: User, organisation_number: str, details: Mapping[str, Any]
) -> Engagement:
    """Add an organisation to the person's Mina engagemang, or change their record of it.

    The details are the person's own: another person with the same organisation number
    keeps theirs, and the organisation's shared row is never renamed.
    """
    organisation, _created = Organisation.objects.get_or_create(
        organisation_number=organisation_number,
        defaults={"name": details.get("name") or organisation_number},
    )
    engagement, _created = Engagement.objects.select_for_update().get_or_create(
        user=user, organisation=organisation
    )
    for name in ENGAGEMENT_DETAILS:
        if name in details:
            value = details[name]
            setattr(engagement, name, bool(value) if name in CHOICES else (value or ""))
    if not engagement.name:
        engagement.name = organisation_number
    engagement.save()
    return engagement


def remove_organisation(engagement: Engagement) -> None:
    """ "Ta bort": the person no longer acts for it here; submitted cases keep their copy."""
    engagement.delete()


ENGAGEMENT_DETAILS = (
    "name", "street", "postal_code", "city", "contact_person", "phone", "email",
    "notify_email", "notify_sms", "legal_form",
)  # fmt: skip

"""What every login method does once the person's identity is established."""

from __future__ import annotations

import logging
import time

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest

from sjalvservice.accounts.models import User
from sjalvservice.core.se_ids import normalize_personal_identity_number

logger = logging.getLogger(__name__)

LOGIN_AT = "eid_login_at"
LAST_ACTIVITY = "eid_last_activity"
METHOD = "eid_method"


class StaffNumberError(Exception):
    """The number belongs to a staff account, which never logs in as a citizen."""


@transaction.atomic
def find_or_create_citizen(personal_number: str, *, given_name: str, surname: str) -> User:
    """The citizen with this number, created on first login, with the name from the e-ID."""
    number = normalize_personal_identity_number(personal_number)
    user = User.objects.select_for_update().filter(personal_identity_number=number).first()
    if user is None:
        return User.objects.create_citizen(number, given_name=given_name, surname=surname)
    if user.is_staff:
        raise StaffNumberError
    if (user.first_name, user.last_name) != (given_name, surname):
        user.first_name, user.last_name = given_name, surname
        user.save(update_fields=["first_name", "last_name"])
    return user


def log_in_citizen(
    request: HttpRequest, *, personal_number: str, given_name: str, surname: str, method: str
) -> User:
    """Log the person in; Django's login() gives the session a new key (no fixation)."""
    user = find_or_create_citizen(personal_number, given_name=given_name, surname=surname)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_ACTIVITY] = now
    request.session[METHOD] = method
    # The user id only: personal identity numbers never go to the log.
    logger.info("citizen %s logged in with %s", user.pk, method)
    return user

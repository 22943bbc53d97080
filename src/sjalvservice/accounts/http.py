"""Request types for views behind a login."""

from django.http import HttpRequest

from sjalvservice.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required`` or ``staff_required``: the user
    is a logged-in ``User``, never ``AnonymousUser`` (django-stubs' documented pattern)."""

    user: User

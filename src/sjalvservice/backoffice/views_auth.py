"""Staff login: password, then the second factor (TOTP)."""

from django.http import HttpRequest, HttpResponse


def login(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError

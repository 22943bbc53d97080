"""The handler's inbox and case pages."""

from django.http import HttpRequest, HttpResponse


def inbox(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError

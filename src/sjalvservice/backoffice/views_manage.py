"""Municipality administration: handlers, their e-services, the access log."""

from django.http import HttpRequest, HttpResponse


def manage(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError

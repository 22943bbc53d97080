"""The PDF copy of "Visa ärende" for the citizen."""

from django.http import HttpRequest, HttpResponse


def case_pdf(request: HttpRequest, number: int) -> HttpResponse:
    raise NotImplementedError

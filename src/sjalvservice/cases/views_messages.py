"""The "Meddelanden" tab of a citizen's case and downloads of its attachments."""

from django.http import HttpRequest, HttpResponse


def messages(request: HttpRequest, number: int) -> HttpResponse:
    raise NotImplementedError


def attachment(request: HttpRequest, number: int, attachment_id: int) -> HttpResponse:
    raise NotImplementedError

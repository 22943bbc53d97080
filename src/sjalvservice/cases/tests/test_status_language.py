"""Statuses and events in the person's language: the shared statuses are translated, a
municipality's own are shown as they are named."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind, status_label

SWEDISH_NAMES = ["Inskickat", "Under behandling", "Väntar på komplettering", "Kompletterat"]


def test_shared_statuses_are_translated_and_own_ones_kept():
    with translation.override("en"):
        assert status_label("Inskickat") == "Submitted"
        assert status_label("Avslutat") == "Closed"
        assert status_label("Beviljat") == "Beviljat"
    with translation.override("sv"):
        assert status_label("Inskickat") == "Inskickat"


def test_an_english_case_page_names_no_status_or_event_in_swedish(client, anna, annas_case, julia):
    services.set_status(
        annas_case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia
    )
    client.force_login(anna)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in ["cases:case", "cases:my_pages"]:
        url = (
            reverse(name, kwargs={"number": annas_case.number}) if name == "cases:case"
            else reverse(name)
        )  # fmt: skip
        page = client.get(url).content.decode()
        assert "Being processed" in page, url
        for swedish in SWEDISH_NAMES:
            assert f">{swedish}<" not in page, (url, swedish)
            assert f"({swedish})" not in page, (url, swedish)

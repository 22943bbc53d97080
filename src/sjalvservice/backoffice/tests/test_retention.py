"""Gallring in the administration: an e-service's retention time, confirmed when it makes
cases due at once, and the purge log, each for the administrator's own municipality."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sjalvservice.cases import services
from sjalvservice.cases.models import Case, PurgedCase, Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.tests.conftest import make_eservice


@pytest.fixture
def admin_client(client, karin, staff_login):
    return staff_login(client, karin)


def retention_url(eservice):
    return reverse("backoffice:manage_eservice_retention", args=[eservice.pk])


def closed_cases(eservice, anna, handler, count, *, days_ago):
    closed = Status.objects.default_for(StatusKind.CLOSED)
    for _n in range(count):
        case = services.submit(services.start_draft(eservice, owner=anna), by=anna, answers=ANSWERS)
        services.set_status(case, status=closed, by=handler)
    Case.objects.filter(eservice=eservice).update(
        last_event_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def purged(municipality, eservice, number, *, at):
    return PurgedCase.objects.create(
        number=number, municipality=municipality, eservice=eservice,
        eservice_title=eservice.title, submitted_at=at - dt.timedelta(days=400),
        last_event_at=at - dt.timedelta(days=366), retention_days=365, files=2, purged_at=at,
    )  # fmt: skip


def test_the_eservices_list_says_how_each_is_kept(admin_client, suggestion):
    html = admin_client.get(reverse("backoffice:manage_eservices")).content.decode()
    assert "Bevaras" in html
    EService.objects.filter(pk=suggestion.pk).update(retention_days=730)
    html = admin_client.get(reverse("backoffice:manage_eservices")).content.decode()
    assert "Efter 730 dagar" in html
    assert f'href="{retention_url(suggestion)}"' in html


def test_a_time_that_purges_nothing_at_once_is_saved_directly(admin_client, suggestion):
    response = admin_client.post(retention_url(suggestion), {"days": "730"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.retention_days == 730


def test_an_empty_time_keeps_the_cases(admin_client, suggestion):
    EService.objects.filter(pk=suggestion.pk).update(retention_days=730)
    response = admin_client.post(retention_url(suggestion), {"days": ""})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.retention_days is None


def test_a_time_that_makes_cases_due_must_be_confirmed_with_their_number(
    admin_client, suggestion, anna, julia
):
    closed_cases(suggestion, anna, julia, 3, days_ago=100)
    response = admin_client.post(retention_url(suggestion), {"days": "30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 avslutade ärenden är redan äldre än så" in html
    assert '<a href="#id_confirm">Kryssa i rutan' in html  # linked from the summary
    assert 'id="id_confirm_error"' in html
    suggestion.refresh_from_db()
    assert suggestion.retention_days is None  # nothing saved yet
    response = admin_client.post(retention_url(suggestion), {"days": "30", "confirm": "on"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.retention_days == 30
    # A longer time that makes none due needs no confirmation.
    response = admin_client.post(retention_url(suggestion), {"days": "200"})
    assert response.status_code == 302


@pytest.mark.parametrize("days", ["0", "-5", "tre", "36501", "99999999999999999999"])
def test_a_time_that_is_not_a_number_of_days_is_an_error(admin_client, suggestion, days):
    response = admin_client.post(retention_url(suggestion), {"days": days})
    assert response.status_code == 200
    assert 'id="id_days_error"' in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.retention_days is None


def test_another_municipalitys_eservice_is_not_found(admin_client, lycksele, category):
    theirs = make_eservice(lycksele, category, slug="batplats", title="Båtplats")
    assert admin_client.get(retention_url(theirs)).status_code == 404
    assert admin_client.post(retention_url(theirs), {"days": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.retention_days is None


def test_a_handler_reaches_neither_page(client, staff_login, julia, suggestion):
    staff_login(client, julia)
    for url in (retention_url(suggestion), reverse("backoffice:manage_purge_log")):
        assert client.get(url).status_code in (403, 404)


def test_the_purge_log_shows_the_municipalitys_own_purges_newest_first(
    admin_client, skelleftea, lycksele, suggestion, category
):
    theirs = make_eservice(lycksele, category, slug="batplats", title="Båtplats")
    now = timezone.now()
    purged(skelleftea, suggestion, 1001, at=now - dt.timedelta(days=2))
    purged(skelleftea, suggestion, 1002, at=now - dt.timedelta(days=1))
    purged(lycksele, theirs, 2001, at=now)
    response = admin_client.get(reverse("backoffice:manage_purge_log"))
    numbers = [row.number for row in response.context["rows"]]
    assert numbers == [1002, 1001]
    html = response.content.decode()
    assert "Båtplats" not in html
    assert "365 dagar" in html
    assert "2 filer borttagna" in html


def test_the_purge_log_pages_by_keyset(
    admin_client, skelleftea, suggestion, django_assert_max_num_queries
):
    now = timezone.now()
    PurgedCase.objects.bulk_create(
        PurgedCase(number=n, municipality=skelleftea, eservice=suggestion,
                   eservice_title="Medborgarförslag", retention_days=30, purged_at=now)
        for n in range(1, 121)
    )  # fmt: skip
    url = reverse("backoffice:manage_purge_log")
    seen, params = [], {}
    for _page in range(3):
        with django_assert_max_num_queries(12):
            response = admin_client.get(url, params)
        seen.extend(row.pk for row in response.context["rows"])
        if not response.context["older"]:
            break
        assert "Nästa sida" in response.content.decode()
        params = {"efter": response.context["older"]}
    assert not response.context["older"]
    assert "Till början" in response.content.decode()
    newest_first = PurgedCase.objects.order_by("-purged_at", "-pk").values_list("pk", flat=True)
    assert seen == list(newest_first)

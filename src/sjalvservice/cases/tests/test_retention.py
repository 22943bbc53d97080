"""Gallring: closed cases purged with every file once their e-service's time is up, each
purge in the purge log; with a moved clock (``now`` passed in, times set by update())."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from sjalvservice.cases import services
from sjalvservice.cases.models import (
    Case,
    CaseEvent,
    CaseRevision,
    Message,
    Note,
    PurgedCase,
    Status,
    StatusKind,
)
from sjalvservice.cases.retention import purge_case, purge_closed_cases, stored_files
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.core import uploads
from sjalvservice.notifications.models import Delivery
from sjalvservice.reservations.models import QueuePlace

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def files_in(media):
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []


def accepted(name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return uploads.Accepted(upload=upload, name=name, content_type=content_type)


def closed_case(eservice, anna, handler, *, days_ago):
    """Anna's case with a file in its answers, a PDF copy, messages both ways with files
    and an internal note, closed ``days_ago`` days before NOW."""
    draft = services.start_draft(eservice, owner=anna)
    photo = uploads.store(
        accepted("karta.png", PNG, "image/png"), f"cases/{draft.reference}/answers"
    )
    answers = {**ANSWERS, "har_bilaga": "ja", "bilagor": [photo]}
    case = services.submit(draft, by=anna, answers=answers)
    revision = case.revisions.get()
    revision.pdf = storages["default"].save(
        f"cases/{case.reference}/pdf/kopia.pdf", ContentFile(PDF)
    )
    revision.save(update_fields=["pdf"])
    services.send_message(
        case,
        by=anna,
        text="Här är ritningen.",
        files=[accepted("ritning.pdf", PDF, "application/pdf")],
    )
    services.add_note(case, by=handler, text="Ringde Anna.")
    closed = Status.objects.default_for(StatusKind.CLOSED)
    case.refresh_from_db()
    services.set_status(
        case, status=closed, by=handler, message="Beslut bifogat.",
        files=[accepted("beslut.pdf", PDF, "application/pdf")],
    )  # fmt: skip
    moment = NOW - dt.timedelta(days=days_ago)
    Case.objects.filter(pk=case.pk).update(last_event_at=moment, submitted_at=moment)
    case.refresh_from_db()
    return case


@pytest.fixture
def retained(suggestion):
    suggestion.retention_days = 365
    suggestion.save(update_fields=["retention_days"])
    return suggestion


def test_a_closed_case_past_its_time_goes_with_every_file_and_leaves_a_log_row(
    retained, anna, julia, media, django_capture_on_commit_callbacks
):
    case = closed_case(retained, anna, julia, days_ago=366)
    keys = stored_files(case)
    # The answer's photo, the PDF copy, the citizen's and the handler's attachments.
    assert len(keys) == 4
    assert len(files_in(media)) == 4
    assert Delivery.objects.filter(case=case).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_closed_cases(NOW) == 1
    assert not Case.objects.filter(pk=case.pk).exists()
    for model in (CaseRevision, CaseEvent, Message, Note, Delivery):
        assert not model.objects.filter(case_id=case.pk).exists(), model
    assert files_in(media) == []
    logged = PurgedCase.objects.get()
    assert logged.number == case.number
    assert logged.municipality_id == case.municipality_id
    assert logged.eservice == retained
    assert logged.eservice_title == "Medborgarförslag"
    assert logged.submitted_at == case.submitted_at
    assert logged.last_event_at == case.last_event_at
    assert (logged.retention_days, logged.files, logged.purged_at) == (365, 4, NOW)


def test_the_files_stay_until_the_purge_is_committed(
    retained, anna, julia, media, django_capture_on_commit_callbacks
):
    case = closed_case(retained, anna, julia, days_ago=400)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge_closed_cases(NOW)
    assert len(files_in(media)) == 4
    assert callbacks
    for callback in callbacks:
        callback()
    assert files_in(media) == []
    assert not Case.objects.filter(pk=case.pk).exists()


def test_nothing_goes_a_day_before_its_time(retained, anna, julia, media):
    case = closed_case(retained, anna, julia, days_ago=364)
    assert purge_closed_cases(NOW) == 0
    assert Case.objects.filter(pk=case.pk).exists()
    assert not PurgedCase.objects.exists()
    assert len(files_in(media)) == 4


def test_a_message_after_closing_starts_the_time_again(retained, anna, julia, media):
    case = closed_case(retained, anna, julia, days_ago=400)
    services.send_message(case, by=anna, text="En fråga till.")
    assert purge_closed_cases(timezone.now() + dt.timedelta(days=364)) == 0
    assert purge_closed_cases(timezone.now() + dt.timedelta(days=366)) == 1


def test_an_eservice_without_retention_keeps_its_cases(suggestion, anna, julia, media):
    assert suggestion.retention_days is None
    case = closed_case(suggestion, anna, julia, days_ago=36500)
    assert purge_closed_cases(NOW) == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_open_cases_and_drafts_are_never_purged(retained, anna, julia, media):
    open_case = closed_case(retained, anna, julia, days_ago=400)
    services.set_status(
        open_case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia
    )
    draft = services.start_draft(retained, owner=anna)
    long_ago = NOW - dt.timedelta(days=1000)
    Case.objects.filter(pk__in=[open_case.pk, draft.pk]).update(last_event_at=long_ago)
    assert purge_closed_cases(NOW) == 0
    assert Case.objects.filter(pk__in=[open_case.pk, draft.pk]).count() == 2


def test_a_case_reopened_after_it_was_found_is_kept(retained, anna, julia, media):
    case = closed_case(retained, anna, julia, days_ago=400)
    services.set_status(case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia)
    Case.objects.filter(pk=case.pk).update(last_event_at=NOW - dt.timedelta(days=400))
    assert purge_case(case.pk, retained, NOW) == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_one_run_purges_at_most_a_batch_oldest_first(retained, anna, julia, media, settings):
    settings.RETENTION_TICK_BATCH = 2
    cases = [closed_case(retained, anna, julia, days_ago=days) for days in (500, 400, 700)]
    assert purge_closed_cases(NOW) == 2
    assert list(Case.objects.values_list("pk", flat=True)) == [cases[1].pk]
    assert purge_closed_cases(NOW) == 1
    assert purge_closed_cases(NOW) == 0
    purged = PurgedCase.objects.order_by("pk").values_list("number", flat=True)
    assert list(purged) == [cases[2].number, cases[0].number, cases[1].number]


def test_a_queue_place_of_the_case_is_the_reservations_own_and_stays(retained, anna, julia, media):
    from sjalvservice.reservations.models import Queue

    case = closed_case(retained, anna, julia, days_ago=400)
    queue = Queue.objects.create(municipality=retained.municipality, name="Båtplats")
    place = QueuePlace.objects.create(queue=queue, person=anna, number=1, joined_at=NOW)
    Case.objects.filter(pk=case.pk).update(queue_place=place)
    assert purge_closed_cases(NOW) == 1
    assert QueuePlace.objects.filter(pk=place.pk).exists()


def test_the_tick_runs_the_purge(retained, anna, julia, media):
    case = closed_case(retained, anna, julia, days_ago=0)
    Case.objects.filter(pk=case.pk).update(last_event_at=timezone.now() - dt.timedelta(days=366))
    call_command("tick", stdout=io.StringIO())
    assert not Case.objects.filter(pk=case.pk).exists()
    assert PurgedCase.objects.get().number == case.number

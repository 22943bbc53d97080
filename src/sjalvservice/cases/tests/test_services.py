import threading

import pytest
from django.db import connection

from sjalvservice.accounts.models import Profile
from sjalvservice.cases import services
from sjalvservice.cases.models import Case, CaseEvent, StatusKind


def test_a_draft_pins_the_current_version_and_has_no_number(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    assert case.status.kind == StatusKind.DRAFT
    assert case.status.name == "Sparat"
    assert case.number is None
    assert case.eservice_version == suggestion.current_version


def test_a_new_version_does_not_disturb_an_open_draft(suggestion, anna):
    from sjalvservice.cases.tests.fixtures import SUGGESTION
    from sjalvservice.eservices.services import publish_version

    case = services.start_draft(suggestion, owner=anna)
    changed = {**SUGGESTION, "title": "Medborgarförslag 2027"}
    newer = publish_version(suggestion, changed)
    case.refresh_from_db()
    assert case.eservice_version != newer
    assert services.start_draft(suggestion, owner=anna).eservice_version == newer


def test_submitting_numbers_the_case_and_records_the_event(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    submitted = services.submit(case, by=anna, answers={"rubrik": "Fler bänkar"})
    assert submitted.number is not None
    assert submitted.status.kind == StatusKind.SUBMITTED
    assert submitted.status.name == "Inskickat"
    event = CaseEvent.objects.get(case=submitted)
    assert event.get_kind_display() == "Inskickat"
    assert event.person == anna
    assert event.person_name == "Anna Testersson"


def test_case_numbers_increase(suggestion, anna, bertil):
    first = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers={})
    second = services.submit(services.start_draft(suggestion, owner=bertil), by=bertil, answers={})
    assert second.number == first.number + 1


def test_submitting_twice_is_harmless(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    first = services.submit(case, by=anna, answers={})
    again = services.submit(case, by=anna, answers={"rubrik": "ändrat"})
    assert again.number == first.number
    assert again.answers == {}
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_submitted_case_cannot_be_saved_as_a_draft(suggestion, anna):
    case = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers={})
    with pytest.raises(services.CaseNotEditable):
        services.save_draft(case, answers={}, current_step="forslag", completed_steps=[])
    with pytest.raises(services.CaseNotEditable):
        services.delete_draft(case)


def test_submitting_saves_the_contact_details_to_the_profile(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    contact = {
        "first_name": "Anna", "last_name": "Testersson", "street": "Storgatan 1",
        "postal_code": "93130", "city": "Skellefteå", "phone": "", "email": "anna@example.se",
        "mobile": "0701234567", "notify_email": True, "notify_sms": False,
    }  # fmt: skip
    services.submit(case, by=anna, answers={"kontakt": contact})
    profile = Profile.objects.get(user=anna)
    assert profile.street == "Storgatan 1"
    assert profile.email == "anna@example.se"
    assert profile.notify_email is True


def test_a_draft_can_be_deleted(suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    services.delete_draft(case)
    assert not Case.objects.filter(pk=case.pk).exists()


def test_deleting_a_draft_deletes_its_uploaded_files(
    suggestion, anna, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }}  # fmt: skip
    key = storages["default"].save("cases/x/skiss.pdf", ContentFile(b"%PDF-1.4"))
    case = services.start_draft(suggestion, owner=anna)
    answers = {"har_bilaga": "ja", "bilagor": [{"name": "skiss.pdf", "size": 8, "key": key}]}
    services.save_draft(case, answers=answers, current_step="forslag", completed_steps=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(case)
    assert not storages["default"].exists(key)


def test_an_e_service_without_a_version_cannot_be_started(skelleftea, category, anna):
    from sjalvservice.eservices.models import EService

    empty = EService.objects.create(
        municipality=skelleftea, category=category, slug="tom", title="Tom"
    )
    with pytest.raises(services.EServiceUnavailable):
        services.start_draft(empty, owner=anna)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submits_of_one_draft_make_one_case(transactional_db, suggestion, anna):
    case = services.start_draft(suggestion, owner=anna)
    barrier = threading.Barrier(20)
    numbers: list[int] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            numbers.append(services.submit(case, by=anna, answers={}).number)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 1
    assert Case.objects.submitted().count() == 1
    assert CaseEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_different_drafts_get_different_numbers(
    transactional_db, suggestion, anna
):
    drafts = [services.start_draft(suggestion, owner=anna) for _ in range(10)]
    barrier = threading.Barrier(len(drafts))
    numbers: list[int] = []

    def submit(case: Case) -> None:
        try:
            barrier.wait()
            numbers.append(services.submit(case, by=anna, answers={}).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(case,)) for case in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(min(numbers), min(numbers) + 10))

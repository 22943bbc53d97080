"""Reading and changing cases through the API, as a case-management system would."""

import json
import os

import pytest

from sjalvservice.cases.models import CaseEvent


def test_a_case_has_its_answers_events_and_citizen(api, annas_case):
    response = api.get(f"/api/v1/cases/{annas_case.number}")
    assert response.status_code == 200, response.content
    case = response.json()
    assert case["number"] == annas_case.number
    assert case["citizen"]["personal_identity_number"] == "198101059825"
    answers = {answer["key"]: answer for answer in case["revisions"][0]["answers"]}
    assert answers["rubrik"]["value"] == "Fler bänkar"
    assert answers["rubrik"]["label"] == "Rubrik"
    assert answers["har_bilaga"]["type"] == "yes_no"
    assert [event["type"] for event in case["events"]] == ["submitted"]


def test_the_list_pages_by_cursor(api, annas_case, suggestion, anna):
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import ANSWERS

    more = [
        services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers=ANSWERS)
        for _ in range(2)
    ]
    first = api.get("/api/v1/cases", {"limit": 2}).json()
    assert [item["number"] for item in first["items"]] == [more[1].number, more[0].number]
    second = api.get("/api/v1/cases", {"limit": 2, "after": first["next"]}).json()
    assert [item["number"] for item in second["items"]] == [annas_case.number]
    assert second["next"] is None


def test_setting_a_status_shows_the_system_as_person(api, annas_case):
    response = api.post(
        f"/api/v1/cases/{annas_case.number}/status",
        {"status": "Under behandling"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"]["kind"] == "IN_PROGRESS"
    event = CaseEvent.objects.filter(case=annas_case).latest("pk")
    assert (event.kind, event.person_name) == (CaseEvent.Kind.STATUS_CHANGED, "Diariet")


def test_the_same_idempotency_key_changes_once(api, annas_case):
    path = f"/api/v1/cases/{annas_case.number}/messages"
    body = json.dumps({"text": "Vi har tagit emot ditt förslag."})
    first = api.post(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert annas_case.messages.count() == 1


def test_a_wrong_token_gets_401(client, annas_case):
    response = client.get(
        f"/api/v1/cases/{annas_case.number}", HTTP_AUTHORIZATION="Bearer sjs_wrong"
    )
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/events"])
def test_the_feed_and_list_need_a_token(client, path):
    assert client.get(path).status_code == 401


def test_a_client_sees_only_its_own_eservices_cases(api, annas_case, lycksele, anna, category):
    """Another municipality's case and a case of another e-service are 404, as if absent."""
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import ANSWERS, SUGGESTION
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    elsewhere = EService.objects.create(
        municipality=lycksele, category=category, slug="lycksele-forslag", title="Förslag"
    )
    publish_version(elsewhere, SUGGESTION)
    theirs = services.submit(services.start_draft(elsewhere, owner=anna), by=anna, answers=ANSWERS)
    assert api.get(f"/api/v1/cases/{theirs.number}").status_code == 404
    assert (
        api.post(
            f"/api/v1/cases/{theirs.number}/status",
            {"status": "Avslutat"},
            content_type="application/json",
        ).status_code
        == 404
    )
    numbers = [item["number"] for item in api.get("/api/v1/cases").json()["items"]]
    assert numbers == [annas_case.number]
    assert api.get(f"/api/v1/cases/{annas_case.number}").status_code == 200


def test_a_client_does_only_what_its_scopes_allow(api, diarium, annas_case):
    diarium.scopes = ["read_cases"]
    diarium.save(update_fields=["scopes"])
    writes = [
        ("status", {"status": "Avslutat"}),
        ("messages", {"text": "Hej"}),
        ("notes", {"text": "Intern"}),
    ]
    for path, body in writes:
        response = api.post(
            f"/api/v1/cases/{annas_case.number}/{path}", body, content_type="application/json"
        )
        assert response.status_code == 403, path
    assert annas_case.messages.count() == annas_case.notes.count() == 0
    diarium.scopes = ["write_status"]
    diarium.save(update_fields=["scopes"])
    assert api.get(f"/api/v1/cases/{annas_case.number}").status_code == 403
    assert api.get("/api/v1/events").status_code == 403


def test_a_revoked_token_gets_401_and_nothing(api, diarium, annas_case):
    from sjalvservice.api import tokens

    for record in diarium.tokens.all():
        tokens.revoke(record)
    response = api.get(f"/api/v1/cases/{annas_case.number}")
    assert response.status_code == 401
    assert "Testersson" not in response.content.decode()


def test_reading_a_case_is_in_the_access_log_in_the_systems_name(api, annas_case):
    from sjalvservice.core.models import AccessLog

    api.get(f"/api/v1/cases/{annas_case.number}")
    row = AccessLog.objects.get(case_number=annas_case.number)
    assert (row.user_name, row.action, row.detail) == ("Diariet", AccessLog.Action.CASE, "API")


def test_every_call_is_in_the_access_log(api, annas_case):
    from sjalvservice.core.models import AccessLog

    api.get("/api/v1/cases", {"status": "Inskickat"})
    api.get("/api/v1/events")
    calls = AccessLog.objects.filter(action=AccessLog.Action.API_CALL).order_by("pk")
    assert [(row.user_name, row.detail) for row in calls] == [
        ("Diariet", "GET /api/v1/cases"),
        ("Diariet", "GET /api/v1/events"),
    ]
    assert all(row.municipality_id == annas_case.municipality_id for row in calls)


def test_a_stale_version_is_a_conflict(api, annas_case):
    path = f"/api/v1/cases/{annas_case.number}/status"
    version = api.get(f"/api/v1/cases/{annas_case.number}").json()["version"]
    first = api.post(path, {"status": "IN_PROGRESS"}, content_type="application/json",
                     HTTP_IF_MATCH=f'"{version}"')  # fmt: skip
    assert first.status_code == 200
    again = api.post(path, {"status": "CLOSED"}, content_type="application/json",
                     HTTP_IF_MATCH=f'"{version}"')  # fmt: skip
    assert again.status_code == 409
    annas_case.refresh_from_db()
    assert annas_case.status_kind == "IN_PROGRESS"


def test_asking_for_a_supplement_needs_a_message(api, annas_case, mailoutbox):
    path = f"/api/v1/cases/{annas_case.number}/status"
    refused = api.post(path, {"status": "AWAITING_SUPPLEMENT"}, content_type="application/json")
    assert refused.status_code == 422
    asked = api.post(
        path,
        {"status": "Väntar på komplettering", "message": "Skicka en ritning."},
        content_type="application/json",
    )
    assert asked.status_code == 200
    annas_case.refresh_from_db()
    assert annas_case.awaits_supplement
    assert annas_case.messages.get().text == "Skicka en ritning."


def test_a_message_with_a_file_reaches_mina_sidor(api, client, annas_case, anna):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("beslut.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    response = api.post(
        f"/api/v1/cases/{annas_case.number}/messages", {"text": "Här är beslutet.", "files": [pdf]}
    )
    assert response.status_code == 201, response.content
    attachment = response.json()["attachments"][0]
    assert attachment["name"] == "beslut.pdf"
    assert api.get(attachment["url"]).status_code == 200

    del client.defaults["HTTP_AUTHORIZATION"]
    client.force_login(anna)
    page = client.get(f"/mina-sidor/arenden/{annas_case.number}/meddelanden/").content.decode()
    assert "Här är beslutet." in page
    assert "Diariet" in page


def test_a_file_of_the_wrong_type_is_refused(api, annas_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("beslut.pdf", b"MZ not a pdf at all")
    response = api.post(
        f"/api/v1/cases/{annas_case.number}/messages", {"text": "Hej", "files": [fake]}
    )
    assert response.status_code == 422
    assert annas_case.messages.count() == 0


def test_the_systems_id_finds_the_case_and_handlers_see_it(
    api, client, staff_login, julia, annas_case
):
    number = annas_case.number
    put = api.put(f"/api/v1/cases/{number}/system-id", {"system": "Ciceron", "id": "BN 2026-7"},
                  content_type="application/json")  # fmt: skip
    assert put.status_code == 200
    acknowledged = api.post(f"/api/v1/cases/{number}/acknowledge", {"system": "Ciceron"},
                            content_type="application/json")  # fmt: skip
    assert acknowledged.json()["acknowledged_at"]
    found = api.get("/api/v1/cases/by-system-id", {"system": "Ciceron", "id": "BN 2026-7"})
    assert found.json()["number"] == number
    assert (
        api.get("/api/v1/cases/by-system-id", {"system": "Ciceron", "id": "x"}).status_code == 404
    )

    del client.defaults["HTTP_AUTHORIZATION"]
    staff_login(client, julia)
    page = client.get(f"/handlaggare/arenden/{number}/").content.decode()
    assert "BN 2026-7" in page
    assert "Mottaget av systemet" in page


def test_assigning_a_handler_by_username(api, annas_case, julia, david):
    path = f"/api/v1/cases/{annas_case.number}/handler"
    assert api.put(path, {"username": "david"}, content_type="application/json").status_code == 422
    response = api.put(path, {"username": "julia"}, content_type="application/json")
    assert response.json()["handler"] == "Julia Landsell"


def test_too_many_calls_get_429_with_retry_after(api, annas_case, settings):
    settings.API_REQUESTS_PER_MINUTE = 2
    answers = [api.get("/api/v1/cases").status_code for _ in range(3)]
    assert answers[:2] == [200, 200]
    limited = api.get("/api/v1/cases")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60


# Committed: the feed shows only events of transactions that have ended.
@pytest.mark.django_db(transaction=True)
def test_the_feed_gives_every_event_once_in_order(api, annas_case):
    api.post(f"/api/v1/cases/{annas_case.number}/status", {"status": "IN_PROGRESS"},
             content_type="application/json")  # fmt: skip
    seen, cursor = [], None
    while True:
        page = api.get("/api/v1/events", {"limit": 1, **({"after": cursor} if cursor else {})})
        items = page.json()["items"]
        if not items:
            break
        seen += [item["type"] for item in items]
        cursor = page.json()["next"]
    assert seen == ["submitted", "status_changed"]
    assert api.get("/api/v1/events", {"after": "nonsense"}).status_code == 400


def test_a_file_over_the_limit_is_refused_while_it_streams_in(api, annas_case, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ATTACHMENT_MAX_SIZE_MB = 1
    big = SimpleUploadedFile("ritning.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    response = api.post(
        f"/api/v1/cases/{annas_case.number}/messages", {"text": "Hej", "files": [big]}
    )
    assert response.status_code == 413
    assert "ritning.pdf" in response.json()["detail"]
    assert annas_case.messages.count() == 0


def test_the_systems_changes_show_in_the_back_office_with_the_system_as_person(
    api, client, staff_login, julia, annas_case
):
    number = annas_case.number
    api.post(f"/api/v1/cases/{number}/status", {"status": "IN_PROGRESS"},
             content_type="application/json")  # fmt: skip
    api.post(f"/api/v1/cases/{number}/notes", {"text": "Diarieförd som BN 2026-7."},
             content_type="application/json")  # fmt: skip
    del client.defaults["HTTP_AUTHORIZATION"]
    staff_login(client, julia)
    page = client.get(f"/handlaggare/arenden/{number}/").content.decode()
    history = page.split("Ärendehistorik", 1)[1]
    assert "Status ändrad" in history
    assert "Diariet" in history
    assert "Diarieförd som BN 2026-7." in page


def test_the_eservices_statuses_are_listed_before_any_case(api, suggestion):
    statuses = api.get(f"/api/v1/eservices/{suggestion.pk}/statuses").json()["statuses"]
    kinds = [status["kind"] for status in statuses]
    assert "IN_PROGRESS" in kinds
    assert "AWAITING_SUPPLEMENT" in kinds
    assert "DRAFT" not in kinds
    assert api.get("/api/v1/eservices/999999/statuses").status_code == 404


def test_tick_forgets_idempotency_keys_after_a_day(api, annas_case):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from sjalvservice.api.models import IdempotentRequest

    path = f"/api/v1/cases/{annas_case.number}/notes"
    for key in ("old", "new"):
        api.post(path, {"text": key}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    call_command("tick", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]


def test_a_nul_in_any_text_is_refused_not_a_server_error(api, annas_case):
    """PostgreSQL keeps no NUL in a text column: the API refuses it before the database."""
    number = annas_case.number
    assert api.get("/api/v1/cases/by-system-id", {"system": "a\x00", "id": "x"}).status_code == 422
    assert api.get("/api/v1/cases", {"status": "I\x00"}).status_code == 422
    for path, body in [
        ("notes", {"text": "a\x00b"}),
        ("messages", {"text": "a\x00b"}),
        ("status", {"status": "Avslutat", "message": "a\x00b"}),
    ]:
        response = api.post(f"/api/v1/cases/{number}/{path}", body, content_type="application/json")
        assert response.status_code == 422, path
    assert annas_case.messages.count() == annas_case.notes.count() == 0

"""Drafts do not pile up: how many one may start, and how unfinished ones expire.

The clock is moved by passing ``now`` to ``expire_drafts`` and by setting the drafts'
times with ``.update()``.
"""

import datetime as dt
import io
import types

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sjalvservice.accounts.models import Profile
from sjalvservice.cases import services
from sjalvservice.cases.drafts import expire_drafts
from sjalvservice.cases.models import Case
from sjalvservice.cases.tests.fixtures import ANSWERS, CONTACT_POST
from sjalvservice.core import ratelimit
from sjalvservice.notifications.delivery import deliver
from sjalvservice.notifications.kinds import Channel, Kind
from sjalvservice.notifications.models import Delivery, TextOverride
from sjalvservice.notifications.texts import render, texts_for, values_for

START = "/tjanster/medborgarforslag/starta/"
FAULT_START = "/tjanster/felanmalan/starta/"
MY_PAGES = "/mina-sidor/"
MY_DRAFTS = "/mina-sidor/sparade/"
# When the drafts in these tests were last saved, and the first tick after the notice of
# their expiry was due (fourteen days before the 180 are up, on 9 July 2026).
SAVED = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
TOLD = SAVED + dt.timedelta(days=166, minutes=1)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
# A fault report that needs no login: a photo and the place, on one step.
FAULT_REPORT = {
    "schema_version": 1,
    "title": "Felanmälan",
    "steps": [
        {
            "key": "fel",
            "title": "Felet",
            "fields": [
                {"key": "bilder", "type": "file", "label": "Bilder", "max_files": 2,
                 "max_size_mb": 1, "extensions": ["png"]},
                {"key": "plats", "type": "text", "label": "Plats", "required": True},
            ],
        },
    ],
}  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    """Stored files in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploading")
    (tmp_path / "uploading").mkdir()
    return tmp_path / "media"


@pytest.fixture
def fault_report(skelleftea, category):
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    eservice = EService.objects.create(
        municipality=skelleftea, category=category, slug="felanmalan", title="Felanmälan",
        short_description="Anmäl ett fel.", requires_login=False,
    )  # fmt: skip
    publish_version(eservice, FAULT_REPORT)
    return eservice


@pytest.fixture
def notified_anna(anna):
    """Anna wants notices by e-mail (a confirmed address) and by SMS."""
    Profile.objects.create(
        user=anna, email="anna@example.se", email_confirmed="anna@example.se",
        mobile="0701234567", notify_email=True, notify_sms=True,
    )  # fmt: skip
    return anna


def days(count):
    return dt.timedelta(days=count)


def draft_of(person, eservice, *, saved_at=SAVED):
    """A draft of ``person`` saved on its second step at ``saved_at``."""
    case = services.start_draft(eservice, owner=person)
    services.save_draft(
        case, answers={"rubrik": "Fler bänkar"}, current_step="forslag", completed_steps=[]
    )
    Case.objects.filter(pk=case.pk).update(last_saved_at=saved_at)
    case.refresh_from_db()
    return case


def step_path(case, key="forslag"):
    return reverse("cases:step", kwargs={"reference": case.reference, "step_key": key})


def report(client, place="Storgatan 3", **extra):
    return client.post(FAULT_START, {"plats": place, "action": "next", **extra})


def notices(case, channel=Channel.PORTAL):
    return Delivery.objects.filter(case=case, kind=Kind.DRAFT_EXPIRING, channel=channel)


def exists(case):
    return Case.objects.filter(pk=case.pk).exists()


@pytest.fixture
def fixed_minute(monkeypatch):
    """The rate limit's clock stopped in the middle of a minute; ``advance(seconds)``."""
    clock = types.SimpleNamespace(now=1_800_000_030.0)
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: clock.now))

    def advance(seconds):
        clock.now += seconds

    return advance


# How many drafts one may start


def test_the_51st_draft_is_refused_with_what_was_typed_kept(client, suggestion, anna):
    for _ in range(50):
        services.start_draft(suggestion, owner=anna)
    client.force_login(anna)
    response = client.post(
        START, {**CONTACT_POST, "kontakt__street": "Älvgatan 51", "action": "next"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fel:" in html
    assert "govuk-error-summary" in html
    assert "Du har för många påbörjade ärenden" in html
    assert "Du kan ha högst 50 påbörjade ärenden" in html
    assert f'<a href="{MY_DRAFTS}" target="_blank" rel="noopener">' in html
    assert "Ta bort" in html
    assert 'value="Älvgatan 51"' in html
    assert 'value="anna@example.se"' in html
    assert Case.objects.filter(owner=anna).count() == 50


def test_a_draft_can_be_started_again_once_one_is_deleted_or_sent_in(client, suggestion, anna):
    drafts = [services.start_draft(suggestion, owner=anna) for _ in range(50)]
    client.force_login(anna)
    assert client.post(START, {**CONTACT_POST, "action": "next"}).status_code == 200
    services.delete_draft(drafts[0])
    assert client.post(START, {**CONTACT_POST, "action": "next"}).status_code == 302
    assert client.post(START, {**CONTACT_POST, "action": "next"}).status_code == 200
    services.submit(drafts[1], by=anna, answers=ANSWERS)
    assert client.post(START, {**CONTACT_POST, "action": "next"}).status_code == 302
    assert Case.objects.for_citizen(anna).drafts().count() == 50


def test_another_persons_drafts_do_not_count(client, suggestion, anna, bertil):
    for _ in range(50):
        services.start_draft(suggestion, owner=bertil)
    client.force_login(anna)
    assert client.post(START, {**CONTACT_POST, "action": "next"}).status_code == 302


def test_counting_a_persons_drafts_stops_at_the_limit(suggestion, anna, settings):
    settings.DRAFT_LIMIT_PER_PERSON = 3
    for _ in range(3):
        services.start_draft(suggestion, owner=anna)
    with CaptureQueriesContext(connection) as captured, pytest.raises(services.DraftLimitReached):
        services.start_draft(suggestion, owner=anna)
    (count,) = [query["sql"] for query in captured if "COUNT" in query["sql"]]
    assert "LIMIT 3" in count
    assert '"owner_id" =' in count


def test_a_browser_without_login_holds_at_most_five_drafts(client, fault_report):
    for number in range(5):
        assert report(client, place=f"Storgatan {number}").status_code == 302
    response = report(client, place="Torget 6")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Du har för många påbörjade ärenden" in html
    assert "Du har redan påbörjat 5 ärenden i den här webbläsaren" in html
    # Each named by its first answer, so the five read differently.
    for number in range(5):
        assert f"Fortsätt med Felanmälan: Storgatan {number} (öppnas i en ny flik)" in html
    for case in Case.objects.all():
        assert f'href="{step_path(case, "fel")}" target="_blank"' in html
    assert f'href="/logga-in/?next={FAULT_START}">Logga in</a>' in html
    assert 'value="Torget 6"' in html
    assert Case.objects.count() == 5
    # Another browser has its own five.
    assert report(Client(), place="Torget 6").status_code == 302


def test_a_browser_may_start_again_once_one_of_its_drafts_is_sent_in_or_expired(
    client, fault_report
):
    for _ in range(5):
        report(client)
    sent, *_rest = Case.objects.order_by("pk")
    assert client.post(reverse("cases:preview", args=[sent.reference])).status_code == 302
    assert report(client).status_code == 302
    assert report(client).status_code == 200
    expire_drafts(timezone.now() + dt.timedelta(hours=25))
    assert Case.objects.drafts().count() == 0
    assert report(client).status_code == 302


def test_one_address_starts_only_so_many_drafts_a_minute(
    fault_report, suggestion, anna, settings, fixed_minute
):
    settings.DRAFT_START_LIMIT = 3

    def from_address(address):
        return Client(REMOTE_ADDR=address)  # a fresh session every time

    for _ in range(3):
        assert report(from_address("192.0.2.10")).status_code == 302
    refused = report(from_address("192.0.2.10"), place="Torget 4")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Det går inte att påbörja fler ärenden just nu" in html
    assert "Vänta en minut" in html
    assert 'value="Torget 4"' in html
    assert Case.objects.count() == 3
    # Refusals do not count: the next minute the address has its whole limit again.
    assert report(from_address("192.0.2.11")).status_code == 302
    fixed_minute(60)
    for _ in range(3):
        assert report(from_address("192.0.2.10")).status_code == 302
    assert report(from_address("192.0.2.10")).status_code == 429
    # A person who has logged in is counted by their own drafts instead.
    person = from_address("192.0.2.10")
    person.force_login(anna)
    assert person.post(START, {**CONTACT_POST, "action": "next"}).status_code == 302


def test_the_address_is_the_one_the_trusted_proxy_saw(fault_report, settings, fixed_minute):
    settings.DRAFT_START_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(address):
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)

    assert report(via_proxy("198.51.100.7")).status_code == 302
    assert report(via_proxy("198.51.100.8")).status_code == 302
    assert report(via_proxy("198.51.100.7")).status_code == 429


def test_the_refused_page_asks_for_the_files_again(client, fault_report, settings):
    settings.DRAFT_LIMIT_PER_SESSION = 1
    report(client)
    photo = SimpleUploadedFile("hal.png", PNG, content_type="image/png")
    html = report(client, place="Torget 1", bilder=[photo]).content.decode()
    assert "Filer som du har valt behöver du välja igen." in html
    assert 'value="Torget 1"' in html


# Drafts without login


def test_an_anonymous_draft_is_deleted_a_day_after_its_last_save_with_its_files(
    client, fault_report, media, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("hal.png", PNG, content_type="image/png")
    assert report(client, bilder=[photo]).status_code == 302
    case = Case.objects.get()
    (stored,) = case.answers["bilder"]
    assert storages["default"].exists(stored["key"])
    Case.objects.filter(pk=case.pk).update(last_saved_at=SAVED)
    assert expire_drafts(SAVED + dt.timedelta(hours=23, minutes=59)) == {
        "deleted": 0,
        "noticed": 0,
    }
    assert exists(case)
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_drafts(SAVED + dt.timedelta(hours=24, minutes=1))["deleted"] == 1
    assert not exists(case)
    assert not storages["default"].exists(stored["key"])
    assert [path for path in media.rglob("*") if path.is_file()] == []
    # The browser's link to it leads to logging in, as for any case it cannot see.
    gone = reverse("cases:preview", args=[case.reference])
    assert client.get(gone)["Location"] == f"/logga-in/?next={gone}"


def test_a_file_is_deleted_only_once_the_deletion_is_committed(
    client, fault_report, media, django_capture_on_commit_callbacks
):
    photo = SimpleUploadedFile("hal.png", PNG, content_type="image/png")
    report(client, bilder=[photo])
    (stored,) = Case.objects.get().answers["bilder"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        expire_drafts(timezone.now() + days(2))
    assert storages["default"].exists(stored["key"])
    assert len(callbacks) == 1
    callbacks[0]()
    assert not storages["default"].exists(stored["key"])


# A person's drafts


def test_the_owner_is_told_once_fourteen_days_before_the_draft_expires(suggestion, notified_anna):
    case = draft_of(notified_anna, suggestion)
    assert expire_drafts(SAVED + days(166) - dt.timedelta(minutes=1))["noticed"] == 0
    assert not notices(case).exists()
    assert expire_drafts(TOLD) == {"deleted": 0, "noticed": 1}
    notice = notices(case).get()
    assert (notice.user, notice.path, notice.state) == (
        notified_anna, step_path(case), Delivery.State.SENT,
    )  # fmt: skip
    assert notices(case, Channel.EMAIL).get().address == "anna@example.se"
    assert notices(case, Channel.SMS).exists()
    case.refresh_from_db()
    assert case.expiry_noticed_at == TOLD
    # Once: later runs tell nobody again.
    assert expire_drafts(TOLD + dt.timedelta(minutes=1))["noticed"] == 0
    expire_drafts(TOLD + days(10))
    assert Delivery.objects.filter(case=case, kind=Kind.DRAFT_EXPIRING).count() == 3
    assert exists(case)


def test_the_draft_is_deleted_once_its_time_is_up_and_the_notice_is_old_enough(
    suggestion, anna, django_capture_on_commit_callbacks
):
    case = draft_of(anna, suggestion)
    expire_drafts(TOLD)
    assert expire_drafts(SAVED + days(180))["deleted"] == 0
    assert exists(case)
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_drafts(TOLD + days(14)) == {
            "deleted": 1,
            "noticed": 0,
        }
    assert not exists(case)
    assert not Delivery.objects.filter(kind=Kind.DRAFT_EXPIRING).exists()


def test_a_notice_that_went_out_late_still_gives_the_owner_fourteen_days(suggestion, anna):
    case = draft_of(anna, suggestion)
    # The tick was down: the first run after it is long past the draft's time.
    late = SAVED + days(200)
    assert expire_drafts(late) == {"deleted": 0, "noticed": 1}
    assert expire_drafts(late + days(14) - dt.timedelta(minutes=1))["deleted"] == 0
    assert exists(case)
    assert expire_drafts(late + days(14))["deleted"] == 1
    assert not exists(case)


def test_a_draft_noticed_before_is_not_deleted_without_its_own_time_being_up(suggestion, anna):
    case = draft_of(anna, suggestion, saved_at=SAVED)
    # Told long ago, but saved again since (as if the notice had not been cleared).
    Case.objects.filter(pk=case.pk).update(expiry_noticed_at=SAVED - days(30))
    assert expire_drafts(SAVED + days(179))["deleted"] == 0
    assert exists(case)


def test_saving_again_clears_the_notice_and_starts_the_time_again(
    client, suggestion, notified_anna
):
    case = draft_of(notified_anna, suggestion)
    expire_drafts(SAVED + days(170))
    case.refresh_from_db()
    assert case.expiry_noticed_at is not None
    client.force_login(notified_anna)
    response = client.post(
        step_path(case), {"rubrik": "Fler bänkar", "beskrivning": "", "action": "save"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.expiry_noticed_at is None
    assert case.last_saved_at > SAVED + days(100)
    # What was not sent yet of the notice never will be; Mina sidor's stays as it was.
    assert notices(case, Channel.EMAIL).get().state == Delivery.State.CANCELLED
    assert notices(case).get().state == Delivery.State.SENT
    assert expire_drafts(case.last_saved_at + days(165)) == {"deleted": 0, "noticed": 0}
    assert exists(case)
    # The new period has a notice of its own.
    assert expire_drafts(case.last_saved_at + days(167))["noticed"] == 1
    assert notices(case).count() == 2


def test_submitted_cases_are_never_touched(client, annas_case, fault_report):
    report(client)
    client.post(reverse("cases:preview", args=[Case.objects.get(owner=None).reference]))
    anonymous = Case.objects.get(owner=None)
    assert anonymous.number is not None
    Case.objects.update(last_saved_at=SAVED - days(1000), expiry_noticed_at=SAVED - days(999))
    assert expire_drafts(SAVED + days(1000)) == {"deleted": 0, "noticed": 0}
    assert exists(annas_case)
    assert exists(anonymous)
    assert not Delivery.objects.filter(kind=Kind.DRAFT_EXPIRING).exists()


def test_each_run_does_at_most_a_batch_and_running_again_is_safe(
    fault_report, suggestion, anna, settings
):
    settings.RETENTION_TICK_BATCH = 2
    for place in ("A", "B", "C"):
        report(Client(), place=place)
    mine = draft_of(anna, suggestion, saved_at=SAVED - days(1))
    Case.objects.filter(owner=None).update(last_saved_at=SAVED)
    now = SAVED + days(170)
    # The longest unsaved first: Anna's draft is told of, then two of the three go.
    assert expire_drafts(now) == {"deleted": 1, "noticed": 1}
    assert expire_drafts(now) == {"deleted": 2, "noticed": 0}
    assert expire_drafts(now) == {"deleted": 0, "noticed": 0}
    assert list(Case.objects.all()) == [mine]
    assert notices(mine).count() == 1


def test_a_draft_that_cannot_be_deleted_holds_up_none_of_the_others(fault_report):
    for place in ("A", "B"):
        report(Client(), place=place)
    broken, other = Case.objects.order_by("pk")
    # A version whose definition no longer reads (its files cannot be found to delete).
    version = broken.eservice_version
    version.pk = None
    version.number += 1
    version.content_hash = "trasig"
    version.save()
    broken_definition = {"schema_version": 1, "title": "Trasig", "steps": "inte en lista"}
    type(version).objects.filter(pk=version.pk).update(definition=broken_definition)
    Case.objects.filter(pk=broken.pk).update(
        eservice_version=version, last_saved_at=SAVED - days(1)
    )
    Case.objects.filter(pk=other.pk).update(last_saved_at=SAVED)
    assert expire_drafts(SAVED + days(2)) == {"deleted": 1, "noticed": 0}
    assert list(Case.objects.all()) == [broken]


def test_the_tick_command_runs_it(fault_report, suggestion, anna):
    report(Client())
    Case.objects.update(last_saved_at=timezone.now() - days(2))
    mine = draft_of(anna, suggestion, saved_at=timezone.now() - days(170))
    call_command("tick", stdout=io.StringIO())
    assert list(Case.objects.all()) == [mine]
    assert notices(mine).exists()


# The notice


def test_the_notice_names_the_eservice_and_the_day_and_nothing_the_person_wrote(
    suggestion, notified_anna, settings
):
    case = draft_of(notified_anna, suggestion)
    services.save_draft(
        case, answers=ANSWERS, current_step="forslag", completed_steps=["personuppgifter"]
    )
    Case.objects.filter(pk=case.pk).update(last_saved_at=SAVED)
    expire_drafts(TOLD)
    assert deliver(notices(case, Channel.EMAIL).get().pk) == Delivery.State.SENT
    (message,) = mail.outbox
    assert message.subject == "Ditt påbörjade ärende i Medborgarförslag tas snart bort"
    assert "Det tas bort 2026-07-09 om du inte fortsätter med det." in message.body
    assert "Skellefteå kommun" in message.body
    assert f"{settings.SITE_URL}{step_path(case)}" in message.body
    sms = render(
        texts_for(suggestion.pk, Kind.DRAFT_EXPIRING, "sv"),
        values_for(Case.objects.get(pk=case.pk), step_path(case)),
        "sv",
        for_staff=False,
    ).sms
    assert "Skellefteå kommun: ditt påbörjade ärende i Medborgarförslag tas bort 2026-07-09" in sms
    for text in (message.subject, message.body, sms):
        for secret in ("Fler bänkar", "Vid älven", "Storgatan", "Testersson", "198101059825"):
            assert secret not in text


def test_the_notice_uses_the_eservices_own_text(suggestion, notified_anna):
    TextOverride.objects.create(
        eservice=suggestion, kind=Kind.DRAFT_EXPIRING, language="sv",
        subject="Snart borta: {e_tjanst}", body="Ärendet försvinner {borttagningsdatum}.",
    )  # fmt: skip
    case = draft_of(notified_anna, suggestion)
    expire_drafts(SAVED + days(200))
    deliver(notices(case, Channel.EMAIL).get().pk)
    (message,) = mail.outbox
    assert message.subject == "Snart borta: Medborgarförslag"
    # The notice went out late: deleted fourteen days after it.
    assert "Ärendet försvinner 2026-08-12." in message.body


def test_a_link_in_the_notice_opens_the_draft_after_logging_in(client, suggestion, anna):
    case = draft_of(anna, suggestion)
    expire_drafts(TOLD)
    path = notices(case).get().path
    response = client.get(path)
    assert response["Location"] == f"/logga-in/?next={path}"
    client.force_login(anna)
    html = client.get(path).content.decode()
    assert "Ärendet tas bort 9 jul 2026 om du inte sparar det igen." in html


# Mina sidor


def test_mina_sidor_says_when_a_draft_it_told_of_will_be_deleted(client, suggestion, anna):
    told = draft_of(anna, suggestion)
    untold = draft_of(anna, suggestion, saved_at=SAVED + days(30))
    client.force_login(anna)
    client.get(MY_PAGES)  # warm up: the first request fills caches
    with CaptureQueriesContext(connection) as before:
        client.get(MY_PAGES)
    expire_drafts(TOLD)
    with CaptureQueriesContext(connection) as after:
        page = client.get(MY_PAGES).content.decode()
    assert len(after) == len(before)
    listed = client.get(MY_DRAFTS).content.decode()
    for html in (page, listed):
        assert html.count("Tas bort 9 jul 2026") == 1
        assert html.count("Tas bort ") == 1
    assert f'href="{step_path(told)}"' in page
    assert f'href="{step_path(untold)}"' in page

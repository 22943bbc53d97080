"""Every page of the portal, axe-clean at 320 and 1280 px, in Swedish and in English.

One test per side (residents, handlers, administrators) builds a realistic cast once with
the real services, then opens each page in both languages at both widths and runs the
checks every browser test runs (axe-core, the Nu HTML checker, table cells at 320 px).
Failures are collected, so that one run names every page, language and width that fails.

A guard test without a browser fails when a URL is added to the resident site or the back
office that the sweep does not open and that is not listed as something other than a page.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Error, Page

from sjalvservice.accounts.models import Engagement
from sjalvservice.accounts.services import save_organisation
from sjalvservice.api import clients
from sjalvservice.backoffice import services as backoffice
from sjalvservice.backoffice.models import Assignment, HandlerGroup, ReplyTemplate
from sjalvservice.cases import retention, services
from sjalvservice.cases.models import Case, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS, SUGGESTION
from sjalvservice.cases.tests.test_bookings_and_queues import BOOKING, QUEUE
from sjalvservice.core import uploads
from sjalvservice.eservices import services as eservice_services
from sjalvservice.eservices.definitions import dump_yaml
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.services import publish_version
from sjalvservice.eservices.tests.conftest import SIMPLE_DEFINITION
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Booking, Queue, QueuePlace, Resource
from sjalvservice.reservations.tests.fixtures import in_two_days_at
from tests.e2e.conftest import assert_accessible, assert_page_basics

LANGUAGES = ("sv", "en")
WIDTHS = (1280, 320)
PASSWORD = "a-long-test-password"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# --- What the sweep opens, by URL name -------------------------------------------------------

RESIDENT_PAGES = (
    # Public pages, as a visitor who is not logged in sees them.
    "eservices:home",
    "eservices:catalogue",
    "eservices:detail",
    "core:accessibility",
    "core:privacy",
    "core:cookies",
    # Logging in and out.
    "eid:login",
    "eid:bankid",
    "eid:bankid_wait",
    "eid:saml_login",
    "eid:logged_out",
    # An e-service: the first step, each step of a draft, the preview, the receipt.
    "cases:start",
    "cases:step",
    "cases:preview",
    "cases:receipt",
    # Mina sidor, its lists and a case with its tabs.
    "cases:my_pages",
    "cases:drafts",
    "cases:ongoing",
    "cases:closed",
    "cases:news",
    "cases:case",
    "cases:show",
    "cases:messages",
    "cases:personal_data",
    "cases:delete_draft",
    # Mina uppgifter and Mina engagemang.
    "accounts:my_details",
    "accounts:confirm_email",
    "accounts:my_engagements",
    "accounts:organisation_add",
    "accounts:organisation_change",
    "accounts:organisation_remove",
    # Köplatser and bokningar.
    "reservations:my_queue_places",
    "reservations:leave_queue",
    "reservations:my_bookings",
    "reservations:cancel_booking",
)

HANDLER_PAGES = (
    "backoffice:login",
    "backoffice:verify",
    "backoffice:enrol",
    "backoffice:inbox",
    "backoffice:case",
    "backoffice:notification_settings",
    "backoffice:reservations",
    "backoffice:queue",
    "backoffice:resource",
    "backoffice:booking_cancel",
)

ADMIN_PAGES = (
    "backoffice:manage",
    "backoffice:manage_handlers",
    "backoffice:manage_handler_add",
    "backoffice:manage_handler",
    "backoffice:manage_groups",
    "backoffice:manage_group_add",
    "backoffice:manage_group",
    "backoffice:manage_eservices",
    "backoffice:manage_eservice_add",
    "backoffice:manage_eservice",
    "backoffice:manage_eservice_closing",
    "backoffice:manage_eservice_changes",
    "backoffice:manage_eservice_publish",
    "backoffice:manage_eservice_versions",
    "backoffice:manage_eservice_version",
    "backoffice:manage_eservice_compare",
    "backoffice:manage_eservice_copy_search",
    "backoffice:manage_eservice_copy",
    "backoffice:manage_builder",
    "backoffice:manage_builder_add_step",
    "backoffice:manage_builder_step",
    "backoffice:manage_builder_add_field",
    "backoffice:manage_builder_field",
    "backoffice:manage_builder_statuses",
    "backoffice:manage_builder_texts",
    "backoffice:manage_builder_preview",
    "backoffice:manage_builder_test",
    "backoffice:manage_builder_test_step",
    "backoffice:manage_builder_test_summary",
    "backoffice:manage_builder_test_receipt",
    "backoffice:manage_reply_templates",
    "backoffice:manage_reply_template",
    "backoffice:manage_eservice_notices",
    "backoffice:manage_eservice_notice",
    "backoffice:manage_eservice_retention",
    "backoffice:manage_purge_log",
    "backoffice:manage_access_log",
    "backoffice:manage_staff_changes",
    "api_clients:clients",
    "api_clients:client_add",
    "api_clients:client",
    "api_clients:token_add",
    "api_clients:webhook_add",
    "api_clients:webhook",
    "api_clients:webhook_test",
)

# The namespaces of the resident site and the back office (Django's admin is neither).
SWEPT_NAMESPACES = frozenset(
    {
        "core",
        "eservices",
        "accounts",
        "eid",
        "reservations",
        "cases",
        "notifications",
        "backoffice",
        "api_clients",
    }
)

# URL names that are not pages a person reads, so the sweep does not open them.
NOT_PAGES = {
    # A redirect: sets the language cookie and goes back.
    "core:language": "redirect",
    # An image.
    "core:municipality_logo": "download",
    # POST only: actions whose answer is a redirect.
    "eid:logout": "POST only",
    "eid:bankid_start": "POST only",
    "eid:bankid_cancel": "POST only",
    "eid:session_extend": "POST only",
    "eid:saml_acs": "POST only, from the IdP",
    # Asked for by scripts: JSON, or HTML fragments swapped into the waiting page.
    "eid:bankid_status": "fragment",
    "eid:bankid_qr": "fragment",
    "eid:session_status": "JSON",
    # The federation's logout endpoint: redirects back to the IdP or to the logged-out page.
    "eid:saml_sls": "redirect",
    # XML for the federation.
    "eid:saml_metadata": "XML",
    # Files and data for download.
    "cases:pdf": "PDF",
    "cases:attachment": "download",
    "cases:personal_data_json": "JSON",
    "cases:personal_data_pdf": "PDF",
    "cases:personal_data_pdf_request": "POST only",
    "reservations:confirm_place": "POST only",
    # The SMS gateway's delivery reports.
    "notifications:sms_report": "API for the SMS gateway",
    # The back office's actions: POST only, answered with a redirect to the page.
    "backoffice:logout": "POST only",
    "backoffice:assign": "POST only",
    "backoffice:change_status": "POST only",
    "backoffice:send_message": "POST only",
    "backoffice:add_note": "POST only",
    "backoffice:queue_offer": "POST only",
    "backoffice:place_answer": "POST only",
    "backoffice:booking_confirm": "POST only",
    "backoffice:manage_handler_active": "POST only",
    "backoffice:manage_handler_reset_second_factor": "POST only",
    "backoffice:manage_handler_role": "POST only",
    "backoffice:manage_eservice_version_to_draft": "POST only",
    "backoffice:manage_eservice_discard_draft": "POST only",
    "backoffice:manage_builder_publish": "POST only",
    "backoffice:case_pdf": "PDF",
    "backoffice:attachment": "download",
    "backoffice:answer_file": "download",
    "api_clients:token_revoke": "POST only",
}


# --- The sweep -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One page: its URL name (or what it is, for error pages), the address to open, and,
    where the page is reached from there by a form, what to do to get to it."""

    name: str
    path: str
    then: Callable[[Page], None] | None = None
    status: int = 200


def set_language(context: BrowserContext, base_url: str, language: str) -> None:
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


def sweep(page: Page, axe, base_url: str, visits: Iterable[Visit]) -> list[str]:
    """Open each page in each language and check it at each width; what failed, each
    with the page, the language and the width.

    A page is loaded once per language and then narrowed, as a phone turned on its side
    is: the 320 px checks in html_check measure a page the same way."""
    failures = []
    for visit in visits:
        for language in LANGUAGES:
            set_language(page.context, base_url, language)
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            try:
                open_page(page, base_url, visit)
            except (AssertionError, Error) as error:
                failures.append(f"{visit.name} {visit.path} [{language}] ({page.url}):\n{error}")
                continue
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                try:
                    assert_page_basics(page)
                    lang = page.locator("html").get_attribute("lang")
                    assert lang == language, f'<html lang="{lang}">'
                    assert_accessible(axe, page)
                except (AssertionError, Error) as error:
                    where = f"{visit.name} {visit.path} [{language}, {width} px]"
                    failures.append(f"{where} ({page.url}):\n{error}")
    return failures


def open_page(page: Page, base_url: str, visit: Visit) -> None:
    """Go to the visit's page and make sure it is the one meant (a redirect to log in
    would otherwise be checked in its place)."""
    response = page.goto(base_url + visit.path)
    if visit.then is not None:
        with page.expect_navigation():
            visit.then(page)
    elif response is not None and response.status != visit.status:
        raise AssertionError(f"status {response.status}, not {visit.status}")
    if ":" in visit.name:
        try:
            shown = resolve(urlsplit(page.url).path).view_name
        except Resolver404:
            shown = "no page of the portal"
        assert shown == visit.name, f"landed on {shown}"


def names_of(visits: Iterable[Visit]) -> set[str]:
    return {visit.name for visit in visits if ":" in visit.name}


def give_password(username: str) -> Callable[[Page], None]:
    """The back office's first step, which leads to the second (code or enrolment)."""

    def give(page: Page) -> None:
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("#id_password").press("Enter")

    return give


def start_mobile_bankid(page: Page) -> None:
    page.locator("main form button").first.click()


def log_in_as_staff(context: BrowserContext, base_url: str, user, staff_login) -> None:
    """A member of staff's session, second factor included, in the browser."""
    client = staff_login(Client(), user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


# --- The cast --------------------------------------------------------------------------------


def pdf_file(name: str) -> uploads.Accepted:
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return uploads.Accepted(upload=upload, name=name, content_type="application/pdf")


@dataclass
class Cast:
    """What the sweep's pages show, built through the services as people would make it."""

    waiting: Case  # Anna's: messages both ways, one with an attachment; a supplement asked for
    submitted: Case  # Anna's, just sent in
    draft: Case  # Anna's, every step filled in, not sent
    booking: Booking  # Anna's, through "Boka lokal"
    place: QueuePlace  # Anna's, second in the queue, through "Ansökan om båtplats"
    queue: Queue
    resource: Resource
    room_booking: EService
    engagement: Engagement
    group: HandlerGroup
    template: ReplyTemplate
    closed: EService  # closed for new cases, with a message


@pytest.fixture
def cast(settings, tmp_path, skelleftea, category, suggestion, anna, bertil, julia, karin):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = backoffice.Actor(karin, "127.0.0.1")

    queue = Queue.objects.create(
        municipality=skelleftea, name="Båtplatser i Skellefteå", slug="batplatser",
        yearly_confirmation=True,
    )  # fmt: skip
    resource = Resource.objects.create(
        municipality=skelleftea, name="Sammanträdesrum Lyckan", slug="lyckan",
        address="Storgatan 10, Skellefteå", open_weekdays="1234567",
        opens=datetime.time(8), closes=datetime.time(17), slot_minutes=60, capacity=1,
        book_days_ahead=30, cancel_hours_before=24,
    )  # fmt: skip
    room_booking = EService.objects.create(
        municipality=skelleftea, category=category, slug="boka-lokal", title="Boka lokal",
        short_description="Boka ett sammanträdesrum.", requires_login=True,
    )  # fmt: skip
    publish_version(room_booking, BOOKING)
    boat_application = EService.objects.create(
        municipality=skelleftea, category=category, slug="batplats",
        title="Ansökan om båtplats", short_description="Ställ dig i kö till en båtplats.",
        requires_login=True,
    )  # fmt: skip
    publish_version(boat_application, QUEUE)
    for eservice in (room_booking, boat_application):
        Assignment.objects.create(handler=julia, eservice=eservice)

    def sent_in(eservice, person, answers):
        return services.submit(services.start_draft(eservice, owner=person), by=person,
                               answers=answers)  # fmt: skip

    # The case a supplement is asked for: messages both ways, one with an attachment.
    waiting = sent_in(suggestion, anna, ANSWERS)
    services.assign(waiting, handler=julia, by=julia)
    services.send_message(
        waiting, by=julia, text="Här är kartan över älvstranden.",
        files=[pdf_file("karta-alvstranden.pdf")],
    )  # fmt: skip
    services.send_message(waiting, by=anna, text="Tack! Bänkarna kan stå vid bron.")
    services.add_note(waiting, by=julia, text="Kontrollera med gatukontoret.")
    waiting = services.set_status(
        waiting, status=services.status_for(waiting, StatusKind.AWAITING_SUPPLEMENT),
        by=julia, message="Beskriv var bänkarna ska stå.",
    )  # fmt: skip

    # A closed case whose time ran out, for the purge log; then one closed now.
    suggestion.retention_days = 30
    suggestion.save(update_fields=["retention_days"])
    purged = sent_in(suggestion, bertil, ANSWERS)
    services.set_status(purged, status=services.status_for(purged, StatusKind.CLOSED), by=julia)
    retention.purge_closed_cases(timezone.now() + datetime.timedelta(days=31))
    closed = sent_in(suggestion, anna, {**ANSWERS, "rubrik": "Belysning i parken"})
    services.set_status(
        closed, status=services.status_for(closed, StatusKind.CLOSED), by=julia,
        message="Förslaget har gått vidare till fullmäktige.",
    )  # fmt: skip
    submitted = sent_in(suggestion, anna, {**ANSWERS, "rubrik": "Cykelställ vid biblioteket"})

    draft = services.start_draft(suggestion, owner=anna)
    draft = services.save_draft(
        draft, answers={**ANSWERS, "rubrik": "Lekplats på Norrböle"}, current_step="forslag",
        completed_steps=["personuppgifter", "forslag"],
    )  # fmt: skip

    # A booking and a queue place, each through its e-service.
    starts_at = in_two_days_at(9)
    slot = {
        "resource": "lyckan", "resource_name": resource.name, "address": resource.address,
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + datetime.timedelta(hours=1)).isoformat(),
    }  # fmt: skip
    booked = sent_in(room_booking, anna, {"bokad_tid": slot, "syfte": "Styrelsemöte"})
    reservations.join_queue(queue, bertil)
    queued = sent_in(boat_application, anna, {"langd": 6})

    engagement = save_organisation(
        anna, "8024775317", {"name": "Skellefteå Båtklubb", "city": "Skellefteå"}
    )
    group = backoffice.create_handler_group(
        by=admin, name="Demokratigruppen", email="demokrati@skelleftea.example",
        members=[julia], eservices=[suggestion],
    )  # fmt: skip
    template = ReplyTemplate.objects.create(
        eservice=suggestion, title="Tack för förslaget",
        text="Tack för ditt förslag. Vi återkommer när det har behandlats.",
    )  # fmt: skip
    # A handler who has not logged in yet, so has no authenticator app.
    backoffice.create_handler(
        by=admin, username="nils", first_name="Nils", last_name="Nyström",
        email="nils@skelleftea.example", password=PASSWORD,
    )  # fmt: skip
    closed = EService.objects.create(
        municipality=skelleftea, category=category, slug="sommarjobb", title="Sommarjobb",
        short_description="Sök sommarjobb i kommunen.", requires_login=False,
    )  # fmt: skip
    publish_version(closed, {**SIMPLE_DEFINITION, "title": "Sommarjobb"})
    eservice_services.close_eservice(
        closed, by=karin, message="Ansökan är stängd för i år. Den öppnar igen i februari."
    )
    eservice_services.change_details(closed, by=karin, title_en="Summer jobs")
    # A draft of Medborgarförslag, for the draft's pages and "Jämför".
    changed = copy.deepcopy(SUGGESTION)
    changed["steps"][1]["fields"][0]["label"] = "Förslagets rubrik"
    changed["steps"][1]["fields"].append({"key": "plats", "type": "text", "label": "Var?"})
    eservice_services.save_draft(suggestion, dump_yaml(changed), by=karin)
    return Cast(
        waiting=waiting, submitted=submitted, draft=draft, booking=booked.booking,
        place=queued.queue_place, queue=queue, resource=resource, room_booking=room_booking,
        engagement=engagement, group=group, template=template, closed=closed,
)  # fmt: skip


# --- The three sweeps ------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_resident_page_is_accessible_in_both_languages_at_both_widths(
    page: Page, live_server, axe, log_in, anna, cast, bankid
):
    # `bankid`: the BankID simulator, for the page that waits for the app.
    waiting, draft = cast.waiting, cast.draft
    as_visitor = [
        Visit("eservices:home", "/"),
        Visit("eservices:catalogue", "/tjanster/"),
        Visit("eservices:detail", "/tjanster/medborgarforslag/"),
        Visit("core:accessibility", "/tillganglighet/"),
        Visit("core:privacy", "/personuppgifter/"),
        Visit("core:cookies", "/kakor/"),
        Visit("api_docs", "/api/v1/docs"),
        Visit("eid:login", "/logga-in/"),
        Visit("eid:bankid", "/logga-in/e-legitimation/"),
        Visit("eid:bankid_wait", "/logga-in/e-legitimation/", then=start_mobile_bankid),
        # The federation is not set up here: the page saying the login does not work now.
        Visit("eid:saml_login", "/logga-in/region/", status=503),
        Visit("eid:logged_out", "/utloggad/"),
        Visit("404", "/finns-inte/", status=404),
        # An e-service closed for new cases: its page and its start say why.
        Visit("eservices:detail", f"/tjanster/{cast.closed.slug}/"),
        Visit("cases:start", f"/tjanster/{cast.closed.slug}/starta/"),
    ]
    as_anna = [
        Visit("cases:start", "/tjanster/medborgarforslag/starta/"),
        Visit("cases:start", f"/tjanster/{cast.room_booking.slug}/starta/"),
        Visit("cases:step", f"/e-tjanst/{draft.reference}/steg/personuppgifter/"),
        Visit("cases:step", f"/e-tjanst/{draft.reference}/steg/forslag/"),
        Visit("cases:preview", f"/e-tjanst/{draft.reference}/forhandsgranska/"),
        Visit("cases:receipt", f"/e-tjanst/{cast.submitted.reference}/kvitto/"),
        # "Ändra ärende": the steps and the preview of the case awaiting a supplement.
        Visit("cases:step", f"/e-tjanst/{waiting.reference}/steg/personuppgifter/"),
        Visit("cases:preview", f"/e-tjanst/{waiting.reference}/forhandsgranska/"),
        Visit("cases:my_pages", "/mina-sidor/"),
        Visit("cases:drafts", "/mina-sidor/sparade/"),
        Visit("cases:ongoing", "/mina-sidor/pagaende/"),
        Visit("cases:closed", "/mina-sidor/avslutade/"),
        Visit("cases:news", "/mina-sidor/meddelanden/"),
        Visit("cases:case", f"/mina-sidor/arenden/{waiting.number}/"),
        Visit("cases:show", f"/mina-sidor/arenden/{waiting.number}/visa/"),
        Visit("cases:messages", f"/mina-sidor/arenden/{waiting.number}/meddelanden/"),
        Visit("cases:personal_data", "/mina-sidor/personuppgifter/"),
        Visit("cases:delete_draft", f"/mina-sidor/utkast/{draft.reference}/ta-bort/"),
        Visit("accounts:my_details", "/mina-sidor/uppgifter/"),
        Visit(
            "accounts:confirm_email",
            "/mina-sidor/uppgifter/bekrafta-e-post/gammal-lank/",
            status=400,
        ),
        Visit("accounts:my_engagements", "/mina-sidor/engagemang/"),
        Visit("accounts:organisation_add", "/mina-sidor/engagemang/ny/"),
        Visit("accounts:organisation_change", f"/mina-sidor/engagemang/{cast.engagement.pk}/"),
        Visit(
            "accounts:organisation_remove",
            f"/mina-sidor/engagemang/{cast.engagement.pk}/ta-bort/",
        ),
        Visit("reservations:my_queue_places", "/mina-sidor/koplatser/"),
        Visit("reservations:leave_queue", f"/mina-sidor/koplatser/{cast.place.pk}/lamna/"),
        Visit("reservations:my_bookings", "/mina-sidor/bokningar/"),
        Visit("reservations:cancel_booking", f"/mina-sidor/bokningar/{cast.booking.pk}/avboka/"),
    ]
    assert names_of(as_visitor + as_anna) == set(RESIDENT_PAGES)

    failures = sweep(page, axe, live_server.url, as_visitor)
    log_in(anna)
    failures += sweep(page, axe, live_server.url, as_anna)
    assert not failures, f"{len(failures)} failed:\n\n" + "\n\n".join(failures)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_handler_page_is_accessible_in_both_languages_at_both_widths(
    page: Page, live_server, axe, julia, cast, staff_login
):
    # Julia has her authenticator app; Nils, new, has not and is asked to add one.
    TOTPDevice.objects.create(user=julia, name="Mobil", confirmed=True)
    case = cast.waiting
    day = timezone.localdate(cast.booking.starts_at)
    week = day - datetime.timedelta(days=day.weekday())
    logging_in = [
        Visit("backoffice:login", "/handlaggare/logga-in/"),
        Visit("backoffice:verify", "/handlaggare/logga-in/", then=give_password("julia")),
        Visit("backoffice:enrol", "/handlaggare/logga-in/", then=give_password("nils")),
    ]
    as_julia = [
        Visit("backoffice:inbox", "/handlaggare/"),
        Visit("backoffice:inbox", "/handlaggare/?flik=mina"),
        Visit("backoffice:inbox", "/handlaggare/?flik=aktiva"),
        Visit("backoffice:inbox", "/handlaggare/?flik=avslutade"),
        # A search with a date that is not one: the filter's error message.
        Visit("backoffice:inbox", "/handlaggare/?flik=aktiva&q=b%C3%A4nkar&fran=igar"),
        Visit("backoffice:case", f"/handlaggare/arenden/{case.number}/"),
        Visit("backoffice:notification_settings", "/handlaggare/mina-notiser/"),
        Visit("backoffice:reservations", "/handlaggare/koer-och-bokningar/"),
        Visit("backoffice:queue", f"/handlaggare/koer/{cast.queue.pk}/"),
        Visit("backoffice:resource", f"/handlaggare/resurser/{cast.resource.pk}/?vecka={week}"),
        Visit("backoffice:booking_cancel", f"/handlaggare/bokningar/{cast.booking.pk}/avboka/"),
        # A member of staff on the residents' side is told it is not for them.
        Visit("403", "/mina-sidor/", status=403),
    ]
    assert names_of(logging_in + as_julia) == set(HANDLER_PAGES)

    failures = sweep(page, axe, live_server.url, logging_in)
    log_in_as_staff(page.context, live_server.url, julia, staff_login)
    failures += sweep(page, axe, live_server.url, as_julia)
    assert not failures, f"{len(failures)} failed:\n\n" + "\n\n".join(failures)


def new_token(page: Page) -> None:
    page.get_by_role("button", name=_in_both("Skapa API-nyckel", "Create API key")).click()


def send_test(page: Page) -> None:
    page.get_by_role("button", name=_in_both("Skicka test", "Send a test")).click()


def _in_both(swedish: str, english: str) -> re.Pattern[str]:
    return re.compile(f"^({re.escape(swedish)}|{re.escape(english)})$")


def walk_a_test_run(page: Page) -> None:
    """ "Testkör" the draft of Medborgarförslag to its receipt, in either language."""
    page.locator(".govuk-button--start").click()
    page.locator("button[value=next]").click()  # Personuppgifter: nothing required
    page.fill("[name=rubrik]", "Fler bänkar")
    page.fill("[name=beskrivning]", "Vid älven.")
    page.locator("button[value=next]").click()
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_administration_page_is_accessible_in_both_languages_at_both_widths(
    page: Page, live_server, axe, karin, julia, suggestion, cast, staff_login
):
    manage = "/handlaggare/administrera"
    eservice = f"{manage}/e-tjanster/{suggestion.pk}"
    form = f"{eservice}/formular"
    system = clients.create_client(
        by=backoffice.Actor(karin, None), name="Diariet", eservices=[suggestion],
        scopes=["read_cases", "write_status"],
    )  # fmt: skip
    clients.issue_token(system, by=backoffice.Actor(karin, None))
    webhook = clients.create_webhook(
        system, by=backoffice.Actor(karin, None), url="https://127.0.0.1:9/webhooks",
        event_types=["submitted"],
    )  # fmt: skip
    hook = f"{manage}/api-klienter/{system.pk}/webhooks/{webhook.pk}"
    as_karin = [
        Visit("backoffice:manage", f"{manage}/"),
        Visit("backoffice:manage_handlers", f"{manage}/handlaggare/"),
        Visit("backoffice:manage_handler_add", f"{manage}/handlaggare/ny/"),
        Visit("backoffice:manage_handler", f"{manage}/handlaggare/{julia.pk}/"),
        Visit("backoffice:manage_groups", f"{manage}/grupper/"),
        Visit("backoffice:manage_group_add", f"{manage}/grupper/ny/"),
        Visit("backoffice:manage_group", f"{manage}/grupper/{cast.group.pk}/"),
        Visit("backoffice:manage_eservices", f"{manage}/e-tjanster/"),
        Visit("backoffice:manage_eservice_add", f"{manage}/e-tjanster/ny/"),
        Visit("backoffice:manage_eservice", f"{eservice}/"),
        Visit("backoffice:manage_eservice_closing", f"{eservice}/stangning/"),
        Visit("backoffice:manage_eservice_changes", f"{eservice}/andringar/"),
        Visit("backoffice:manage_eservice_publish", f"{eservice}/publicera/"),
        Visit("backoffice:manage_eservice_versions", f"{eservice}/versioner/"),
        Visit("backoffice:manage_eservice_version", f"{eservice}/versioner/1/"),
        Visit("backoffice:manage_eservice_compare", f"{eservice}/jamfor/"),
        Visit(
            "backoffice:manage_eservice_copy_search", f"{manage}/e-tjanster/kopiera/?q=sommarjobb"
        ),
        Visit("backoffice:manage_eservice_copy", f"{manage}/e-tjanster/kopiera/sommarjobb/"),
        Visit("backoffice:manage_builder", f"{form}/"),
        Visit("backoffice:manage_builder_add_step", f"{form}/nytt-steg/"),
        Visit("backoffice:manage_builder_step", f"{form}/steg/forslag/"),
        Visit("backoffice:manage_builder_add_field", f"{form}/steg/forslag/nytt-falt/"),
        Visit("backoffice:manage_builder_field", f"{form}/falt/rubrik/"),
        Visit("backoffice:manage_builder_statuses", f"{form}/statusar/"),
        Visit("backoffice:manage_builder_texts", f"{form}/texter/"),
        Visit("backoffice:manage_builder_preview", f"{form}/forhandsvisning/forslag/"),
        Visit("backoffice:manage_builder_test", f"{form}/testkor/"),
        Visit("backoffice:manage_builder_test_step", f"{form}/testkor/steg/personuppgifter/"),
        Visit("backoffice:manage_builder_test_summary", f"{form}/testkor/granska/"),
        Visit("backoffice:manage_builder_test_receipt", f"{form}/testkor/", then=walk_a_test_run),
        Visit("backoffice:manage_reply_templates", f"{eservice}/svarsmallar/"),
        Visit("backoffice:manage_reply_template", f"{manage}/svarsmallar/{cast.template.pk}/"),
        Visit("backoffice:manage_eservice_notices", f"{eservice}/notiser/"),
        Visit("backoffice:manage_eservice_notice", f"{eservice}/notiser/case_submitted/"),
        Visit("backoffice:manage_eservice_retention", f"{eservice}/gallring/"),
        Visit("backoffice:manage_purge_log", f"{manage}/gallringslogg/"),
        Visit("backoffice:manage_access_log", f"{manage}/atkomstlogg/"),
        Visit("backoffice:manage_staff_changes", f"{manage}/atkomstlogg/behorigheter/"),
        Visit("api_clients:clients", f"{manage}/api-klienter/"),
        Visit("api_clients:client_add", f"{manage}/api-klienter/ny/"),
        Visit("api_clients:client", f"{manage}/api-klienter/{system.pk}/"),
        # The new token, shown once on the answer to "Skapa API-nyckel".
        Visit("api_clients:token_add", f"{manage}/api-klienter/{system.pk}/", then=new_token),
        Visit("api_clients:webhook_add", f"{manage}/api-klienter/{system.pk}/webhooks/ny/"),
        Visit("api_clients:webhook", f"{hook}/"),
        # The receiver's answer to "Skicka test" (none: nothing listens there).
        Visit("api_clients:webhook_test", f"{hook}/", then=send_test),
    ]
    assert names_of(as_karin) == set(ADMIN_PAGES)

    log_in_as_staff(page.context, live_server.url, karin, staff_login)
    failures = sweep(page, axe, live_server.url, as_karin)
    assert not failures, f"{len(failures)} failed:\n\n" + "\n\n".join(failures)


# --- The guard -------------------------------------------------------------------------------


def url_names(patterns, namespace: str = "") -> set[str]:
    """Every named URL under ``patterns``, as "namespace:name"."""
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            found |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return found


# Not marked like the sweeps: it needs neither a browser nor a database.
def test_the_sweep_opens_every_page_of_the_resident_site_and_the_back_office():
    swept = set(RESIDENT_PAGES) | set(HANDLER_PAGES) | set(ADMIN_PAGES)
    existing = {
        name
        for name in url_names(get_resolver().url_patterns)
        if name.split(":", 1)[0] in SWEPT_NAMESPACES
    }
    assert existing - swept - set(NOT_PAGES) == set(), (
        "pages the sweep does not open: add them to test_every_page.py, or to NOT_PAGES "
        "with the reason they are not pages"
    )
    assert (swept | set(NOT_PAGES)) - existing == set(), "names that are no longer URLs"
    assert swept & set(NOT_PAGES) == set(), "both opened and listed as not pages"

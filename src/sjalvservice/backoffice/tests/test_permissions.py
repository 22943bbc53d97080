"""Who may open what in the back office: every URL against every kind of person.

The matrix must name every back-office URL: a new URL without a row fails
``test_every_back_office_url_is_in_the_matrix``.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.models import HandlerGroup, ReplyTemplate
from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.core import uploads
from sjalvservice.reservations import services as reservations
from sjalvservice.reservations.models import Queue, Resource
from sjalvservice.reservations.tests.fixtures import in_two_days_at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Who asks: the assigned handler, a handler of the same municipality without the e-service,
# a handler of another municipality, the municipality administrator, a citizen, nobody.
ROLES = [
    "assigned",
    "unassigned",
    "other_municipality",
    "municipality_admin",
    "citizen",
    "anonymous",
]

# What they get: "ok" (the page or the action's own answer), "404", or "login"
# (sent to the staff login).
CASE_URL = {
    "assigned": "ok",
    "unassigned": "404",
    "other_municipality": "404",
    "municipality_admin": "ok",
    "citizen": "login",
    "anonymous": "login",
}
STAFF_PAGE = {**CASE_URL, "unassigned": "ok", "other_municipality": "ok"}
ADMIN_PAGE = {**CASE_URL, "assigned": "404", "unassigned": "404", "other_municipality": "404"}
PUBLIC = dict.fromkeys(ROLES, "ok")

# The login steps after the password send everyone without a pending password step back
# to the login page.
LOGIN_STEP = dict.fromkeys(ROLES, "login")

# URL name -> (method, how to build the arguments, expectations). Logging out comes last:
# it ends the session the other rows are checked with.
MATRIX = {
    "login": ("get", lambda objects: [], PUBLIC),
    "verify": ("get", lambda objects: [], LOGIN_STEP),
    "enrol": ("get", lambda objects: [], LOGIN_STEP),
    "inbox": ("get", lambda objects: [], STAFF_PAGE),
    "manage": ("get", lambda objects: [], ADMIN_PAGE),
    "case": ("get", lambda objects: [objects["case"].number], CASE_URL),
    "assign": ("post", lambda objects: [objects["case"].number], CASE_URL),
    "change_status": ("post", lambda objects: [objects["case"].number], CASE_URL),
    "send_message": ("post", lambda objects: [objects["case"].number], CASE_URL),
    "add_note": ("post", lambda objects: [objects["case"].number], CASE_URL),
    "case_pdf": ("get", lambda objects: [objects["case"].number], CASE_URL),
    "attachment": (
        "get",
        lambda objects: [objects["case"].number, objects["attachment"].pk],
        CASE_URL,
    ),
    "answer_file": ("get", lambda objects: [objects["case"].number, 1, 0], CASE_URL),
    "manage_handlers": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_handler_add": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_handler": ("get", lambda objects: [objects["handler"].pk], ADMIN_PAGE),
    "manage_handler_active": ("post", lambda objects: [objects["handler"].pk], ADMIN_PAGE),
    "manage_handler_reset_second_factor": (
        "post",
        lambda objects: [objects["handler"].pk],
        ADMIN_PAGE,
    ),
    "manage_groups": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_group_add": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_group": ("get", lambda objects: [objects["group"].pk], ADMIN_PAGE),
    "manage_eservices": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_eservice_publish": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_handler_role": ("post", lambda objects: [objects["handler"].pk], ADMIN_PAGE),
    "manage_eservice_add": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_eservice": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_closing": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_changes": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_versions": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_version": ("get", lambda objects: [objects["eservice"].pk, 1], ADMIN_PAGE),
    "manage_eservice_version_to_draft": (
        "post",
        lambda objects: [objects["eservice"].pk, 1],
        ADMIN_PAGE,
    ),
    "manage_eservice_compare": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_discard_draft": ("post", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_copy_search": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_eservice_copy": ("get", lambda objects: [objects["eservice"].slug], ADMIN_PAGE),
    "manage_builder": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_add_step": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_step": ("get", lambda objects: [objects["eservice"].pk, "forslag"], ADMIN_PAGE),
    "manage_builder_add_field": (
        "get",
        lambda objects: [objects["eservice"].pk, "forslag"],
        ADMIN_PAGE,
    ),
    "manage_builder_field": ("get", lambda objects: [objects["eservice"].pk, "rubrik"], ADMIN_PAGE),
    "manage_builder_statuses": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_texts": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_publish": ("post", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_preview": (
        "get",
        lambda objects: [objects["eservice"].pk, "forslag"],
        ADMIN_PAGE,
    ),
    "manage_builder_test": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_test_step": (
        "get",
        lambda objects: [objects["eservice"].pk, "personuppgifter"],
        ADMIN_PAGE,
    ),
    "manage_builder_test_summary": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_builder_test_receipt": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_access_log": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_staff_changes": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_purge_log": ("get", lambda objects: [], ADMIN_PAGE),
    "manage_eservice_retention": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_reply_templates": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_reply_template": ("get", lambda objects: [objects["template"].pk], ADMIN_PAGE),
    "manage_eservice_notices": ("get", lambda objects: [objects["eservice"].pk], ADMIN_PAGE),
    "manage_eservice_notice": (
        "get",
        lambda objects: [objects["eservice"].pk, "new_case"],
        ADMIN_PAGE,
    ),
    "notification_settings": ("get", lambda objects: [], STAFF_PAGE),
    "reservations": ("get", lambda objects: [], STAFF_PAGE),
    "queue": ("get", lambda objects: [objects["queue"].pk], CASE_URL),
    "queue_offer": ("post", lambda objects: [objects["queue"].pk], CASE_URL),
    "place_answer": ("post", lambda objects: [objects["place"].pk], CASE_URL),
    "resource": ("get", lambda objects: [objects["resource"].pk], CASE_URL),
    "booking_confirm": ("post", lambda objects: [objects["booking"].pk], CASE_URL),
    "booking_cancel": ("get", lambda objects: [objects["booking"].pk], CASE_URL),
    "logout": ("post", lambda objects: [], LOGIN_STEP),
}


def back_office_url_names():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["backoffice"][1]
    return {name for name in namespace.reverse_dict if isinstance(name, str)}


def test_every_back_office_url_is_in_the_matrix():
    assert back_office_url_names() == set(MATRIX)


@pytest.fixture
def objects(settings, tmp_path, suggestion, anna, julia):
    settings.MEDIA_ROOT = tmp_path
    key = storages["default"].save("cases/test/karta.pdf", ContentFile(PDF))
    answers = {
        **ANSWERS,
        "har_bilaga": "ja",
        "bilagor": [{"name": "karta.pdf", "size": len(PDF), "content_type": "application/pdf",
                     "key": key}],
    }  # fmt: skip
    case = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers=answers)
    accepted = uploads.Accepted(
        upload=SimpleUploadedFile("brev.pdf", PDF), name="brev.pdf", content_type="application/pdf"
    )
    message = services.send_message(case, by=anna, text="Här är brevet.", files=[accepted])
    handler = User.objects.create_user(
        "erik", "a-long-test-password", first_name="Erik", last_name="Ek",
        is_staff=True, municipality=suggestion.municipality,
    )  # fmt: skip
    group = HandlerGroup.objects.create(municipality=suggestion.municipality, name="Bygg")
    queue = Queue.objects.create(municipality=suggestion.municipality, name="Kolonilotter",
                                 slug="kolonilotter")  # fmt: skip
    resource = Resource.objects.create(
        municipality=suggestion.municipality, name="Möteslokal", slug="moteslokal",
        opens=datetime.time(8), closes=datetime.time(17), open_weekdays="1234567",
        confirm_at_once=False,
    )  # fmt: skip
    suggestion.queues.add(queue)
    suggestion.resources.add(resource)
    return {
        "case": case,
        "attachment": message.attachments.get(),
        "handler": handler,
        "group": group,
        "queue": queue,
        "place": reservations.join_queue(queue, anna),
        "resource": resource,
        "booking": reservations.book(resource, anna, in_two_days_at(9)),
        "eservice": suggestion,
        "template": ReplyTemplate.objects.create(
            eservice=suggestion, title="Mottaget", text="Vi har tagit emot ditt förslag."
        ),
    }


@pytest.fixture
def people(julia, cecilia, david, anna, skelleftea):
    admin = User.objects.create_user(
        "karin", "a-long-test-password", first_name="Karin", last_name="Admin",
        is_staff=True, municipality=skelleftea, is_municipality_admin=True,
    )  # fmt: skip
    return {
        "assigned": julia,
        "unassigned": cecilia,
        "other_municipality": david,
        "municipality_admin": admin,
        "citizen": anna,
        "anonymous": None,
    }


def outcome(response):
    login = reverse("backoffice:login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return "login"
    if response.status_code == 404:
        return "404"
    assert response.status_code in {200, 302, 400}, response.status_code
    return "ok"


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(client, staff_login, role, people, objects):
    person = people[role]
    if person is not None and person.is_staff:
        staff_login(client, person)
    elif person is not None:
        client.force_login(person)
    found = {}
    for name, (method, arguments, _expected) in MATRIX.items():
        url = reverse(f"backoffice:{name}", args=arguments(objects))
        if method == "post":
            response = client.post(url, {"version": objects["case"].version})
        else:
            response = client.get(url)
        found[name] = outcome(response)
    assert found == {name: expected[role] for name, (_m, _a, expected) in MATRIX.items()}


def test_an_unverified_staff_session_is_sent_to_the_login(client, julia, objects):
    client.force_login(julia)  # password only: no second factor
    response = client.get(reverse("backoffice:case", args=[objects["case"].number]))
    assert outcome(response) == "login"


def test_changing_the_status_of_a_case_not_yours_changes_nothing(
    client, staff_login, cecilia, objects
):
    staff_login(client, cecilia)
    closed = Status.objects.default_for(StatusKind.CLOSED)
    case = objects["case"]
    url = reverse("backoffice:change_status", args=[case.number])
    assert client.post(url, {"version": case.version, "status": closed.pk}).status_code == 404
    case.refresh_from_db()
    assert case.status.kind == StatusKind.SUBMITTED

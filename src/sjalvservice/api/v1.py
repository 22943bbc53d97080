"""The integration API, version 1: cases, their changes and the event feed, for the
municipality's case-management systems.

Every change goes through the same ``cases.services`` functions as the back office, made
as the client's system account, so the case's history names the system as "Person" and
the citizen is told as after a handler's change. Every read of personal data is written
to the access log in the system's name.
"""

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import override
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from pydantic import Field

from sjalvservice.accounts.models import User
from sjalvservice.api import feed
from sjalvservice.api.access import (
    NOT_FOUND,
    cases_for,
    client_of,
    eservice_ids,
    get_case_for_client,
    log_read,
    require,
)
from sjalvservice.api.auth import BearerToken, RateLimited
from sjalvservice.api.idempotency import idempotent
from sjalvservice.api.models import Scope
from sjalvservice.api.schemas import (
    TEXT,
    AcknowledgeIn,
    CaseOut,
    CasePage,
    Error,
    EventPage,
    HandlerIn,
    MessageOut,
    NoteOut,
    StatusesOut,
    StatusIn,
    SystemReferenceIn,
    SystemReferenceOut,
    TextIn,
)
from sjalvservice.cases import runner, services
from sjalvservice.cases.access import get_attachment, get_revision
from sjalvservice.cases.models import (
    TEXT_LIMIT,
    Attachment,
    Case,
    CaseEvent,
    Message,
    Status,
    SystemReference,
)
from sjalvservice.core import uploads
from sjalvservice.core.keyset import cursor_text, parse_cursor
from sjalvservice.core.models import AccessLog
from sjalvservice.eservices.definitions import StatusKind
from sjalvservice.eservices.definitions.conditions import drop_hidden, visible_fields, visible_steps
from sjalvservice.eservices.definitions.fields import FIELD_TYPES
from sjalvservice.eservices.definitions.fields.files import answer_files
from sjalvservice.eservices.models import EService

DESCRIPTION = """\
For the municipality's case-management systems (diarium, bygglov, environment): take the
submitted cases, set their status, write to the citizen and follow every event.

**Authentication.** `Authorization: Bearer sjs_…` with a token made by a municipality
administrator under *Administrera > API-klienter*. A client sees only its municipality's
cases of the e-services it was given (others are 404), and may do only what its scopes
allow (else 403). A wrong or revoked token gets 401.

**Writes** take an `Idempotency-Key` header: the same key again is answered as the first
time and changes nothing. Send the case's `version` as `If-Match` to be told (409) when
someone changed the case since you read it.

**Rate limit.** Too many calls in a minute get 429 with `Retry-After` in seconds.
"""

api = NinjaAPI(
    title="Självservice integration API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=BearerToken(),
    docs_url=None,
)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
ERRORS: dict[int, type[Schema]] = {
    400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error,
}  # fmt: skip
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 409: Error, 415: Error}


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, error: RateLimited) -> HttpResponseBase:
    response = api.create_response(request, {"detail": "Too many requests."}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(services.StaleCase)
def stale(request: HttpRequest, error: Exception) -> HttpResponseBase:
    return api.create_response(
        request, {"detail": "The case was changed since that version; read it again."}, status=409
    )


@api.exception_handler(services.CaseNotEditable)
def not_editable(request: HttpRequest, error: Exception) -> HttpResponseBase:
    return api.create_response(request, {"detail": "The case cannot be changed."}, status=409)


# Reading ---------------------------------------------------------------------------------


class CaseFilters(Schema):
    eservice: int | None = Field(default=None, ge=1, le=2**63 - 1)
    status_kind: StatusKind | None = None
    status: str | None = Field(
        default=None, max_length=100, pattern=TEXT, description="A status's name."
    )
    submitted_since: Any = Field(default=None, description="ISO 8601 date and time.")
    updated_since: Any = Field(default=None, description="ISO 8601 date and time.")
    after: str | None = Field(default=None, max_length=100, description="The page's cursor.")
    limit: int = Field(default=PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


@api.get("/cases", response={200: CasePage, **ERRORS}, tags=["Cases"])
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The client's cases, the latest changed first, a page at a time."""
    client = require(request, Scope.READ_CASES)
    cases = cases_for(client)
    if filters.eservice is not None:
        cases = cases.filter(eservice_id=filters.eservice)
    if filters.status_kind is not None:
        cases = cases.filter(status_kind=filters.status_kind)
    if filters.status:
        cases = cases.filter(Q(status__name=filters.status) | Q(status__name_en=filters.status))
    for name, column in (("submitted_since", "submitted_at"), ("updated_since", "last_event_at")):
        value = getattr(filters, name)
        if value is not None:
            cases = cases.filter(**{f"{column}__gte": _moment(name, value)})
    if filters.after:
        cursor = parse_cursor(filters.after)
        if cursor is None:
            raise HttpError(400, "The cursor is not one this API gave.")
        moment, pk = cursor
        cases = cases.filter(Q(last_event_at__lt=moment) | Q(last_event_at=moment, pk__lt=pk))
    page = list(
        cases.select_related("eservice", "status")
        .only(
            "number", "submitted_at", "last_event_at", "version", "eservice__slug",
            "eservice__title", "status__name", "status__name_en", "status__kind",
        )
        .order_by("-last_event_at", "-pk")[: filters.limit + 1]
    )  # fmt: skip
    more = len(page) > filters.limit
    page = page[: filters.limit]
    last = page[-1] if page and more else None
    return {
        "items": [_summary(case) for case in page],
        "next": cursor_text(last.last_event_at, last.pk) if last and last.last_event_at else None,
    }


def _moment(name: str, value: Any) -> Any:
    from django.utils.dateparse import parse_datetime

    try:
        parsed = parse_datetime(str(value))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise HttpError(400, f"{name} is a date and time with its offset, as ISO 8601.")
    return parsed


@api.get("/cases/by-system-id", response={200: CaseOut, **ERRORS}, tags=["Cases"])
def case_by_system_id(
    request: HttpRequest,
    system: str = Query(..., max_length=100, pattern=TEXT),
    id: str = Query(..., max_length=100, pattern=TEXT),
) -> dict[str, Any]:
    """The case a system knows by its own id (as set with `PUT /cases/{number}/system-id`)."""
    client = client_of(request)
    number = (
        SystemReference.objects.filter(system=system, identifier=id, case__in=cases_for(client))
        .values_list("case__number", flat=True)
        .first()
    )
    if number is None:
        raise HttpError(404, NOT_FOUND)
    return get_case(request, number)


@api.get("/cases/{number}", response={200: CaseOut, **ERRORS}, tags=["Cases"])
def get_case(request: HttpRequest, number: int) -> dict[str, Any]:
    """One case: who sent it, the answers of every revision, its events, messages and notes."""
    case = get_case_for_client(request, number, Scope.READ_CASES)
    log_read(request, case, AccessLog.Action.CASE)
    return _case_out(case)


def _status(status: Status) -> dict[str, Any]:
    return {"id": status.pk, "name": status.name, "name_en": status.name_en, "kind": status.kind}


def _summary(case: Case) -> dict[str, Any]:
    eservice = case.eservice
    return {
        "number": case.number,
        "eservice": {"id": eservice.pk, "slug": eservice.slug, "title": eservice.title},
        "status": _status(case.status),
        "submitted_at": case.submitted_at,
        "last_event_at": case.last_event_at,
        "version": case.version,
    }


def _case_out(case: Case) -> dict[str, Any]:
    """Everything about the case, as `CaseOut`."""
    number = case.number
    assert number is not None
    owner = case.owner
    citizen = None
    if owner is not None:
        profile = getattr(owner, "profile", None)
        citizen = {
            "personal_identity_number": owner.personal_identity_number,
            "first_name": owner.first_name,
            "last_name": owner.last_name,
            "email": profile.notification_email if profile else owner.email,
            "mobile": profile.notification_mobile if profile else "",
        }
    with override(settings.LANGUAGE_CODE):
        definition = runner.definition_of(case)
    revisions = list(case.revisions.order_by("number"))
    messages = case.messages.prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    ).order_by("created_at", "pk")
    return {
        **_summary(case),
        "reference": str(case.reference),
        "title": case.title,
        "municipality": case.municipality.name,
        "handler": case.handler.display_name if case.handler_id and case.handler else None,
        "citizen": citizen,
        "system_references": [
            _reference_out(reference) for reference in case.system_references.all()
        ],
        "revisions": [
            {
                "number": revision.number,
                "created_at": revision.created_at,
                "pdf_url": reverse("api:revision_pdf", args=[number, revision.number]),
                "answers": _answers(definition, number, revision.number, revision.answers),
            }
            for revision in revisions
        ],
        "events": [_event_out(event) for event in case.events.select_related("status")],
        "messages": [_message_out(message, number) for message in messages],
        "notes": [
            {
                "id": note.pk,
                "author": note.author_name,
                "text": note.text,
                "created_at": note.created_at,
            }
            for note in case.notes.order_by("created_at", "pk")
        ],
    }


def _answers(
    definition: Any, number: int, version: int, answers: dict[str, Any]
) -> list[dict[str, Any]]:
    """Every visible field that takes input, in the form's order: key, label, type, value
    (``FieldType.export``), the text the PDF shows, and the files of a file field with
    their download links (numbered as ``answer_files`` numbers them)."""
    shown = drop_hidden(definition, answers)
    rows = []
    files_at: dict[str, list[dict[str, Any]]] = {}
    for index, (file_field, item) in enumerate(answer_files(definition, answers)):
        files_at.setdefault(file_field.key, []).append(
            {
                "name": item.get("name") or "fil",
                "size": int(item.get("size") or 0),
                "content_type": item.get("content_type") or "",
                "url": reverse("api:answer_file", args=[number, version, index]),
            }
        )
    for step in visible_steps(definition, shown):
        for field in visible_fields(step, shown):
            field_type = FIELD_TYPES[field.type]
            if not field_type.takes_input:
                continue
            files = files_at.get(field.key, [])
            answer = shown.get(field.key)
            rows.append(
                {
                    "step": step.key,
                    "key": field.key,
                    "label": field.label,
                    "type": field.type,
                    "value": [file["name"] for file in files]
                    if files
                    else field_type.export(field, answer),
                    "display": field_type.display(field, answer),
                    "files": files,
                }
            )
    return rows


def _reference_out(reference: SystemReference) -> dict[str, Any]:
    return {
        "system": reference.system,
        "id": reference.identifier,
        "acknowledged_at": reference.acknowledged_at,
    }


def _event_out(event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "type": event.kind,
        "status": _status(event.status),
        "person": event.person_name,
        "details": event.details,
        "created_at": event.created_at,
    }


def _message_out(message: Message, number: int) -> dict[str, Any]:
    return {
        "id": message.pk,
        "direction": message.direction,
        "sender": message.sender_name,
        "text": message.text,
        "created_at": message.created_at,
        "read_at": message.read_at,
        "attachments": [
            {
                "name": attachment.name,
                "size": attachment.size,
                "content_type": attachment.content_type,
                "url": reverse("api:attachment", args=[number, attachment.pk]),
            }
            for attachment in message.attachments.all()
        ],
    }


@api.get(
    "/cases/{number}/revisions/{version}/pdf",
    response={200: None, **ERRORS},
    url_name="revision_pdf",
    tags=["Files"],
    openapi_extra={
        "responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}
    },
)
def revision_pdf(request: HttpRequest, number: int, version: int) -> HttpResponseBase:
    """The PDF of one revision of the case, as the citizen sent it."""
    from sjalvservice.cases.pdf import pdf_response

    case = get_case_for_client(request, number, Scope.READ_CASES)
    revision = get_revision(case, version)
    log_read(request, case, AccessLog.Action.PDF, f"version {revision.number}")
    return pdf_response(revision)


@api.get(
    "/cases/{number}/revisions/{version}/files/{index}",
    response={200: None, **ERRORS},
    url_name="answer_file",
    tags=["Files"],
    openapi_extra={
        "responses": {200: {"description": "The file", "content": {"application/octet-stream": {}}}}
    },
)
def answer_file(request: HttpRequest, number: int, version: int, index: int) -> HttpResponseBase:
    """A file attached in one of the e-service's file fields (`files[].url` of an answer)."""
    from sjalvservice.cases.downloads import file_response

    case = get_case_for_client(request, number, Scope.READ_CASES)
    revision = get_revision(case, version)
    files = answer_files(runner.definition_of(case), revision.answers)
    if not 0 <= index < len(files) or not storages["default"].exists(files[index][1]["key"]):
        raise HttpError(404, NOT_FOUND)
    stored = files[index][1]
    log_read(request, case, AccessLog.Action.ATTACHMENT, f"version {version} fil {index + 1}")
    return file_response(stored["key"], stored.get("name") or "fil", stored.get("content_type", ""))


@api.get(
    "/cases/{number}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="attachment",
    tags=["Files"],
    openapi_extra={
        "responses": {200: {"description": "The file", "content": {"application/octet-stream": {}}}}
    },
)
def attachment(request: HttpRequest, number: int, attachment_id: int) -> HttpResponseBase:
    """A file sent with a message (`messages[].attachments[].url`)."""
    from sjalvservice.cases.downloads import attachment_response

    case = get_case_for_client(request, number, Scope.READ_CASES)
    if not 0 < attachment_id < 2**63:
        raise HttpError(404, NOT_FOUND)
    found = get_attachment(case, attachment_id)
    log_read(request, case, AccessLog.Action.ATTACHMENT, f"bifogad fil {found.pk}")
    return attachment_response(found)


@api.get("/eservices/{eservice_id}/statuses", response={200: StatusesOut, **ERRORS}, tags=["Cases"])
def eservice_statuses(request: HttpRequest, eservice_id: int) -> dict[str, Any]:
    """The statuses a case of the e-service can be given (those of its current version)."""
    client = require(request, Scope.READ_CASES)
    eservice = (
        EService.objects.filter(pk=eservice_id, pk__in=eservice_ids(client)).first()
        if 0 < eservice_id < 2**63
        else None
    )
    if eservice is None:
        raise HttpError(404, NOT_FOUND)
    version = eservice.current_version
    # What a new case of the e-service could be given: its version's statuses.
    statuses = (
        services.statuses_for(
            Case(
                eservice=eservice, eservice_version=version, municipality_id=client.municipality_id
            )
        )
        if version is not None
        else []
    )
    return {
        "eservice": {"id": eservice.pk, "slug": eservice.slug, "title": eservice.title},
        "statuses": [_status(status) for status in statuses],
    }


# Changing --------------------------------------------------------------------------------


def _expected_version(request: HttpRequest) -> int | None:
    """The case version of ``If-Match`` (``"7"`` or ``7``), if one was sent."""
    value = request.headers.get("If-Match")
    if value is None:
        return None
    value = value.strip().removeprefix("W/").strip('"')
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise HttpError(400, "If-Match is the case's version, as the case gave it.")
    return int(value)


def _changed(case: Case) -> tuple[int, dict[str, Any]]:
    fresh = Case.objects.select_related(
        "eservice", "eservice_version", "municipality", "status", "owner", "handler"
    ).get(pk=case.pk)
    return 200, CaseOut.model_validate(_case_out(fresh)).model_dump(mode="json")


def _system(request: HttpRequest) -> User:
    return client_of(request).user


@api.post("/cases/{number}/status", response={200: CaseOut, **WRITE_ERRORS}, tags=["Changes"])
@idempotent
def set_status(request: HttpRequest, number: int, body: StatusIn) -> tuple[int, dict[str, Any]]:
    """Give the case a status of its e-service, by id or by name or kind; "Väntar på
    komplettering" needs the message that tells the citizen what to supplement."""
    case = get_case_for_client(request, number, Scope.WRITE_STATUS)
    status = _find_status(case, body)
    try:
        services.set_status(
            case,
            status=status,
            by=_system(request),
            message=body.message,
            expected_version=_expected_version(request),
        )
    except services.MessageRequired:
        raise HttpError(422, "This status needs a message to the citizen.") from None
    except services.StatusNotAllowed:
        raise HttpError(422, "The case cannot be given that status.") from None
    return _changed(case)


def _find_status(case: Case, body: StatusIn) -> Status:
    allowed = services.statuses_for(case)
    if body.status_id is not None:
        found = [status for status in allowed if status.pk == body.status_id]
    elif body.status:
        wanted = body.status.strip().casefold()
        found = [
            status
            for status in allowed
            if wanted in (status.name.casefold(), status.name_en.casefold())
        ] or [status for status in allowed if status.kind.casefold() == wanted]
    else:
        raise HttpError(422, "Give status_id or status.")
    if len(found) != 1:
        raise HttpError(422, "The e-service has no such status (or several of that kind).")
    return found[0]


MESSAGE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": TextIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string", "minLength": 1},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        },
    }
}


@api.post(
    "/cases/{number}/messages",
    response={201: MessageOut, **WRITE_ERRORS, 413: Error},
    tags=["Changes"],
    openapi_extra=MESSAGE_BODY,
)
def send_message(request: HttpRequest, number: int) -> HttpResponseBase:
    """A message to the citizen, shown on Mina sidor and notified as they chose; as JSON
    `{"text": …}`, or as multipart with `text` and up to 10 `files` of at most 50 MB."""
    if request.content_type == "multipart/form-data":
        uploads.install_cap(
            request, limit=uploads.max_size(), max_files=settings.ATTACHMENT_MAX_FILES
        )
    return _send_message(request, number)


@idempotent
def _send_message(request: HttpRequest, number: int) -> tuple[int, dict[str, Any]]:
    case = get_case_for_client(request, number, Scope.WRITE_MESSAGES)
    text, files = _message_input(request)
    accepted, problems = uploads.attachment_problems(files)
    if problems:
        raise HttpError(422, " ".join(problems))
    message = services.send_message(
        case,
        by=_system(request),
        text=text,
        files=accepted,
        token=uuid.uuid4(),
        expected_version=_expected_version(request),
    )
    return 201, MessageOut.model_validate(_message_out(message, case.number or 0)).model_dump(
        mode="json"
    )


def _message_input(request: HttpRequest) -> tuple[str, list[Any]]:
    import json

    if request.content_type == "multipart/form-data":
        # Reading the form streams the files in, through the cap: then it is known whether
        # one was too large.
        text: Any = request.POST.get("text", "")
        files = request.FILES.getlist("files")
        refused = uploads.refused_upload(request)
        if refused:
            raise HttpError(413, f"The file {uploads.safe_name(refused)} is too large.")
    elif request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except ValueError:
            raise HttpError(400, "The body is not JSON.") from None
        text = data.get("text") if isinstance(data, dict) else None
        files = []
    else:
        raise HttpError(415, "Send JSON or multipart/form-data.")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_LIMIT or "\x00" in text:
        raise HttpError(422, f"text is 1 to {TEXT_LIMIT} characters.")
    return text, files


@api.post("/cases/{number}/notes", response={201: NoteOut, **WRITE_ERRORS}, tags=["Changes"])
@idempotent
def add_note(request: HttpRequest, number: int, body: TextIn) -> tuple[int, dict[str, Any]]:
    """An internal note: for handlers only, never shown to the citizen."""
    case = get_case_for_client(request, number, Scope.WRITE_MESSAGES)
    if not body.text.strip():
        raise HttpError(422, f"text is 1 to {TEXT_LIMIT} characters.")
    note = services.add_note(case, by=_system(request), text=body.text, token=uuid.uuid4())
    note_out = {
        "id": note.pk,
        "author": note.author_name,
        "text": note.text,
        "created_at": note.created_at,
    }
    return 201, NoteOut.model_validate(note_out).model_dump(mode="json")


@api.put("/cases/{number}/handler", response={200: CaseOut, **WRITE_ERRORS}, tags=["Changes"])
@idempotent
def assign(request: HttpRequest, number: int, body: HandlerIn) -> tuple[int, dict[str, Any]]:
    """Assign the case to a handler of its e-service, by username (null: to nobody)."""
    from sjalvservice.backoffice.access import colleagues_for

    case = get_case_for_client(request, number, Scope.WRITE_STATUS)
    handler = None
    if body.username is not None:
        handler = colleagues_for(case).filter(username=body.username).first()
        if handler is None:
            raise HttpError(422, "No handler of the case's e-service has that username.")
    services.assign(
        case, handler=handler, by=_system(request), expected_version=_expected_version(request)
    )
    return _changed(case)


@api.put(
    "/cases/{number}/system-id",
    response={200: SystemReferenceOut, **WRITE_ERRORS},
    tags=["Changes"],
)
@idempotent
def set_system_id(
    request: HttpRequest, number: int, body: SystemReferenceIn
) -> tuple[int, dict[str, Any]]:
    """What the system calls the case (its diarienummer); shown to handlers."""
    case = get_case_for_client(request, number, Scope.WRITE_STATUS)
    reference = services.set_system_reference(case, system=body.system, identifier=body.id)
    return 200, SystemReferenceOut.model_validate(_reference_out(reference)).model_dump(mode="json")


@api.post(
    "/cases/{number}/acknowledge",
    response={200: SystemReferenceOut, **WRITE_ERRORS},
    tags=["Changes"],
)
@idempotent
def acknowledge(
    request: HttpRequest, number: int, body: AcknowledgeIn
) -> tuple[int, dict[str, Any]]:
    """The system has taken the case (delivery acknowledged); handlers see when. Send
    `{"system": …}` as with `system-id`, or `{}` for the client's own name."""
    case = get_case_for_client(request, number, Scope.WRITE_STATUS)
    system = body.system or client_of(request).name
    reference = services.acknowledge_delivery(case, system=system)
    return 200, SystemReferenceOut.model_validate(_reference_out(reference)).model_dump(mode="json")


# The event feed --------------------------------------------------------------------------


@api.get("/events", response={200: EventPage, **ERRORS}, tags=["Events"])
def events(
    request: HttpRequest,
    after: str | None = Query(None, max_length=40, description="The cursor to read on from."),
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
) -> dict[str, Any]:
    """Every event of the client's cases, oldest first. Keep the `next` cursor and ask
    again with it: a reader that does so never misses an event, nor sees one twice."""
    client = require(request, Scope.READ_CASES)
    cursor = feed.parse_cursor(after)
    if cursor is None:
        raise HttpError(400, "The cursor is not one this API gave.")
    page = list(feed.events_after(client, cursor, limit))
    return {
        "items": [
            {
                **_event_out(event),
                "cursor": feed.cursor_text(event),
                "case_number": event.case.number,
                "eservice_id": event.case.eservice_id,
            }
            for event in page
        ],
        "next": feed.cursor_text(page[-1]) if page else (after or "0.0"),
    }

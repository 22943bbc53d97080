"""The shapes of the API's requests and answers, as the OpenAPI document shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from sjalvservice.cases.models import TEXT_LIMIT, CaseEvent
from sjalvservice.eservices.definitions import StatusKind

# What a text the API takes may hold: anything but NUL, which no database column keeps.
TEXT = r"^[^\x00]*$"

Kind = Literal[tuple(StatusKind.values)]  # type: ignore[valid-type]
EventType = Literal[tuple(CaseEvent.Kind.values)]  # type: ignore[valid-type]


class Error(Schema):
    detail: str | list[dict[str, Any]] = Field(
        examples=["Not found."],
        description="What was wrong; for a request that does not fit the document (422), "
        "a list of the problems, each with its place (`loc`) and message (`msg`).",
    )


class EServiceOut(Schema):
    id: int
    slug: str
    title: str


class StatusOut(Schema):
    id: int
    name: str = Field(examples=["Under behandling"])
    name_en: str = Field(examples=["In progress"])
    kind: Kind  # type: ignore[valid-type]


class SystemReferenceOut(Schema):
    system: str = Field(examples=["Ciceron"])
    id: str = Field(examples=["BN 2026-000123"])
    acknowledged_at: datetime | None


class CaseSummary(Schema):
    """A case as the list shows it: no personal data."""

    number: int = Field(examples=[1042])
    eservice: EServiceOut
    status: StatusOut
    submitted_at: datetime | None
    last_event_at: datetime | None
    version: int = Field(description="Changes with every change; send it as If-Match.")


class CasePage(Schema):
    items: list[CaseSummary]
    next: str | None = Field(description="The cursor of the next page (`after`), if any.")


class PersonOut(Schema):
    personal_identity_number: str | None = Field(examples=["197001011239"])
    first_name: str
    last_name: str
    email: str
    mobile: str


class FileOut(Schema):
    name: str = Field(examples=["ritning.pdf"])
    size: int
    content_type: str = Field(examples=["application/pdf"])
    url: str = Field(description="Download it with the same token.")


class AnswerOut(Schema):
    step: str
    key: str = Field(examples=["address"])
    label: str = Field(examples=["Adress"])
    type: str = Field(examples=["address"])
    value: Any = Field(description="By type: text, number, {value, label} for choices, ...")
    display: str = Field(description="The answer as the PDF shows it.")
    files: list[FileOut] = Field(description="The files of a file field, else empty.")


class RevisionOut(Schema):
    number: int = Field(description="1 when submitted, one more at each supplement.")
    created_at: datetime
    pdf_url: str
    answers: list[AnswerOut]


class EventOut(Schema):
    id: int
    type: EventType  # type: ignore[valid-type]
    status: StatusOut
    person: str = Field(description="Who: the citizen, a handler or a system, by name.")
    details: str
    created_at: datetime


class MessageOut(Schema):
    id: int
    direction: Literal["to_citizen", "from_citizen"]
    sender: str
    text: str
    created_at: datetime
    read_at: datetime | None
    attachments: list[FileOut]


class NoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime


class CaseOut(CaseSummary):
    reference: str = Field(description="The case's UUID.")
    title: str
    municipality: str
    handler: str | None
    citizen: PersonOut | None
    system_references: list[SystemReferenceOut]
    revisions: list[RevisionOut]
    events: list[EventOut]
    messages: list[MessageOut]
    notes: list[NoteOut]


class StatusIn(Schema):
    status_id: int | None = None
    status: str | None = Field(
        default=None,
        max_length=100,
        pattern=TEXT,
        description="A status of the e-service by name (Swedish or English) or by kind.",
        examples=["Under behandling", "IN_PROGRESS"],
    )
    message: str = Field(
        default="",
        max_length=TEXT_LIMIT,
        pattern=TEXT,
        description='To the citizen; required for a status of kind "AWAITING_SUPPLEMENT".',
    )


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=TEXT_LIMIT, pattern=TEXT)


class HandlerIn(Schema):
    username: str | None = Field(
        default=None,
        max_length=150,
        pattern=TEXT,
        description="A handler of the e-service; null: nobody.",
    )


class SystemReferenceIn(Schema):
    system: str = Field(min_length=1, max_length=100, pattern=TEXT, examples=["Ciceron"])
    id: str = Field(min_length=1, max_length=100, pattern=TEXT, examples=["BN 2026-000123"])


class AcknowledgeIn(Schema):
    system: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=TEXT,
        description="The system that took the case; the client's name if left out.",
    )  # fmt: skip


class FeedEventOut(EventOut):
    cursor: str = Field(description="Give it as `after` to read on from this event.")
    case_number: int
    eservice_id: int


class EventPage(Schema):
    items: list[FeedEventOut]
    next: str = Field(
        description="The cursor to read on from: after the last event, or the one given."
    )


class StatusesOut(Schema):
    eservice: EServiceOut
    statuses: list[StatusOut]

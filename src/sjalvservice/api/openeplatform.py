"""Open ePlatform's read paths, so that a region replacing it keeps its integrations.

The paths municipalities call on Open ePlatform today, answered in its XML shape
(ISO-8859-1, characters outside it as references) and mapped onto our cases, behind the
same clients, tokens and scopes as the JSON API: HTTP Basic auth with the client's token
as the password (the user name is not checked). What maps to what:

- a flow family (``familyID``) is an e-service (``EService.pk``), a flow (``FlowID``) one of
  its published versions (``EServiceVersion.pk``, ``Version`` its number);
- a flow instance (``flowInstanceID``) is a case, by its case number;
- a status is the case's status (``statusID`` its pk), its ``contentType`` from its kind;
- each query of ``Values`` is a field of the form, as an element named by the field's key
  with ``QueryID`` (its place in the form, from 1), ``Name`` (its label), ``Value`` (the
  answer as the PDF shows it) and a ``File`` per attached file.

``GET /api/instanceapi/getinstance/{id}/xsd`` is the schema the instance's XML validates
against: Open ePlatform's header and that version's queries.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import re
import xml.etree.ElementTree as ET  # we write XML here and parse none
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import override
from django.views.decorators.http import require_safe

from sjalvservice.api import tokens
from sjalvservice.api.access import cases_for, eservice_ids, find_case, log_read
from sjalvservice.api.auth import RateLimited, admit
from sjalvservice.api.models import ApiClient, ApiToken, Scope
from sjalvservice.cases import runner
from sjalvservice.cases.access import get_attachment, get_revision
from sjalvservice.cases.models import Attachment, Case, Message
from sjalvservice.core.models import AccessLog
from sjalvservice.eservices.definitions import StatusKind
from sjalvservice.eservices.definitions.conditions import drop_hidden, visible_fields, visible_steps
from sjalvservice.eservices.definitions.fields import FIELD_TYPES
from sjalvservice.eservices.definitions.fields.files import FileSpec, answer_files, stored_files
from sjalvservice.eservices.definitions.schema import Definition

NAMESPACE = "http://www.oeplatform.org/version/2.0/schemas/flowinstance"
ENCODING = "ISO-8859-1"
# A list answers at most this many instances: a longer one asks for a narrower window.
MAX_INSTANCES = 1000

# Open ePlatform's content type of each of our kinds of status.
CONTENT_TYPES = {
    StatusKind.SUBMITTED: "SUBMITTED",
    StatusKind.IN_PROGRESS: "IN_PROGRESS",
    StatusKind.AWAITING_SUPPLEMENT: "WAITING_FOR_COMPLETION",
    StatusKind.SUPPLEMENTED: "SUBMITTED",
    StatusKind.CLOSED: "ARCHIVED",
    StatusKind.DRAFT: "NEW",
}


# Answers ---------------------------------------------------------------------------------


def _xml(root: ET.Element, status: int = 200) -> HttpResponse:
    body = ET.tostring(root, encoding=ENCODING, xml_declaration=True)
    response = HttpResponse(body, status=status, content_type=f"text/xml; charset={ENCODING}")
    response["Cache-Control"] = "private, no-store"
    return response


def _unauthorised() -> HttpResponse:
    response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Basic realm="Sjalvservice", charset="UTF-8"'
    return response


def _token_of(request: HttpRequest) -> ApiToken | None:
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    _user, _colon, password = decoded.partition(":")
    return tokens.authenticate(password)


def _client_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A GET for a client holding ``read_cases``, authenticated by Basic auth."""

    @functools.wraps(view)
    @require_safe
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            token = admit(request, _token_of(request))
        except RateLimited as limited:
            response = HttpResponse("Too many requests", status=429, content_type="text/plain")
            response["Retry-After"] = str(limited.retry_after)
            return response
        if token is None:
            return _unauthorised()
        request.auth = token  # type: ignore[attr-defined]
        if not token.client.may(Scope.READ_CASES):
            return HttpResponse("Forbidden", status=403, content_type="text/plain")
        return view(request, token.client, *args, **kwargs)

    return wrapped


def _case(client: ApiClient, number: int) -> Case:
    case = find_case(client, number)
    if case is None:
        raise Http404
    return case


def _text(parent: ET.Element, tag: str, value: Any) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def _minutes(moment: dt.datetime | None) -> str:
    """Open ePlatform's list time: local, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _milliseconds(moment: dt.datetime | None) -> str:
    return str(int(moment.timestamp() * 1000)) if moment else ""


def _stamp(moment: dt.datetime | None) -> str:
    """xs:dateTime, local time with its offset."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat() if moment else ""


def _user(parent: ET.Element, tag: str, case: Case) -> None:
    owner = case.owner
    if owner is None:
        return
    user = ET.SubElement(parent, tag)
    _text(user, "userID", owner.pk)
    _text(user, "firstname", owner.first_name)
    _text(user, "lastname", owner.last_name)
    _text(user, "email", owner.email)
    _text(user, "citizenIdentifier", owner.personal_identity_number or "")


# The instance API ------------------------------------------------------------------------


def _window(request: HttpRequest) -> tuple[dt.date | None, dt.date | None] | None:
    """``fromDate`` and ``toDate`` (YYYY-MM-DD), either may be left out; None if malformed."""
    found = []
    for name in ("fromDate", "toDate"):
        value = request.GET.get(name, "")
        try:
            day = parse_date(value) if value else None
        except ValueError:
            return None
        if value and day is None:
            return None
        found.append(day)
    return found[0], found[1]


@_client_view
def instances(
    request: HttpRequest, client: ApiClient, family_id: int, status: str = ""
) -> HttpResponseBase:
    """``getinstances/family/{familyID}[/{status}]?fromDate&toDate``: the e-service's cases
    submitted in the window (dates inclusive), with a status of that name if one is given."""
    if not 0 < family_id < 2**63 or family_id not in eservice_ids(client) or "\x00" in status:
        raise Http404  # (PostgreSQL keeps no NUL: no status has one in its name)
    window = _window(request)
    if window is None:
        return HttpResponse("fromDate and toDate are dates: YYYY-MM-DD", status=400)
    found = cases_for(client).filter(eservice_id=family_id)
    if status:
        found = found.filter(status__name=status)
    start, end = window
    zone = timezone.get_current_timezone()
    if start:
        found = found.filter(submitted_at__gte=dt.datetime.combine(start, dt.time(), zone))
    if end:
        after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        found = found.filter(submitted_at__lt=after)
    page = list(
        found.select_related("owner")
        .only(
            "number", "created_at", "submitted_at", "last_event_at", "eservice_id",
            "owner__first_name", "owner__last_name", "owner__email",
            "owner__personal_identity_number",
        )
        .order_by("submitted_at", "pk")[: MAX_INSTANCES + 1]
    )  # fmt: skip
    if len(page) > MAX_INSTANCES:
        return HttpResponse(
            f"More than {MAX_INSTANCES} instances: ask for a narrower window.", status=400
        )
    root = ET.Element("FlowInstances")
    for case in page:
        item = ET.SubElement(root, "FlowInstance")
        _text(item, "flowInstanceID", case.number)
        _text(item, "added", _minutes(case.submitted_at))
        _text(item, "firstSubmitted", _minutes(case.submitted_at))
        _text(item, "lastStatusChange", _minutes(case.last_event_at))
        _text(item, "lastEventAdded", _minutes(case.last_event_at))
        _text(item, "addedInMilliseconds", _milliseconds(case.submitted_at))
        _text(item, "firstSubmittedInMilliseconds", _milliseconds(case.submitted_at))
        _text(item, "lastStatusChangeInMilliseconds", _milliseconds(case.last_event_at))
        if case.owner_id is not None:
            poster = ET.SubElement(item, "poster")
            _user(poster, "user", case)
        _text(item, "flowFamilyID", case.eservice_id)
    return _xml(root)


def element_name(key: str) -> str:
    """A field's key as an XML element name (keys are slugs; one may begin with a digit)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", key)
    return name if re.match(r"[A-Za-z_]", name) else f"q_{name}"


def _queries(definition: Definition) -> list[tuple[int, Any]]:
    """Every field that takes input, numbered from 1 in the form's order (``QueryID``)."""
    fields = [
        field
        for step in definition.steps
        for field in step.fields
        if FIELD_TYPES[field.type].takes_input
    ]
    return list(enumerate(fields, start=1))


def flow_instance(case: Case, definition: Definition) -> ET.Element:
    """The case as Open ePlatform's ``FlowInstance``: its header and its latest answers."""
    revisions = list(case.revisions.order_by("number"))
    latest = revisions[-1]
    root = ET.Element("FlowInstance", xmlns=NAMESPACE)
    header = ET.SubElement(root, "Header")
    flow = ET.SubElement(header, "Flow")
    version = case.eservice_version
    _text(flow, "FamilyID", case.eservice_id)
    _text(flow, "Version", version.number)
    _text(flow, "FlowID", version.pk)
    _text(flow, "Name", case.eservice.title)
    _text(header, "FlowInstanceID", case.number)
    status = ET.SubElement(header, "Status")
    _text(status, "ID", case.status.pk)
    _text(status, "Name", case.status.name)
    owner = case.owner
    for tag in ("Poster", "Owner"):
        if owner is None:
            break
        person = ET.SubElement(header, tag)
        _text(person, "Firstname", owner.first_name)
        _text(person, "Lastname", owner.last_name)
        if owner.email:
            _text(person, "Email", owner.email)
        _text(person, "ID", owner.personal_identity_number or owner.pk)
    _text(header, "Posted", _stamp(case.submitted_at))
    _text(header, "Updated", _stamp(case.last_event_at))
    _text(header, "FirstSubmitted", _stamp(case.submitted_at))
    _text(header, "LastSubmitted", _stamp(latest.created_at))

    values = ET.SubElement(root, "Values")
    shown = drop_hidden(definition, latest.answers)
    visible = {
        field.key
        for step in visible_steps(definition, shown)
        for field in visible_fields(step, shown)
    }
    for query_id, field in _queries(definition):
        if field.key not in visible:
            continue
        query = ET.SubElement(values, element_name(field.key))
        _text(query, "QueryID", query_id)
        _text(query, "Name", field.label)
        _text(query, "Value", FIELD_TYPES[field.type].display(field, shown.get(field.key)))
        if isinstance(field, FileSpec):
            for index, item in enumerate(stored_files(latest.answers.get(field.key))):
                file = ET.SubElement(query, "File")
                _text(file, "Name", item.get("name") or "fil")
                _text(file, "Size", int(item.get("size") or 0))
                _text(file, "ContentType", item.get("content_type") or "")
                path = reverse("openeplatform:file", args=[case.number, query_id, index])
                _text(file, "URL", settings.SITE_URL + path)
    return root


SCHEMA_HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns="{NAMESPACE}" xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="{NAMESPACE}" elementFormDefault="qualified">
  <xs:element name="FlowInstance">
    <xs:complexType><xs:sequence>
      <xs:element name="Header" type="Header"/>
      <xs:element name="Values" type="Values"/>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:complexType name="Header"><xs:sequence>
    <xs:element name="Flow" type="Flow"/>
    <xs:element name="FlowInstanceID" type="xs:positiveInteger"/>
    <xs:element name="Status" type="Status"/>
    <xs:element name="Poster" type="User" minOccurs="0"/>
    <xs:element name="Owner" type="User" minOccurs="0" maxOccurs="unbounded"/>
    <xs:element name="Posted" type="xs:dateTime"/>
    <xs:element name="Updated" type="xs:dateTime" minOccurs="0"/>
    <xs:element name="FirstSubmitted" type="xs:dateTime"/>
    <xs:element name="LastSubmitted" type="xs:dateTime"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Flow"><xs:sequence>
    <xs:element name="FamilyID" type="xs:positiveInteger"/>
    <xs:element name="Version" type="xs:positiveInteger"/>
    <xs:element name="FlowID" type="xs:positiveInteger"/>
    <xs:element name="Name" type="xs:string"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Status"><xs:sequence>
    <xs:element name="ID" type="xs:positiveInteger"/>
    <xs:element name="Name" type="xs:string"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="User"><xs:sequence>
    <xs:element name="Firstname" type="xs:string"/>
    <xs:element name="Lastname" type="xs:string"/>
    <xs:element name="Email" type="xs:string" minOccurs="0"/>
    <xs:element name="ID" type="xs:string"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="Query"><xs:sequence>
    <xs:element name="QueryID" type="xs:positiveInteger"/>
    <xs:element name="Name" type="xs:string"/>
    <xs:element name="Value" type="xs:string"/>
    <xs:element name="File" type="File" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="File"><xs:sequence>
    <xs:element name="Name" type="xs:string"/>
    <xs:element name="Size" type="xs:nonNegativeInteger"/>
    <xs:element name="ContentType" type="xs:string"/>
    <xs:element name="URL" type="xs:anyURI"/>
  </xs:sequence></xs:complexType>
"""


def schema_for(definition: Definition) -> str:
    """The XSD of one version's instances: the header, and its queries in order (each
    optional: a query whose condition hid it is left out)."""
    queries = "\n".join(
        f'      <xs:element name="{element_name(field.key)}" type="Query" minOccurs="0"/>'
        for _query_id, field in _queries(definition)
    )
    values = f"""  <xs:complexType name="Values"><xs:sequence>
{queries}
  </xs:sequence></xs:complexType>
</xs:schema>
"""
    return SCHEMA_HEAD + values


def _definition(case: Case) -> Definition:
    with override(settings.LANGUAGE_CODE):
        return runner.definition_of(case)


@_client_view
def instance_xml(request: HttpRequest, client: ApiClient, instance_id: int) -> HttpResponseBase:
    case = _case(client, instance_id)
    log_read(request, case, AccessLog.Action.CASE, "Open ePlatform XML")
    return _xml(flow_instance(case, _definition(case)))


@_client_view
def instance_xsd(request: HttpRequest, client: ApiClient, instance_id: int) -> HttpResponseBase:
    case = _case(client, instance_id)
    return HttpResponse(schema_for(_definition(case)), content_type="text/xml; charset=UTF-8")


@_client_view
def instance_pdf(request: HttpRequest, client: ApiClient, instance_id: int) -> HttpResponseBase:
    from sjalvservice.cases.pdf import pdf_response

    case = _case(client, instance_id)
    revision = get_revision(case)
    log_read(request, case, AccessLog.Action.PDF, f"Open ePlatform version {revision.number}")
    return pdf_response(revision)


@_client_view
def status(request: HttpRequest, client: ApiClient, instance_id: int) -> HttpResponseBase:
    case = _case(client, instance_id)
    root = ET.Element("Status")
    _text(root, "statusID", case.status.pk)
    _text(root, "name", case.status.name)
    _text(root, "contentType", CONTENT_TYPES[StatusKind(case.status.kind)])
    return _xml(root)


@_client_view
def events(request: HttpRequest, client: ApiClient, instance_id: int) -> HttpResponseBase:
    case = _case(client, instance_id)
    root = ET.Element("Events")
    for event in case.events.select_related("status").order_by("created_at", "pk"):
        item = ET.SubElement(root, "FlowInstanceEvent")
        _text(item, "eventID", event.pk)
        _text(item, "eventType", event.kind)
        _text(item, "details", event.details)
        _text(item, "status", event.status.name)
        _text(item, "added", _minutes(event.created_at))
        _text(item, "poster", event.person_name)
    return _xml(root)


@_client_view
def file(
    request: HttpRequest, client: ApiClient, instance_id: int, query_id: int, file_id: int
) -> HttpResponseBase:
    """``fileuploadqueryapi/getfile/{instance}/{query}/{file}``: a file of a file field of
    the latest revision (``query`` its QueryID, ``file`` its place in the field, from 0)."""
    from sjalvservice.cases.downloads import file_response

    case = _case(client, instance_id)
    revision = get_revision(case)
    definition = runner.definition_of(case)
    queries = dict(_queries(definition))
    field = queries.get(query_id)
    if not isinstance(field, FileSpec):
        raise Http404
    items = [item for spec, item in answer_files(definition, revision.answers) if spec is field]
    if not 0 <= file_id < len(items) or not storages["default"].exists(items[file_id]["key"]):
        raise Http404
    stored = items[file_id]
    log_read(request, case, AccessLog.Action.ATTACHMENT, f"Open ePlatform fil {query_id}/{file_id}")
    return file_response(stored["key"], stored.get("name") or "fil", stored.get("content_type", ""))


# The message API -------------------------------------------------------------------------


def _message(parent: ET.Element, message: Message, number: int) -> None:
    item = ET.SubElement(parent, "ExternalMessage")
    _text(item, "postedByManager", str(message.direction == Message.Direction.TO_CITIZEN).lower())
    _text(item, "messageID", message.pk)
    _text(item, "message", message.text)
    poster = ET.SubElement(item, "poster")
    _text(poster, "firstname", message.sender_name)
    _text(item, "added", _minutes(message.created_at))
    _text(item, "flowInstanceID", number)
    attachments = ET.SubElement(item, "attachments")
    for attachment in message.attachments.all():
        entry = ET.SubElement(attachments, "ExternalMessageAttachment")
        _text(entry, "attachmentID", attachment.pk)
        _text(entry, "filename", attachment.name)
        _text(entry, "size", attachment.size)
        _text(entry, "added", _minutes(message.created_at))


@_client_view
def messages(request: HttpRequest, client: ApiClient, instance_id: int) -> HttpResponseBase:
    """``messageapi/getmessages/flowinstance/{id}``: the case's messages, both ways."""
    from django.db.models import Prefetch

    case = _case(client, instance_id)
    log_read(request, case, AccessLog.Action.CASE, "Open ePlatform meddelanden")
    root = ET.Element("Messages")
    found = case.messages.prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    ).order_by("created_at", "pk")
    for message in found:
        _message(root, message, case.number or 0)
    return _xml(root)


@_client_view
def attachment(request: HttpRequest, client: ApiClient, attachment_id: int) -> HttpResponseBase:
    """``messageapi/getattachment/{id}``: a file sent with a message."""
    from sjalvservice.cases.downloads import attachment_response

    if not 0 < attachment_id < 2**63:
        raise Http404
    number = (
        Attachment.objects.filter(pk=attachment_id, message__case__in=cases_for(client))
        .values_list("message__case__number", flat=True)
        .first()
    )
    if number is None:
        raise Http404
    case = _case(client, number)
    found = get_attachment(case, attachment_id)
    log_read(request, case, AccessLog.Action.ATTACHMENT, f"Open ePlatform bifogad fil {found.pk}")
    return attachment_response(found)

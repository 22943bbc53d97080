"""Open ePlatform's read paths: the XML municipalities' integrations read today, behind
the same clients and scopes, validating against the schema we document for it."""

import base64
import xml.etree.ElementTree as ET

import pytest
import xmlschema
from defusedxml.ElementTree import fromstring

NS = {"oep": "http://www.oeplatform.org/version/2.0/schemas/flowinstance"}


@pytest.fixture
def oep(token):
    """A client of its own, calling as Open ePlatform's integrations do: Basic auth with
    the token as the password."""
    from django.test import Client

    secret = base64.b64encode(f"diariet:{token}".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {secret}")


def test_an_instance_is_open_eplatform_xml_that_validates_against_its_schema(oep, annas_case):
    response = oep.get(f"/api/instanceapi/getinstance/{annas_case.number}/xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=ISO-8859-1"
    assert response.content.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    schema = xmlschema.XMLSchema(
        oep.get(f"/api/instanceapi/getinstance/{annas_case.number}/xsd").content.decode()
    )
    schema.validate(response.content.decode("iso-8859-1"))

    root = fromstring(response.content)
    assert root.findtext("oep:Header/FlowInstanceID", namespaces=NS) is None  # qualified
    assert root.findtext("oep:Header/oep:FlowInstanceID", namespaces=NS) == str(annas_case.number)
    assert root.findtext("oep:Header/oep:Flow/oep:Name", namespaces=NS) == "Medborgarförslag"
    assert root.findtext("oep:Header/oep:Status/oep:Name", namespaces=NS) == "Inskickat"
    assert root.findtext("oep:Header/oep:Owner/oep:ID", namespaces=NS) == "198101059825"
    rubrik = root.find("oep:Values/oep:rubrik", namespaces=NS)
    assert rubrik.findtext("oep:Name", namespaces=NS) == "Rubrik"
    assert rubrik.findtext("oep:Value", namespaces=NS) == "Fler bänkar"


def test_an_invalid_document_fails_the_schema(oep, annas_case):
    """The schema is strict enough to fail: a header without its status does not pass."""
    xml = oep.get(f"/api/instanceapi/getinstance/{annas_case.number}/xml").content
    schema = xmlschema.XMLSchema(
        oep.get(f"/api/instanceapi/getinstance/{annas_case.number}/xsd").content.decode()
    )
    root = fromstring(xml)
    header = root.find("oep:Header", namespaces=NS)
    header.remove(header.find("oep:Status", namespaces=NS))
    assert not schema.is_valid(ET.tostring(root, encoding="unicode"))


def test_instances_of_a_family_by_window_and_status(oep, annas_case, suggestion):
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    listed = oep.get(
        f"/api/instanceapi/getinstances/family/{suggestion.pk}",
        {"fromDate": today, "toDate": today},
    )
    root = fromstring(listed.content)
    assert [item.findtext("flowInstanceID") for item in root] == [str(annas_case.number)]
    assert root[0].findtext("flowFamilyID") == str(suggestion.pk)
    in_status = oep.get(f"/api/instanceapi/getinstances/family/{suggestion.pk}/Avslutat")
    assert len(fromstring(in_status.content)) == 0
    earlier = oep.get(
        f"/api/instanceapi/getinstances/family/{suggestion.pk}", {"toDate": "2020-01-01"}
    )
    assert len(fromstring(earlier.content)) == 0
    bad = oep.get(f"/api/instanceapi/getinstances/family/{suggestion.pk}", {"fromDate": "igår"})
    assert bad.status_code == 400


def test_status_events_and_messages(oep, api, annas_case):
    number = annas_case.number
    api.post(f"/api/v1/cases/{number}/status",
             {"status": "Väntar på komplettering", "message": "Skicka en ritning, tack."},
             content_type="application/json")  # fmt: skip
    status = fromstring(oep.get(f"/api/instanceapi/getstatus/{number}").content)
    assert status.findtext("contentType") == "WAITING_FOR_COMPLETION"
    assert status.findtext("name") == "Väntar på komplettering"
    events = fromstring(oep.get(f"/api/instanceapi/getevents/{number}").content)
    assert [event.findtext("eventType") for event in events] == [
        "submitted", "message_to_citizen", "status_changed",
    ]  # fmt: skip
    messages = fromstring(oep.get(f"/api/messageapi/getmessages/flowinstance/{number}").content)
    assert messages[0].findtext("message") == "Skicka en ritning, tack."
    assert messages[0].findtext("postedByManager") == "true"


def test_the_same_clients_and_scopes_guard_it(client, oep, annas_case, diarium, db):
    number = annas_case.number
    assert client.get(f"/api/instanceapi/getstatus/{number}").status_code == 401
    wrong = base64.b64encode(b"diariet:sjs_wrong").decode()
    assert (
        client.get(
            f"/api/instanceapi/getstatus/{number}", HTTP_AUTHORIZATION=f"Basic {wrong}"
        ).status_code
        == 401
    )
    assert oep.get("/api/instanceapi/getstatus/99999").status_code == 404
    diarium.scopes = ["write_status"]
    diarium.save(update_fields=["scopes"])
    assert oep.get(f"/api/instanceapi/getstatus/{number}").status_code == 403


def test_a_status_name_with_a_nul_is_no_status(oep, suggestion):
    response = oep.get(f"/api/instanceapi/getinstances/family/{suggestion.pk}/In%00skickat")
    assert response.status_code == 404

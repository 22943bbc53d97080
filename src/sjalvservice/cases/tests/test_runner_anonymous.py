"""An e-service that needs no login: the case belongs to the browser session."""

import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from sjalvservice.cases.models import Case

START = "/tjanster/felanmalan-gata-och-park/starta/"


@pytest.fixture
def demo(db):
    call_command("demo", quiet=True)


def report(client):
    client.post(START, {"typ_av_fel": "gata", "plats": "Storgatan 3",
                        "beskrivning": "Stort hål i asfalten.", "action": "next"})  # fmt: skip
    case = Case.objects.latest("pk")
    client.post(f"/e-tjanst/{case.reference}/steg/bild/", {"action": "next"})
    client.post(
        f"/e-tjanst/{case.reference}/steg/kontakt/", {"aterkoppling": "nej", "action": "next"}
    )
    return case


def test_anyone_can_report_without_logging_in(client, demo):
    assert client.get(START).status_code == 200
    case = report(client)
    assert case.owner is None
    response = client.post(f"/e-tjanst/{case.reference}/forhandsgranska/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.number is not None
    receipt = client.get(f"/e-tjanst/{case.reference}/kvitto/").content.decode()
    assert f"<strong>{case.number}</strong>" in receipt
    assert "Spara ärendenumret" in receipt


def test_another_browser_cannot_see_an_anonymous_case(client, demo):
    case = report(client)
    stranger = Client()
    # Asked to log in, as for any case it cannot see (a notice's link to a person's own
    # draft opens once they have), and shown nothing of this one.
    step = f"/e-tjanst/{case.reference}/steg/bild/"
    response = stranger.get(step)
    assert response.status_code == 302
    assert response["Location"] == f"/logga-in/?next={step}"
    unknown = f"/e-tjanst/{uuid.uuid4()}/steg/bild/"
    assert stranger.get(unknown)["Location"] == f"/logga-in/?next={unknown}"
    assert stranger.post(f"/e-tjanst/{case.reference}/forhandsgranska/").status_code == 404
    assert stranger.post(step, {"action": "next"}).status_code == 404


def test_a_logged_in_citizen_cannot_take_over_an_anonymous_case(client, demo):
    from sjalvservice.accounts.models import User

    case = report(client)
    other = Client()
    other.force_login(User.objects.get(personal_identity_number="197504129912"))
    assert other.get(f"/e-tjanst/{case.reference}/steg/bild/").status_code == 404

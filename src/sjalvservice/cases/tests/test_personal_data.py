"""Mina personuppgifter: what is held, and all of it to download, only one's own."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from sjalvservice.accounts.services import save_details, save_organisation
from sjalvservice.cases import services
from sjalvservice.cases.models import PersonalDataExport
from sjalvservice.cases.tasks import make_personal_data_pdf
from sjalvservice.cases.tests.fixtures import ANSWERS

PAGE = "/mina-sidor/personuppgifter/"
JSON = "/mina-sidor/personuppgifter/json/"


@pytest.fixture
def annas_data(annas_case, anna, julia, bertil, suggestion):
    save_details(anna, {"street": "Storgatan 1", "mobile": "0701234567"})
    save_organisation(anna, "8024775317", {"name": "Lycksele Båtklubb"})
    services.send_message(annas_case, by=julia, text="Vilken bänk menar du?")
    services.send_message(annas_case, by=anna, text="Den vid bron.")
    bertils = services.start_draft(suggestion, owner=bertil)
    services.submit(bertils, by=bertil, answers={**ANSWERS, "rubrik": "Bertils förslag"})
    save_organisation(bertil, "5593004285", {"name": "Bertils bolag"})
    return annas_case


def test_the_page_says_what_is_held_and_why(client, anna):
    client.force_login(anna)
    html = client.get(PAGE).content.decode()
    assert html.count("<h1") == 1
    for text in ("Vad vi sparar och varför", "Ladda ner som JSON", "Gör en PDF"):
        assert text in html


def test_the_json_holds_the_persons_data_and_nobody_elses(client, anna, annas_data):
    client.force_login(anna)
    response = client.get(JSON)
    assert response["Content-Disposition"] == 'attachment; filename="mina-personuppgifter.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["personal_identity_number"] == "198101059825"
    assert data["details"]["street"] == "Storgatan 1"
    assert [o["name"] for o in data["organisations"]] == ["Lycksele Båtklubb"]
    [case] = data["cases"]
    assert case["number"] == annas_data.number
    assert case["revisions"][0]["answers"]["rubrik"] == "Fler bänkar"
    assert [m["text"] for m in case["messages"]] == ["Vilken bänk menar du?", "Den vid bron."]
    assert case["history"][0]["event"] == "Inskickat"
    text = response.content.decode()
    assert "Bertil" not in text
    assert "197504129912" not in text


def test_the_export_costs_the_same_queries_for_one_case_as_for_many(client, anna, suggestion):
    client.force_login(anna)
    first = services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers=ANSWERS)
    services.send_message(first, by=anna, text="Hej")
    client.get(JSON)  # warm up: the first request of a session writes the session
    with CaptureQueriesContext(connection) as one:
        client.get(JSON)
    for _ in range(10):
        case = services.submit(
            services.start_draft(suggestion, owner=anna), by=anna, answers=ANSWERS
        )
        services.send_message(case, by=anna, text="Hej")
    with CaptureQueriesContext(connection) as many:
        client.get(JSON)
    assert len(many) == len(one), "\n".join(q["sql"][:70] for q in many.captured_queries)


def test_the_pdf_is_made_in_the_background_and_only_its_owner_gets_it(
    client, anna, bertil, annas_data, django_capture_on_commit_callbacks
):
    client.force_login(anna)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/mina-sidor/personuppgifter/pdf/", follow=True)
    assert "Vi gör i ordning din PDF." in response.content.decode()
    export = PersonalDataExport.objects.get(user=anna)
    assert export.finished_at is None
    assert len(callbacks) == 1
    client.post("/mina-sidor/personuppgifter/pdf/")  # asked again: still one
    assert PersonalDataExport.objects.count() == 1
    assert client.get(f"/mina-sidor/personuppgifter/pdf/{export.pk}/").status_code == 404

    make_personal_data_pdf.call(export.pk)
    html = client.get(PAGE).content.decode()
    assert f"/mina-sidor/personuppgifter/pdf/{export.pk}/" in html
    response = client.get(f"/mina-sidor/personuppgifter/pdf/{export.pk}/")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Fler bänkar" in text
    assert "Lycksele Båtklubb" in text
    assert "Bertil" not in text

    client.force_login(bertil)
    assert client.get(f"/mina-sidor/personuppgifter/pdf/{export.pk}/").status_code == 404


@pytest.mark.parametrize("url", [PAGE, JSON])
def test_anonymous_visitors_are_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_the_pdf_is_asked_for_with_a_post(client, anna):
    client.force_login(anna)
    assert client.get("/mina-sidor/personuppgifter/pdf/").status_code == 405

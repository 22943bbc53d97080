"""Mina engagemang: the person's organisations, added by hand or from Bolagsverket."""

import pytest
from django.urls import reverse

from sjalvservice.accounts.models import Engagement, Organisation

LIST = "/mina-sidor/engagemang/"
ADD = "/mina-sidor/engagemang/ny/"
BOAT_CLUB = "802477-5317"

VALID = {
    "organisation_number": BOAT_CLUB, "name": "Lycksele Båtklubb", "street": "Hamnvägen 2",
    "postal_code": "921 31", "city": "Lycksele", "contact_person": "Anna Testersson",
    "phone": "070-123 45 67", "email": "styrelsen@batklubb.example", "notify_email": "on",
}  # fmt: skip


@pytest.fixture
def anna_client(client, anna):
    client.force_login(anna)
    return client


def change_url(engagement):
    return reverse("accounts:organisation_change", args=[engagement.pk])


def remove_url(engagement):
    return reverse("accounts:organisation_remove", args=[engagement.pk])


def test_adding_an_organisation_by_hand(anna_client, anna):
    response = anna_client.post(ADD, VALID, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    html = response.content.decode()
    assert "Lycksele Båtklubb är sparad under Mina engagemang." in html
    assert "802477-5317" in html
    engagement = Engagement.objects.get(user=anna)
    assert engagement.organisation.organisation_number == "8024775317"
    assert (engagement.postal_code, engagement.phone) == ("92131", "0701234567")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organisation_number", "", "Skriv organisationsnumret."),
        ("organisation_number", "802477-5318", "Organisationsnumret är inte giltigt."),
        ("organisation_number", "12345", "Skriv organisationsnumret med 10 siffror"),
        ("name", "", "Skriv organisationens namn."),
        ("postal_code", "921", "Skriv postnumret med fem siffror, till exempel 931 85."),
        ("phone", "abc", "Skriv telefonnumret med riktnummer"),
        ("email", "styrelsen", "Skriv e-postadressen på formen namn@exempel.se."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(anna_client, field, value, message):
    response = anna_client.post(ADD, {**VALID, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="#id_{field}">{message}' in html
    assert not Engagement.objects.exists()
    assert not Organisation.objects.exists()


def test_sms_notices_need_a_mobile_number(anna_client):
    response = anna_client.post(ADD, {**VALID, "phone": "0910-73 50 00", "notify_sms": "on"})
    assert response.status_code == 400
    assert "Notiser via SMS behöver ett mobilnummer som börjar med 07." in response.content.decode()


def test_nobody_renames_another_persons_organisation(client, anna, bertil):
    client.force_login(anna)
    client.post(ADD, VALID)
    client.force_login(bertil)
    client.post(ADD, {**VALID, "name": "Bertils Kapade AB"}, follow=True)
    client.force_login(anna)
    html = client.get(LIST).content.decode()
    assert "Lycksele Båtklubb" in html
    assert "Bertils Kapade AB" not in html
    assert Organisation.objects.get().name == "Lycksele Båtklubb"


def test_changing_keeps_the_number_and_stores_the_new_details(anna_client, anna):
    anna_client.post(ADD, VALID)
    engagement = Engagement.objects.get(user=anna)
    response = anna_client.post(
        change_url(engagement),
        {**VALID, "organisation_number": "559300-4285", "contact_person": "Jenny"},
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.contact_person == "Jenny"
    assert engagement.organisation.organisation_number == "8024775317"


def test_adding_the_same_organisation_twice_points_to_ändra(anna_client):
    anna_client.post(ADD, VALID)
    response = anna_client.post(ADD, VALID)
    assert response.status_code == 400
    assert "Organisationen finns redan under Mina engagemang." in response.content.decode()


def test_removing_asks_first_and_keeps_submitted_cases_copy(anna_client, anna):
    anna_client.post(ADD, VALID)
    engagement = Engagement.objects.get(user=anna)
    page = anna_client.get(remove_url(engagement)).content.decode()
    assert "Vill du ta bort Lycksele Båtklubb från Mina engagemang?" in page
    assert Engagement.objects.exists()
    response = anna_client.post(remove_url(engagement), follow=True)
    assert "Lycksele Båtklubb är borttagen från Mina engagemang." in response.content.decode()
    assert not Engagement.objects.exists()
    assert Organisation.objects.filter(organisation_number="8024775317").exists()


@pytest.mark.parametrize("make_url", [change_url, remove_url])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_persons_organisation_is_not_found(client, anna, bertil, make_url, method):
    client.force_login(anna)
    client.post(ADD, VALID)
    engagement = Engagement.objects.get(user=anna)
    client.force_login(bertil)
    response = getattr(client, method)(make_url(engagement), VALID)
    assert response.status_code == 404
    engagement.refresh_from_db()
    assert engagement.name == "Lycksele Båtklubb"


def test_anonymous_visitors_are_sent_to_login(client, db):
    for url in (LIST, ADD):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("eid:login"))


def test_fetching_from_bolagsverket_fills_in_the_form(anna_client, bolagsverket):
    response = anna_client.post(ADD, {"organisation_number": "559300-4285", "hamta": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Testbolaget i Lycksele AB"' in html
    assert "Aktiebolag" in html
    assert "hämtade från Bolagsverket" in html
    assert not Engagement.objects.exists()


def test_the_fetched_details_are_saved_with_the_legal_form(anna_client, anna, bolagsverket):
    anna_client.post(ADD, {"organisation_number": "8024775317", "hamta": "1"})
    form = {**VALID, "name": "Lycksele Båtklubb", "legal_form": "Ideell förening"}
    anna_client.post(ADD, form)
    assert Engagement.objects.get(user=anna).legal_form == "Ideell förening"
    assert "enligt Bolagsverket" in anna_client.get(LIST).content.decode()


def test_a_number_bolagsverket_does_not_know_keeps_manual_entry_open(anna_client, bolagsverket):
    response = anna_client.post(
        ADD, {"organisation_number": "556036-0793", "name": "Mitt namn", "hamta": "1"}
    )
    html = response.content.decode()
    assert "Bolagsverket har ingen organisation med numret 556036-0793." in html
    assert 'value="Mitt namn"' in html
    response = anna_client.post(ADD, {**VALID, "organisation_number": "556036-0793"})
    assert response.status_code == 302


@pytest.mark.parametrize("fault", ["503", "timeout"])
def test_bolagsverket_failing_says_so_and_manual_entry_still_works(
    anna_client, bolagsverket, settings, fault
):
    if fault == "503":
        bolagsverket.fail_next(503, count=5, endpoint="organisationer")
    else:
        settings.BOLAGSVERKET_TIMEOUT = 1
        bolagsverket.delay(3, count=5, endpoint="organisationer")
    response = anna_client.post(ADD, {**VALID, "hamta": "1"})
    html = response.content.decode()
    assert "Bolagsverket svarar inte just nu. Fyll i uppgifterna själv" in html
    assert 'value="Hamnvägen 2"' in html
    assert anna_client.post(ADD, VALID).status_code == 302


def test_a_bad_number_is_refused_before_asking_bolagsverket(anna_client, bolagsverket):
    before = bolagsverket.tokens_issued()
    response = anna_client.post(ADD, {"organisation_number": "12", "hamta": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_organisation_number">' in html
    assert "Skriv organisationens namn." not in html
    assert bolagsverket.tokens_issued() == before


def test_without_bolagsverket_there_is_no_fetch_button(anna_client, settings):
    settings.BOLAGSVERKET_URL = None
    assert "Hämta från Bolagsverket" not in anna_client.get(ADD).content.decode()

"""Mina uppgifter: change the contact details and notification choices, confirm an address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from sjalvservice.accounts.models import Profile

URL = "/mina-sidor/uppgifter/"

VALID = {
    "first_name": "Anna", "last_name": "Testersson", "street": "Storgatan 1",
    "postal_code": "931 30", "city": "Skellefteå", "phone": "0910-73 50 00",
    "email": "anna@example.se", "mobile": "070-123 45 67", "notify_sms": "on",
}  # fmt: skip


@pytest.fixture
def anna_client(client, anna):
    client.force_login(anna)
    return client


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Post the form and run what its commit starts (the confirmation e-mail)."""

    def post(client, data, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data, **kwargs)

    return post


def link_in(message):
    return re.search(r"http://\S+/mina-sidor/uppgifter/bekrafta-e-post/\S+/", message.body)[0]


def test_the_page_has_the_handbooks_fields_and_buttons(anna_client):
    html = anna_client.get(URL).content.decode()
    for label in ("Förnamn", "Efternamn", "Personnummer", "Adress", "Postnummer", "Ort",
                  "Telefonnummer", "E-postadress", "Mobiltelefon",
                  "Jag vill bli notifierad via e-post", "Jag vill bli notifierad via SMS",
                  "Spara ändringar", "Avbryt"):  # fmt: skip
        assert label in html
    assert "19810105-9825" in html
    assert 'name="personal_identity_number"' not in html


def test_saving_stores_the_details_and_says_so(post, anna_client, anna):
    response = post(anna_client, VALID, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Dina ändringar är sparade." in response.content.decode()
    profile = Profile.objects.get(user=anna)
    assert (profile.street, profile.postal_code, profile.city) == (
        "Storgatan 1", "93130", "Skellefteå"
    )  # fmt: skip
    assert (profile.phone, profile.mobile) == ("0910735000", "0701234567")
    assert profile.notify_sms
    assert not profile.notify_email
    assert profile.notification_mobile == "0701234567"


def test_the_form_shows_what_is_saved(post, anna_client):
    post(anna_client, VALID)
    html = anna_client.get(URL).content.decode()
    assert 'value="931 30"' in html
    assert 'value="070-123 45 67"' in html
    assert 'value="anna@example.se"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "", "Skriv ditt förnamn."),
        ("last_name", "", "Skriv ditt efternamn."),
        ("email", "anna.example.se", "Skriv e-postadressen på formen namn@exempel.se."),
        ("postal_code", "9313", "Skriv postnumret med fem siffror, till exempel 931 85."),
        ("postal_code", "ABC 12", "Skriv postnumret med fem siffror, till exempel 931 85."),
        ("phone", "12", "Skriv telefonnumret med riktnummer, till exempel 0910-73 50 00."),
        ("phone", "+1 202 555 0100", "Skriv telefonnumret med riktnummer"),
        ("mobile", "0910-73 50 00", "Skriv ett svenskt mobilnummer som börjar med 07"),
        ("mobile", "", "Skriv ditt mobilnummer för att få notiser via SMS."),
    ],
)
def test_bad_input_is_refused_with_a_linked_message_and_nothing_is_saved(
    post, anna_client, anna, field, value, message
):
    post(anna_client, {**VALID, "street": "Gamla vägen 2"})
    response = post(anna_client, {**VALID, field: value, "street": "Ny väg 3"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<a href="#id_{field}">{message}' in html
    assert f'id="id_{field}_error"' in html
    assert "<title>Fel:" in html
    assert Profile.objects.get(user=anna).street == "Gamla vägen 2"
    assert 'value="Ny väg 3"' in html


def test_e_mail_notices_need_an_address(post, anna_client):
    response = post(anna_client, {**VALID, "email": "", "notify_email": "on"})
    assert response.status_code == 400
    assert "Skriv din e-postadress för att få notiser via e-post." in response.content.decode()


def test_a_new_address_gets_a_link_and_no_notices_until_it_is_confirmed(post, anna_client, anna):
    response = post(anna_client, {**VALID, "notify_email": "on"}, follow=True)
    assert "Vi har skickat en länk till anna@example.se." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.se"]
    assert "Testersson" not in message.body + message.subject
    assert "198101059825" not in message.body
    assert "810105" not in message.body
    link = link_in(message)
    assert "anna" not in link
    assert "example" not in link
    assert Profile.objects.get(user=anna).notification_email == ""

    response = anna_client.get(link, follow=True)
    assert "Din e-postadress anna@example.se är bekräftad." in response.content.decode()
    assert Profile.objects.get(user=anna).notification_email == "anna@example.se"


def test_the_link_works_once(post, anna_client, anna):
    post(anna_client, VALID)
    link = link_in(mail.outbox[0])
    assert anna_client.get(link).status_code == 302
    response = anna_client.get(link)
    assert response.status_code == 400
    assert "Länken fungerar inte" in response.content.decode()


def test_the_link_expires(post, anna_client, anna, settings):
    post(anna_client, VALID)
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1
    assert anna_client.get(link_in(mail.outbox[0])).status_code == 400
    assert not Profile.objects.get(user=anna).email_is_confirmed


def test_a_link_for_an_address_since_changed_confirms_nothing(post, anna_client, anna):
    post(anna_client, VALID)
    post(anna_client, {**VALID, "email": "annat@example.se"})
    assert anna_client.get(link_in(mail.outbox[0])).status_code == 400
    assert anna_client.get(link_in(mail.outbox[1])).status_code == 302
    assert Profile.objects.get(user=anna).email_confirmed == "annat@example.se"


def test_nobody_else_can_confirm_the_address(post, client, anna, bertil):
    client.force_login(anna)
    post(client, VALID)
    link = link_in(mail.outbox[0])
    client.force_login(bertil)
    assert client.get(link).status_code == 400
    assert not Profile.objects.get(user=anna).email_is_confirmed
    assert not Profile.objects.filter(user=bertil, email_confirmed__gt="").exists()


def test_a_forged_token_is_refused(anna_client):
    url = reverse("accounts:confirm_email", args=["eyJ1IjoxfQ:1abc:forged"])
    assert anna_client.get(url).status_code == 400


def test_the_confirmation_link_needs_a_login(post, client, anna):
    client.force_login(anna)
    post(client, VALID)
    link = link_in(mail.outbox[0])
    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("eid:login"))


def test_each_person_sees_only_their_own_details(post, client, anna, bertil):
    client.force_login(anna)
    post(client, VALID, follow=True)
    client.force_login(bertil)
    html = client.get(URL).content.decode()
    assert "Storgatan 1" not in html
    assert "anna@example.se" not in html
    assert "Bertil" in html


def test_an_e_services_contact_block_updates_the_details(
    suggestion, anna, django_capture_on_commit_callbacks
):
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import ANSWERS

    case = services.start_draft(suggestion, owner=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(case, by=anna, answers=ANSWERS)
    profile = Profile.objects.get(user=anna)
    assert profile.email == "anna@example.se"
    assert profile.mobile == "0701234567"
    assert [message.to for message in mail.outbox] == [["anna@example.se"]]


def test_it_is_in_english_too(post, anna_client):
    anna_client.get(reverse("core:language", args=["en"]))
    html = anna_client.get(URL).content.decode()
    assert "Save changes" in html
    assert "I want to be notified by SMS" in html
    response = post(anna_client, {**VALID, "mobile": ""})
    assert "Enter your mobile number to get notices by text message." in response.content.decode()

"""Logging in through the region's identity federation, against the simulated regional IdP
(which identifies the person with the BankID simulator over the RP API): what is accepted,
what is refused and why, single logout. The portal side runs in the Django test client."""

import base64
import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from sjalvservice.accounts.models import User
from sjalvservice.eid.saml import login as federation
from sjalvservice.eid.services import METHOD

JENNY = ("198101059825", "Jenny", "Testersson")
JENNYS_NUMBER = JENNY[0]


def start(client, next_url=""):
    """'Logga in' through the region: the portal's redirect to the IdP."""
    url = reverse("eid:saml_login") + (f"?next={next_url}" if next_url else "")
    response = client.get(url)
    assert response.status_code == 302, response.content
    return response["Location"]


def post_to_portal(client, form):
    """The IdP's page posts the answer; a browser without the login's cookie is sent on
    once more by the portal's own page, as its script would."""
    action, fields = form
    assert urlsplit(action).path == reverse("eid:saml_acs")
    response = client.post(reverse("eid:saml_acs"), fields)
    if response.status_code == 200 and 'name="fortsatt"' in response.content.decode():
        response = client.post(reverse("eid:saml_acs"), {**fields, "fortsatt": "1"})
    return response


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return None if user_id is None else User.objects.get(pk=user_id)


@pytest.fixture
def all_log_lines(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_login_through_the_region_logs_jenny_in_and_goes_to_mina_sidor(
    client, db, region, all_log_lines
):
    location = start(client)
    assert location.startswith(region.simulator.url + "sso?")
    assert "SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256" in location
    form = region.answer(location)
    response = post_to_portal(client, form)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_pages")
    jenny = logged_in_user(client)
    assert (jenny.personal_identity_number, jenny.get_full_name()) == (
        JENNYS_NUMBER,
        "Jenny Testersson",
    )
    assert client.session[METHOD] == "federation"
    # The transient NameID is kept for single logout, never as the person's identity.
    assert JENNYS_NUMBER not in client.session[federation.NAME_ID]
    assert client.get(reverse("cases:my_pages")).status_code == 200

    # The personal identity number travelled encrypted, and no log line has it.
    posted = base64.b64decode(form[1]["SAMLResponse"]).decode()
    assert "EncryptedAssertion" in posted
    assert JENNYS_NUMBER not in posted
    assert "19810105-9825" not in posted
    assert all(JENNYS_NUMBER not in record.getMessage() for record in all_log_lines.records)
    assert "citizen %s logged in with %s" in [r.msg for r in all_log_lines.records]


def test_the_same_person_whether_through_the_region_or_bankid_directly(client, db, region):
    earlier = User.objects.create_citizen(JENNYS_NUMBER, given_name="Jenny", surname="Gammal")
    post_to_portal(client, region.answer(start(client)))
    assert logged_in_user(client) == earlier
    earlier.refresh_from_db()
    assert earlier.last_name == "Testersson"
    assert User.objects.filter(personal_identity_number=JENNYS_NUMBER).count() == 1


def test_the_login_comes_back_to_where_the_person_was_going(client, db, region, suggestion):
    start_url = suggestion.start_url
    response = post_to_portal(client, region.answer(start(client, start_url)))
    assert response["Location"] == start_url
    # Logged in, starting an e-service that needs e-legitimation asks for nothing more.
    started = client.get(start_url, follow=True)
    assert started.status_code == 200
    assert all(reverse("eid:login") not in url for url, _ in started.redirect_chain)
    assert "Medborgarförslag" in started.content.decode()


def test_a_next_that_leads_off_the_site_is_dropped(client, db, region):
    response = post_to_portal(client, region.answer(start(client, "https://evil.example/")))
    assert response["Location"] == reverse("cases:my_pages")


def test_bankid_on_this_device_at_the_region_works_too(client, db, region):
    response = post_to_portal(client, region.answer(start(client), choice="bankid"))
    assert response.status_code == 302
    assert logged_in_user(client).personal_identity_number == JENNYS_NUMBER


def test_a_samordningsnummer_is_accepted(client, db, region):
    person = ("197010632391", "Sam", "Ordning")
    post_to_portal(client, region.answer(start(client), person=person))
    assert logged_in_user(client).personal_identity_number == "197010632391"


REFUSALS = [
    ("unsigned", "Svaret från inloggningstjänsten gick inte att lita på"),
    ("unencrypted", "Svaret från inloggningstjänsten gick inte att lita på"),
    ("wrong-audience", "Svaret från inloggningstjänsten gick inte att lita på"),
    ("expired", "Inloggningen tog för lång tid"),
    ("loa2", "Inloggningen gav inte den säkerhetsnivå som krävs"),
    ("no-pnr", "Inloggningen gav inget giltigt personnummer"),
    ("unsolicited", "Inloggningen hör inte till något du har påbörjat här"),
]


@pytest.mark.parametrize(("fault", "message"), REFUSALS)
def test_a_flawed_answer_logs_nobody_in_and_says_why(
    client, db, region, all_log_lines, fault, message
):
    location = start(client)
    region.fault(fault)
    response = post_to_portal(client, region.answer(location))
    assert response.status_code == 403
    assert message in response.content.decode()
    assert logged_in_user(client) is None
    assert not User.objects.filter(personal_identity_number=JENNYS_NUMBER).exists()
    refusals = [r for r in all_log_lines.records if r.getMessage().startswith("federation login")]
    assert len(refusals) == 1
    assert all(JENNYS_NUMBER not in record.getMessage() for record in all_log_lines.records)


def test_the_messages_are_in_english_for_an_english_reader(client, db, region):
    client.cookies["django_language"] = "en"
    location = start(client)
    region.fault("loa2")
    html = post_to_portal(client, region.answer(location)).content.decode()
    assert "The login did not give the level of assurance required" in html


def test_avbryt_at_the_region_is_a_cancelled_login(client, db, region):
    response = post_to_portal(client, region.answer(start(client), choice="avbryt"))
    assert response.status_code == 200
    assert "Du avbröt inloggningen. Du är inte inloggad." in response.content.decode()
    assert logged_in_user(client) is None


def test_a_replayed_answer_is_refused_in_the_same_browser_and_in_another(
    client, db, region, django_user_model
):
    from django.test import Client

    form = region.answer(start(client))
    assert post_to_portal(client, form).status_code == 302
    client.post(reverse("eid:logout"))
    again = post_to_portal(client, form)
    assert again.status_code == 403
    assert "har redan använts" in again.content.decode()
    assert logged_in_user(client) is None

    elsewhere = Client()
    assert post_to_portal(elsewhere, form).status_code == 403
    assert logged_in_user(elsewhere) is None


def test_a_failed_answer_also_uses_its_request_up(client, db, region):
    location = start(client)
    region.fault("loa2")
    post_to_portal(client, region.answer(location))
    # The IdP answers the same request again, correctly this time: too late.
    page = region.http.get(location)
    assert page.status_code == 200
    response = post_to_portal(client, region.answer(location))
    assert response.status_code == 403
    assert logged_in_user(client) is None


def test_an_answer_to_a_request_older_than_the_limit_is_refused(client, db, region, settings):
    location = start(client)
    form = region.answer(location)
    saml_session = SessionStore(client.cookies[settings.SAML_SESSION_COOKIE_NAME].value)
    pending = saml_session[federation.PENDING]
    for entry in pending.values():
        entry["at"] -= settings.SAML_REQUEST_MAX_AGE + 1
    saml_session[federation.PENDING] = pending
    saml_session.save()
    response = post_to_portal(client, form)
    assert response.status_code == 403
    assert "Inloggningen tog för lång tid" in response.content.decode()
    assert logged_in_user(client) is None


def test_a_staff_members_number_never_logs_in_as_a_citizen(client, db, region, skelleftea):
    User.objects.create_user(
        "karin", "a-long-test-password", is_staff=True, municipality=skelleftea,
        personal_identity_number=JENNYS_NUMBER,
    )  # fmt: skip
    response = post_to_portal(client, region.answer(start(client)))
    assert response.status_code == 403
    assert "hör till ett konto för kommunens personal" in response.content.decode()
    assert logged_in_user(client) is None


def test_logins_started_too_often_from_one_address_are_held_back(client, db, region, settings):
    settings.LOGIN_START_LIMIT = 1
    start(client)
    response = client.get(reverse("eid:saml_login"), follow=True)
    assert "Du har försökt logga in för många gånger" in response.content.decode()


def test_the_portals_idle_timeout_applies_as_for_bankid(client, db, region, settings):
    from sjalvservice.eid.services import LAST_ACTIVITY

    post_to_portal(client, region.answer(start(client)))
    session = client.session
    session[LAST_ACTIVITY] = time.time() - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get(reverse("cases:my_pages"))
    assert response["Location"] == reverse("eid:logged_out") + "?orsak=inaktivitet"
    assert logged_in_user(client) is None


def test_logging_out_logs_out_at_the_region_too(client, db, region):
    post_to_portal(client, region.answer(start(client)))
    response = client.post(reverse("eid:logout"))
    assert logged_in_user(client) is None
    to_idp = response["Location"]
    assert to_idp.startswith(region.simulator.url + "slo?")
    assert "Signature=" in to_idp
    answer = region.http.get(to_idp)
    assert answer.status_code in (302, 303)
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("eid:saml_sls")
    done = client.get(f"{back.path}?{back.query}", follow=True)
    assert done.redirect_chain[-1][0] == reverse("eid:logged_out")
    assert "Du är utloggad" in done.content.decode()
    assert "bekräftade inte" not in done.content.decode()


def test_a_logout_answer_we_did_not_ask_for_is_reported_but_logs_out_all_the_same(
    client, db, region
):
    post_to_portal(client, region.answer(start(client)))
    response = client.post(reverse("eid:logout"))
    answer = urlsplit(region.http.get(response["Location"]).headers["Location"])
    # Another browser, which never asked, brings the answer.
    from django.test import Client

    other = Client()
    done = other.get(f"{answer.path}?{answer.query}", follow=True)
    assert "inloggningstjänsten bekräftade inte att du är utloggad där" in done.content.decode()


def test_a_bankid_session_logs_out_locally(client, db, anna):
    client.force_login(anna)
    response = client.post(reverse("eid:logout"))
    assert response["Location"] == reverse("eid:logged_out")


def test_an_answer_without_the_logins_cookie_is_carried_on_once_from_our_own_page(
    client, db, region, settings
):
    form = region.answer(start(client))
    # A browser that sent no cookie with the IdP's cross-site post (SameSite=Lax over http).
    cookie = client.cookies.pop(settings.SAML_SESSION_COOKIE_NAME)
    page = client.post(reverse("eid:saml_acs"), form[1])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Du loggas in" in html
    assert 'name="fortsatt" value="1"' in html
    assert logged_in_user(client) is None
    # Our own page's post carries the cookie, and the login goes through.
    client.cookies[settings.SAML_SESSION_COOKIE_NAME] = cookie
    response = client.post(reverse("eid:saml_acs"), {**form[1], "fortsatt": "1"})
    assert response["Location"] == reverse("cases:my_pages")
    assert logged_in_user(client).personal_identity_number == JENNYS_NUMBER


def test_a_carried_on_answer_without_the_cookie_is_refused_not_carried_on_again(
    client, db, region, settings
):
    form = region.answer(start(client))
    client.cookies.pop(settings.SAML_SESSION_COOKIE_NAME)
    response = client.post(reverse("eid:saml_acs"), {**form[1], "fortsatt": "1"})
    assert response.status_code == 403
    assert logged_in_user(client) is None


def logout_request_from_the_idp(simulator, name_id, *, sign=True):
    """A LogoutRequest signed with the IdP's key, as an IdP sends one when the person logs
    out of another service of the region (single logout started elsewhere)."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.server import Server
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    from sjalvservice.eid.saml.config import sp_metadata, xmlsec_binary

    config = IdPConfig().load(
        {
            "entityid": simulator.entity_id,
            "xmlsec_binary": xmlsec_binary(),
            "key_file": str(simulator.keys.signing_key),
            "cert_file": str(simulator.keys.signing_cert),
            "metadata": {"inline": [sp_metadata()]},
            "service": {"idp": {"endpoints": {}}},
        }
    )
    server = Server(config=config)
    destination = "http://127.0.0.1:8000" + reverse("eid:saml_sls")
    _, request = server.create_logout_request(
        destination, simulator.entity_id, name_id=name_id, sign=False
    )
    info = server.apply_binding(
        BINDING_HTTP_REDIRECT, str(request), destination, "tillbaka", sign=sign,
        sigalg=SIG_RSA_SHA256 if sign else None, digest_alg=DIGEST_SHA256,
    )  # fmt: skip
    location = urlsplit(dict(info["headers"])["Location"])
    return f"{location.path}?{location.query}"


def test_a_logout_the_idp_asks_for_ends_the_session_and_is_answered_signed(client, db, region):
    from saml2.ident import decode

    post_to_portal(client, region.answer(start(client)))
    name_id = decode(client.session[federation.NAME_ID])
    response = client.get(logout_request_from_the_idp(region.simulator, name_id))
    assert logged_in_user(client) is None
    answer = response["Location"]
    assert answer.startswith(region.simulator.url + "slo?SAMLResponse=")
    assert "Signature=" in answer
    assert "RelayState=tillbaka" in answer


def test_a_logout_request_that_is_unsigned_or_for_someone_else_ends_nothing(client, db, region):
    from saml2.ident import decode
    from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID

    post_to_portal(client, region.answer(start(client)))
    name_id = decode(client.session[federation.NAME_ID])
    unsigned = client.get(logout_request_from_the_idp(region.simulator, name_id, sign=False))
    assert unsigned.status_code == 400
    signed = logout_request_from_the_idp(region.simulator, name_id)
    path, query = signed.split("?", 1)
    fields = parse_qs(query)
    # Another message under the IdP's signature: the signature no longer holds.
    fields["RelayState"] = ["elsewhere"]
    assert client.get(path, {k: v[0] for k, v in fields.items()}).status_code == 400
    someone_else = NameID(format=NAMEID_FORMAT_TRANSIENT, text="_nagon-annan")
    answered = client.get(logout_request_from_the_idp(region.simulator, someone_else))
    assert answered.status_code == 302
    assert logged_in_user(client).personal_identity_number == JENNYS_NUMBER

"""The login pages driven against the BankID simulator over mutual TLS."""

import re

import pytest
from django.contrib.auth import SESSION_KEY as AUTH_USER_KEY
from django.urls import reverse

from sjalvservice.accounts.models import User
from sjalvservice.eid.bankid import flow, messages
from sjalvservice.eid.tests.test_bankid_device import IPHONE, WINDOWS

pytestmark = pytest.mark.django_db


def start(client, method="qr", next_url=""):
    response = client.post(reverse("eid:bankid_start"), {"method": method, "next": next_url})
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("eid:bankid_wait")
    return client.session[flow.SESSION_KEY]["ref"]


def poll(client):
    """One poll of the waiting page, as htmx does it, past the once-a-second guard."""
    session = client.session
    session[flow.SESSION_KEY]["last_collect"] = 0
    session.save()
    return client.get(reverse("eid:bankid_status"), HTTP_HX_REQUEST="true")


def test_the_choice_page_offers_both_ways_to_anonymous_visitors(client, bankid):
    html = client.get(reverse("eid:bankid")).content.decode()
    assert "Mobilt BankID" in html
    assert "BankID på den här enheten" in html


def test_the_login_page_leads_to_the_e_id_choice(client, bankid):
    html = client.get(reverse("eid:login") + "?next=/mina-sidor/").content.decode()
    assert f'href="{reverse("eid:bankid")}?next=/mina-sidor/"' in html
    assert "Logga in med e-legitimation" in html


def test_starting_sends_the_real_client_address_and_device_data(client, bankid, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Test"
    ref = start(client, method="same_device")
    order = bankid.order(ref)
    assert order["endUserIp"] == "203.0.113.7"
    assert order["returnUrl"] == "http://testserver" + reverse("eid:bankid_wait")
    assert order["web"]["referringDomain"] == "testserver"
    assert order["web"]["userAgent"] == "Mozilla/5.0 (X11; Linux x86_64) Test"
    assert len(order["web"]["deviceIdentifier"]) == 64


def test_the_qr_secret_never_reaches_the_browser(client, bankid):
    ref = start(client)
    secret = client.session[flow.SESSION_KEY]["qr_start_secret"]
    pages = [
        client.get(reverse("eid:bankid_wait")),
        client.get(reverse("eid:bankid_qr")),
        poll(client),
    ]
    for page in pages:
        assert secret not in page.content.decode()
        assert secret not in str(page.cookies)
    assert ref


def test_the_qr_fragment_is_an_image_with_a_text_alternative(client, bankid):
    start(client)
    html = client.get(reverse("eid:bankid_qr")).content.decode()
    assert 'src="data:image/svg+xml' in html
    assert 'alt="QR-kod för Mobilt BankID' in html


def test_the_test_app_link_carries_a_qr_code_the_simulator_accepts(client, bankid):
    ref = start(client)
    content = flow.current_qr(_request_with(client))
    assert content.startswith(f"bankid.{bankid.order(ref)['qrStartToken']}.")
    html = client.get(reverse("eid:bankid_qr")).content.decode()
    assert f"{bankid.simulator.app_url}?qr=bankid." in html


def _request_with(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    return request


@pytest.mark.parametrize(
    ("method", "hint", "rfa"),
    [
        ("qr", "outstandingTransaction", "RFA1"),
        ("same_device", "outstandingTransaction", "RFA13"),
        ("qr", "noClient", "RFA1"),
        ("qr", "started", "RFA15A"),
        ("qr", "userSign", "RFA9"),
        ("qr", "userMrtd", "RFA23"),
        ("qr", "userCallConfirm", "call_confirm"),
        ("qr", "aHintFromTheFuture", "RFA21"),
    ],
)
def test_every_pending_hint_shows_its_message_and_keeps_polling(client, bankid, method, hint, rfa):
    ref = start(client, method=method)
    bankid.set_hint(ref, hint)
    response = poll(client)
    html = response.content.decode()
    assert str(messages.RFA[rfa]) in html
    assert 'data-hx-trigger="every 2s"' in html


@pytest.mark.parametrize(
    ("method", "hint", "rfa"),
    [
        ("qr", "expiredTransaction", "RFA8"),
        ("qr", "certificateErr", "RFA16"),
        ("qr", "userCancel", "RFA6"),
        ("qr", "cancelled", "RFA3"),
        ("qr", "startFailed", "RFA17B"),
        ("same_device", "startFailed", "RFA17A"),
        ("qr", "userDeclinedCall", "call_declined"),
        ("qr", "notSupportedByUserApp", "app_too_old"),
        ("qr", "transactionRiskBlocked", "risk_blocked"),
        ("qr", "aFailureFromTheFuture", "RFA22"),
    ],
)
def test_every_failure_shows_its_message_and_stops(client, bankid, method, hint, rfa):
    ref = start(client, method=method)
    bankid.fail(ref, hint)
    html = poll(client).content.decode()
    assert str(messages.RFA[rfa]) in html
    assert "every 2s" not in html
    assert "Försök igen" in html
    assert flow.SESSION_KEY not in client.session
    assert AUTH_USER_KEY not in client.session


def test_the_simulators_own_start_timeout_gives_rfa17(client, bankid):
    start(client)
    bankid.advance(31)
    assert str(messages.RFA["RFA17B"]) in poll(client).content.decode()


@pytest.mark.parametrize(
    ("error_code", "rfa"),
    [
        ("internalError", "RFA5"),
        ("requestTimeout", "RFA5"),
        ("unauthorized", "RFA5"),
        ("maintenance", "RFA5"),
        ("tooManyRequests", "RFA5"),
    ],
)
def test_an_error_when_starting_shows_its_message_and_loses_nothing(
    client, bankid, error_code, rfa
):
    bankid.fail_next(error_code, endpoint="auth")
    response = client.post(
        reverse("eid:bankid_start"), {"method": "qr", "next": "/mina-sidor/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("eid:bankid")
    assert str(messages.RFA[rfa]) in response.content.decode()
    assert flow.SESSION_KEY not in client.session


@pytest.mark.parametrize("error_code", ["maintenance", "tooManyRequests"])
def test_maintenance_while_collecting_is_retried_silently_then_reported(client, bankid, error_code):
    start(client)
    bankid.fail_next(error_code, count=flow.SILENT_RETRIES + 1, endpoint="collect")
    for _attempt in range(flow.SILENT_RETRIES):
        html = poll(client).content.decode()
        assert str(messages.RFA["RFA1"]) in html
    html = poll(client).content.decode()
    assert str(messages.RFA["RFA5"]) in html
    assert "every 2s" not in html


@pytest.mark.parametrize(
    ("error_code", "rfa"), [("internalError", "RFA5"), ("requestTimeout", "RFA5")]
)
def test_other_errors_while_collecting_stop_with_a_message(client, bankid, error_code, rfa):
    start(client)
    bankid.fail_next(error_code, endpoint="collect")
    assert str(messages.RFA[rfa]) in poll(client).content.decode()


def test_an_order_the_simulator_no_longer_knows_ends_with_unknown_error(client, bankid):
    start(client)
    bankid.post("reset")
    assert str(messages.RFA["RFA22"]) in poll(client).content.decode()


def test_completing_logs_in_a_new_citizen_with_a_new_session_key(client, bankid):
    client.get(reverse("eid:bankid"))
    ref = start(client, next_url="/mina-sidor/uppgifter/")
    key_before = client.session.session_key
    bankid.complete(ref, "198101059825", "Jenny", "Testersson")
    response = poll(client)
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/mina-sidor/uppgifter/"
    assert client.session.session_key != key_before
    jenny = User.objects.get(personal_identity_number="198101059825")
    assert jenny.get_full_name() == "Jenny Testersson"
    assert client.session[AUTH_USER_KEY] == str(jenny.pk)
    assert "Jenny Testersson</summary>" in client.get("/").content.decode()


def test_a_returning_citizen_gets_the_name_from_the_e_id(client, bankid, anna):
    ref = start(client)
    bankid.complete(ref, anna.personal_identity_number, "Anna-Karin", "Testersson")
    poll(client)
    anna.refresh_from_db()
    assert anna.first_name == "Anna-Karin"
    assert User.objects.count() == 1


def test_without_next_the_citizen_lands_on_my_pages(client, bankid):
    ref = start(client)
    bankid.complete(ref, "197504129912", "Bertil", "Provsson")
    assert poll(client)["HX-Redirect"] == reverse("cases:my_pages")


def test_a_next_leading_off_site_is_dropped(client, bankid):
    ref = start(client, next_url="https://evil.example/")
    bankid.complete(ref, "197504129912", "Bertil", "Provsson")
    assert poll(client)["HX-Redirect"] == reverse("cases:my_pages")


def test_the_waiting_page_itself_completes_the_login_without_javascript(client, bankid):
    ref = start(client, method="same_device", next_url="/mina-sidor/")
    bankid.complete(ref, "197504129912", "Bertil", "Provsson")
    response = client.get(reverse("eid:bankid_wait"))
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"


def test_the_waiting_page_never_refreshes_itself_without_javascript(client, bankid):
    start(client)
    html = client.get(reverse("eid:bankid_wait")).content.decode()
    assert "http-equiv" not in html
    assert html.count("<h1") == 1


def noscript(html):
    return "".join(re.findall(r"<noscript>(.*?)</noscript>", html, re.S))


@pytest.mark.parametrize("method", ["qr", "same_device"])
def test_without_javascript_fortsatt_asks_for_the_waiting_page_again(client, bankid, method):
    start(client, method=method)
    fallback = noscript(client.get(reverse("eid:bankid_wait")).content.decode())
    assert f'<form method="get" action="{reverse("eid:bankid_wait")}">' in fallback
    assert ">Fortsätt</button>" in fallback


def test_fortsatt_shows_the_apps_progress_and_then_logs_in(client, bankid):
    ref = start(client, next_url="/mina-sidor/")
    bankid.set_hint(ref, "userSign")
    session = client.session
    session[flow.SESSION_KEY]["last_collect"] = 0
    session.save()
    assert str(messages.RFA["RFA9"]) in client.get(reverse("eid:bankid_wait")).content.decode()
    bankid.complete(ref, "197504129912", "Bertil", "Provsson")
    session = client.session
    session[flow.SESSION_KEY]["last_collect"] = 0
    session.save()
    response = client.get(reverse("eid:bankid_wait"))
    assert response["Location"] == "/mina-sidor/"
    assert AUTH_USER_KEY in client.session


def test_fortsatt_after_a_failure_says_so_and_offers_nothing_but_trying_again(client, bankid):
    ref = start(client)
    bankid.fail(ref, "userCancel")
    html = client.get(reverse("eid:bankid_wait")).content.decode()
    assert str(messages.RFA["RFA6"]) in html
    assert "Försök igen" in html
    assert "Fortsätt" not in html
    assert 'id="bankid-cancel"' not in html
    assert 'id="bankid-switch"' not in html
    assert "sjs-qr" not in html


def test_without_javascript_the_qr_page_offers_a_new_qr_code(client, bankid):
    start(client)
    html = client.get(reverse("eid:bankid_wait")).content.decode()
    assert 'alt="QR-kod för Mobilt BankID' in html
    assert ">Visa ny QR-kod</button>" in noscript(html)
    first = re.search(r'src="(data:image/svg[^"]+)"', html)[1]
    session = client.session
    session[flow.SESSION_KEY]["started"] -= 2
    session.save()
    again = client.get(reverse("eid:bankid_wait")).content.decode()
    assert re.search(r'src="(data:image/svg[^"]+)"', again)[1] != first


def test_the_same_device_page_has_no_qr_code_button(client, bankid):
    start(client, method="same_device")
    html = client.get(reverse("eid:bankid_wait")).content.decode()
    assert "Visa ny QR-kod" not in html
    assert "Starta BankID-appen" in html


def test_only_the_waiting_page_loads_htmx_with_valid_attributes(client, bankid):
    home = client.get("/").content.decode()
    assert "htmx" not in home
    start(client)
    html = client.get(reverse("eid:bankid_wait")).content.decode()
    assert html.count("htmx.min.js") == 1
    assert '<meta name="htmx-config"' in html.split("</head>")[0]
    assert re.search(r"\shx-", html) is None
    assert 'data-hx-get="/logga-in/e-legitimation/status/"' in html
    assert re.search(r"\shx-", poll(client).content.decode()) is None


def switch_form(html):
    match = re.search(
        r'<form method="post" action="[^"]+" id="bankid-switch">(.*?)</form>', html, re.S
    )
    assert match, "no switch form"
    return match[1]


@pytest.mark.parametrize(
    ("method", "other", "label"),
    [("qr", "same_device", "BankID på den här enheten"), ("same_device", "qr", "Mobilt BankID")],
)
def test_the_waiting_page_offers_the_other_way(client, bankid, method, other, label):
    start(client, method=method, next_url="/mina-sidor/uppgifter/")
    form = switch_form(client.get(reverse("eid:bankid_wait")).content.decode())
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'name="method" value="{other}"' in form
    assert 'name="next" value="/mina-sidor/uppgifter/"' in form
    assert f">{label}</button>" in form


def test_switching_cancels_the_running_order_and_keeps_next(client, bankid):
    first = start(client, method="qr", next_url="/mina-sidor/uppgifter/")
    second = start(client, method="same_device", next_url="/mina-sidor/uppgifter/")
    assert bankid.order(first)["status"] != "pending"
    assert bankid.order(second)["returnUrl"] == "http://testserver" + reverse("eid:bankid_wait")
    order = client.session[flow.SESSION_KEY]
    assert (order["method"], order["next"]) == ("same_device", "/mina-sidor/uppgifter/")
    bankid.complete(second, "197504129912", "Bertil", "Provsson")
    assert poll(client)["HX-Redirect"] == "/mina-sidor/uppgifter/"


def choice_order(html):
    """The choice page's ways in page order, each with whether its button is the main one."""
    return [
        (method, "govuk-button--secondary" not in button)
        for method, button in re.findall(
            r'name="method" value="(\w+)">.*?(<button[^>]*>)', html, re.S
        )
    ]


def test_a_computer_gets_mobilt_bankid_first(client, bankid):
    html = client.get(reverse("eid:bankid"), headers={"User-Agent": WINDOWS}).content.decode()
    assert choice_order(html) == [("qr", True), ("same_device", False)]


@pytest.mark.parametrize(
    "headers",
    [{"User-Agent": IPHONE}, {"User-Agent": WINDOWS, "Sec-CH-UA-Mobile": "?1"}],
)
def test_a_phone_gets_bankid_on_this_device_first(client, bankid, headers):
    html = client.get(reverse("eid:bankid") + "?next=/mina-sidor/", headers=headers)
    html = html.content.decode()
    assert choice_order(html) == [("same_device", True), ("qr", False)]
    assert html.count('name="next" value="/mina-sidor/"') == 2
    assert html.count("<h1") == 1


def test_a_staff_members_number_never_logs_in_as_a_citizen(client, bankid, cecilia):
    cecilia.personal_identity_number = "198101059825"
    cecilia.save()
    ref = start(client)
    bankid.complete(ref, "198101059825", "Cecilia", "Handläggare")
    html = poll(client).content.decode()
    assert str(messages.RFA["staff_number"]) in html
    assert AUTH_USER_KEY not in client.session


def test_cancel_ends_the_order_at_bankid_too(client, bankid):
    ref = start(client)
    response = client.post(reverse("eid:bankid_cancel"), follow=True)
    assert str(messages.RFA["RFA6"]) in response.content.decode()
    assert flow.SESSION_KEY not in client.session
    assert bankid.order(ref)["status"] != "pending"


def test_starting_again_cancels_the_previous_order(client, bankid):
    first = start(client)
    start(client)
    assert bankid.order(first)["status"] != "pending"


def test_collect_is_asked_at_most_once_a_second(client, bankid):
    ref = start(client)
    poll(client)
    bankid.set_hint(ref, "userSign")
    html = client.get(reverse("eid:bankid_status")).content.decode()
    # The second poll within a second answers from the session: still the old message.
    assert str(messages.RFA["RFA1"]) in html


def test_starts_are_rate_limited_per_client_address(client, bankid, settings):
    settings.LOGIN_START_LIMIT = 2
    from django.core.cache import cache

    cache.clear()
    start(client)
    start(client)
    response = client.post(reverse("eid:bankid_start"), {"method": "qr"}, follow=True)
    assert "för många gånger" in response.content.decode()


def test_the_flow_pages_need_an_order(client, bankid):
    assert client.get(reverse("eid:bankid_wait"))["Location"] == reverse("eid:bankid")
    assert client.get(reverse("eid:bankid_qr")).content.strip() == b""
    assert "Inloggningen avbröts" in client.get(reverse("eid:bankid_status")).content.decode()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("eid:bankid", "post"),
        ("eid:bankid_start", "get"),
        ("eid:bankid_wait", "post"),
        ("eid:bankid_status", "post"),
        ("eid:bankid_qr", "post"),
        ("eid:bankid_cancel", "get"),
    ],
)
def test_each_page_rejects_the_wrong_method(client, bankid, name, method):
    assert getattr(client, method)(reverse(name)).status_code == 405


def test_a_bad_start_request_goes_back_to_the_choice(client, bankid):
    response = client.post(reverse("eid:bankid_start"), {"method": "fax"})
    assert response["Location"] == reverse("eid:bankid")
    assert flow.SESSION_KEY not in client.session


def test_start_needs_the_csrf_token(bankid, db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("eid:bankid_start"), {"method": "qr"}).status_code == 403


def test_an_unconfigured_bankid_says_so_and_starts_nothing(client, db, settings):
    settings.BANKID_URL = None
    assert "fungerar inte just nu" in client.get(reverse("eid:bankid")).content.decode()
    assert client.post(reverse("eid:bankid_start"), {"method": "qr"})["Location"] == reverse(
        "eid:bankid"
    )


def complete_from(bankid, ref, ip_address):
    return bankid.post(
        f"orders/{ref}/complete",
        {"personalNumber": "197504129912", "givenName": "Bertil", "surname": "Provsson",
         "ipAddress": ip_address},
    )  # fmt: skip


def test_on_this_device_an_app_at_another_address_is_recorded(client, bankid, caplog):
    ref = start(client, method="same_device")
    assert complete_from(bankid, ref, "198.51.100.23")["completionData"]["device"]["ipAddress"]
    with caplog.at_level("WARNING", logger="sjalvservice.eid.bankid.flow"):
        response = poll(client)
    # Recorded, not refused: the person may be on a VPN or a phone that left the Wi-Fi.
    assert response["HX-Redirect"] == reverse("cases:my_pages")
    (record,) = [r for r in caplog.records if "another IP address" in r.getMessage()]
    # Neither address is written down.
    assert "198.51.100.23" not in record.getMessage()
    assert "127.0.0.1" not in record.getMessage()


def test_on_this_device_the_same_address_is_not_recorded(client, bankid, caplog):
    ref = start(client, method="same_device")
    complete_from(bankid, ref, "127.0.0.1")
    with caplog.at_level("WARNING", logger="sjalvservice.eid.bankid.flow"):
        poll(client)
    assert not [r for r in caplog.records if "another IP address" in r.getMessage()]


def test_with_a_qr_code_another_address_is_expected(client, bankid, caplog):
    ref = start(client, method="qr")
    complete_from(bankid, ref, "198.51.100.23")
    with caplog.at_level("WARNING", logger="sjalvservice.eid.bankid.flow"):
        poll(client)
    assert not [r for r in caplog.records if "another IP address" in r.getMessage()]


@pytest.mark.parametrize(
    ("reported", "ours", "same"),
    [
        ("192.0.2.1", "192.0.2.1", True),
        ("::ffff:192.0.2.1", "192.0.2.1", True),
        ("192.0.2.1", "192.0.2.2", False),
        ("", "192.0.2.2", True),
        ("2001:db8::1", "2001:db8:0::1", True),
        ("inte-en-adress", "192.0.2.2", False),
    ],
)
def test_addresses_are_compared_as_addresses(reported, ours, same):
    assert flow.same_address(reported, ours) is same

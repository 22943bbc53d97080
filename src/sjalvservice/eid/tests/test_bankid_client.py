"""Our RP API v6.0 client against the simulator, over real mutual TLS."""

import base64

import pytest

from sjalvservice.eid.bankid import client as bankid_client
from sjalvservice.eid.bankid.client import (
    AppDevice,
    BankIdClient,
    Requirement,
    WebDevice,
    qr_content,
)


@pytest.fixture
def rp(bankid):
    paths = bankid.simulator.certificates
    rp = BankIdClient(
        base_url=bankid.simulator.api_url,
        client_cert=str(paths.client_cert),
        client_key=str(paths.client_key),
        ca_cert=str(paths.ca),
        timeout=5,
    )
    yield rp
    rp.close()


def test_the_qr_content_matches_the_official_test_vector():
    token = "67df3917-fa0d-44e5-b327-edcc928297f8"
    secret = "d28db9a7-4cde-429e-a983-359be676944c"
    assert qr_content(token, secret, 0) == (
        f"bankid.{token}.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
    )
    assert qr_content(token, secret, 1).endswith(
        ".1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"
    )
    assert qr_content(token, secret, 2).endswith(
        ".2.a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"
    )


def test_auth_sends_every_v6_field(rp, bankid):
    order = rp.auth(
        end_user_ip="192.0.2.10",
        requirement=Requirement(
            pin_code=True, mrtd=False, card_reader="class2",
            certificate_policies=["1.2.3.4.25"], personal_number="198101059825",
        ),
        user_visible_data="Logga in på **Självservice**",
        user_non_visible_data="ärende 113",
        user_visible_data_format="simpleMarkdownV1",
        return_url="https://e-tjanster.example.se/logga-in/e-legitimation/vantar/",
        return_risk=True,
        web=WebDevice(referring_domain="e-tjanster.example.se", user_agent="UA",
                      device_identifier="d" * 64),
    )  # fmt: skip
    assert order.order_ref
    assert order.auto_start_token
    assert order.qr_start_token
    assert order.qr_start_secret
    sent = bankid.order(order.order_ref)
    assert sent["endUserIp"] == "192.0.2.10"
    assert sent["requirement"] == {
        "pinCode": True, "mrtd": False, "cardReader": "class2",
        "certificatePolicies": ["1.2.3.4.25"], "personalNumber": "198101059825",
    }  # fmt: skip
    assert base64.b64decode(sent["userVisibleData"]).decode() == "Logga in på **Självservice**"
    assert base64.b64decode(sent["userNonVisibleData"]).decode() == "ärende 113"
    assert sent["userVisibleDataFormat"] == "simpleMarkdownV1"
    assert sent["returnRisk"] is True
    assert sent["web"]["referringDomain"] == "e-tjanster.example.se"


def test_auth_with_app_device_data(rp, bankid):
    order = rp.auth(
        end_user_ip="192.0.2.10",
        app=AppDevice(app_identifier="se.example.app", device_os="iOS 26",
                      device_model_name="iPhone", device_identifier="x" * 32),
    )  # fmt: skip
    assert bankid.order(order.order_ref)["app"]["appIdentifier"] == "se.example.app"


def test_web_and_app_together_are_refused_before_sending(rp):
    web = WebDevice(referring_domain="a", user_agent="b", device_identifier="c")
    app = AppDevice(app_identifier="a", device_os="b", device_model_name="c", device_identifier="d")
    with pytest.raises(ValueError, match="not both"):
        rp.auth(end_user_ip="192.0.2.10", web=web, app=app)


def test_collect_follows_the_order_to_completion(rp, bankid):
    order = rp.auth(end_user_ip="192.0.2.10", return_risk=True)
    pending = rp.collect(order.order_ref)
    assert (pending.status, pending.hint_code) == ("pending", "outstandingTransaction")
    bankid.complete(order.order_ref, "198101059825", "Jenny", "Testersson")
    done = rp.collect(order.order_ref)
    assert done.status == "complete"
    assert done.completion.user.personal_number == "198101059825"
    assert done.completion.user.given_name == "Jenny"
    assert done.completion.user.surname == "Testersson"
    assert done.completion.ip_address == "192.0.2.10"
    assert done.completion.signature
    assert done.completion.ocsp_response
    assert done.completion.risk == "low"
    with pytest.raises(bankid_client.InvalidParameters):
        rp.collect(order.order_ref)


def test_sign_and_phone_orders(rp, bankid):
    signed = rp.sign(end_user_ip="192.0.2.10", user_visible_data="Jag godkänner.")
    assert signed.qr_start_token
    phone = rp.phone_auth(personal_number="197504129912", call_initiator="RP")
    assert phone.order_ref
    assert not phone.qr_start_secret
    phone_signed = rp.phone_sign(
        personal_number="198101059825", call_initiator="user", user_visible_data="Ja."
    )
    assert bankid.order(phone_signed.order_ref)["callInitiator"] == "user"


def test_cancel_and_its_rules(rp):
    order = rp.auth(end_user_ip="192.0.2.10")
    rp.cancel(order.order_ref)
    with pytest.raises(bankid_client.InvalidParameters):
        rp.cancel(order.order_ref)
    with pytest.raises(bankid_client.InvalidParameters):
        rp.collect(order.order_ref)


def test_already_in_progress_aborts_both_orders(rp):
    first = rp.phone_auth(personal_number="198101059825", call_initiator="RP")
    with pytest.raises(bankid_client.AlreadyInProgress):
        rp.phone_auth(personal_number="198101059825", call_initiator="RP")
    result = rp.collect(first.order_ref)
    assert (result.status, result.hint_code) == ("failed", "cancelled")


@pytest.mark.parametrize(
    ("error_code", "exception", "status"),
    [
        ("maintenance", bankid_client.Maintenance, 503),
        ("internalError", bankid_client.InternalError, 500),
        ("requestTimeout", bankid_client.RequestTimeout, 408),
        ("unauthorized", bankid_client.Unauthorized, 401),
    ],
)
def test_every_injected_error_maps_to_its_exception(rp, bankid, error_code, exception, status):
    bankid.fail_next(error_code)
    with pytest.raises(exception) as raised:
        rp.auth(end_user_ip="192.0.2.10")
    assert raised.value.status == status


def test_rate_limiting_carries_the_limit_headers(rp, bankid):
    bankid.fail_next("tooManyRequests")
    with pytest.raises(bankid_client.TooManyRequests) as raised:
        rp.auth(end_user_ip="192.0.2.10")
    assert raised.value.limit is not None
    assert raised.value.reset is not None


def test_bad_parameters_are_invalid_parameters(rp):
    with pytest.raises(bankid_client.InvalidParameters):
        rp.auth(end_user_ip="not an address")


def test_a_server_with_another_ca_is_refused(bankid, tmp_path):
    from sjalvservice.simulators.bankid.certificates import ensure_certificates

    other = ensure_certificates(tmp_path)
    paths = bankid.simulator.certificates
    rp = BankIdClient(
        base_url=bankid.simulator.api_url,
        client_cert=str(paths.client_cert),
        client_key=str(paths.client_key),
        ca_cert=str(other.ca),
    )
    with pytest.raises(bankid_client.Unavailable):
        rp.auth(end_user_ip="192.0.2.10")


def test_nobody_listening_is_unavailable(bankid):
    paths = bankid.simulator.certificates
    rp = BankIdClient(
        base_url="https://127.0.0.1:9/rp/v6.0/",
        client_cert=str(paths.client_cert),
        client_key=str(paths.client_key),
        ca_cert=str(paths.ca),
        timeout=2,
    )
    with pytest.raises(bankid_client.Unavailable):
        rp.collect("00000000-0000-0000-0000-000000000000")

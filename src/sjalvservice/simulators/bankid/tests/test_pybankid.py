"""pybankid, an independent RP client, against the simulator.

pybankid hard-codes BankID's own URLs and CA; the subclass below swaps in the simulator's base
URL and an httpx client that pins the simulator CA and presents its RP client certificate.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from urllib.parse import urljoin

import bankid
import httpx
import pytest
from bankid.baseclient import BankIDClientBaseclass
from bankid.exceptions import (
    AlreadyInProgressError,
    InternalError,
    InvalidParametersError,
    MaintenanceError,
)

from ..certificates import CertificatePaths
from ..server import Simulator
from .support import TestApp

JENNY = "198101059825"


class SimulatorBankIDClient(bankid.BankIDClient):
    """pybankid's synchronous client, pointed at the simulator."""

    def __init__(self, api_url: str, certificates: CertificatePaths) -> None:
        cert_and_key = (str(certificates.client_cert), str(certificates.client_key))
        # Skip BankIDClient.__init__: it would build an httpx client for BankID's servers
        # (with the deprecated cert= argument). The base class only sets attributes.
        BankIDClientBaseclass.__init__(self, cert_and_key, test_server=True)
        self.api_url = api_url
        self.verify_cert = str(certificates.ca)
        self.ctx = ssl.create_default_context(cafile=self.verify_cert)
        self.ctx.load_cert_chain(*cert_and_key)
        for name, path in [
            ("_auth_endpoint", "auth"),
            ("_phone_auth_endpoint", "phone/auth"),
            ("_sign_endpoint", "sign"),
            ("_phone_sign_endpoint", "phone/sign"),
            ("_collect_endpoint", "collect"),
            ("_cancel_endpoint", "cancel"),
        ]:
            setattr(self, name, urljoin(api_url, path))
        self.client = httpx.Client(
            headers={"Content-Type": "application/json"}, verify=self.ctx, timeout=5
        )


@pytest.fixture
def client(simulator: Simulator) -> Iterator[SimulatorBankIDClient]:
    rp = SimulatorBankIDClient(simulator.api_url, simulator.certificates)
    yield rp
    rp.client.close()


def test_pybankid_authenticates_and_collects(client: SimulatorBankIDClient, app: TestApp) -> None:
    order = client.authenticate("192.0.2.5", user_visible_data="Logga in på *Självservice*")
    assert set(order) == {"orderRef", "autoStartToken", "qrStartToken", "qrStartSecret"}
    order_ref = order["orderRef"]
    assert client.collect(order_ref) == {
        "orderRef": order_ref,
        "status": "pending",
        "hintCode": "outstandingTransaction",
    }
    assert app.control("POST", f"orders/{order_ref}/complete", {}).status_code == 200
    answer = client.collect(order_ref)
    assert answer["status"] == "complete"
    assert answer["completionData"]["user"]["personalNumber"] == JENNY  # type: ignore[typeddict-item]
    assert answer["completionData"]["device"]["ipAddress"] == "192.0.2.5"  # type: ignore[typeddict-item]


def test_pybankid_qr_codes_are_accepted_by_the_app(
    client: SimulatorBankIDClient, app: TestApp, simulator: Simulator
) -> None:
    order = client.authenticate("192.0.2.5")
    started = simulator.orders.get(order["orderRef"]).created_at
    # The RP computes the QR code from its own clock; the simulator's clock is not advanced.
    content = client.generate_qr_code_content(
        order["qrStartToken"], started, order["qrStartSecret"]
    )
    response = app.scan(content)
    assert response.status_code == 303
    assert client.collect(order["orderRef"])["hintCode"] == "started"  # type: ignore[typeddict-item]


def test_pybankid_signs(client: SimulatorBankIDClient, app: TestApp) -> None:
    order = client.sign(
        "192.0.2.5", user_visible_data="Jag godkänner ansökan", user_non_visible_data="id 7"
    )
    _, hidden = app.scan_and_open(order["orderRef"])
    assert "Jag godkänner ansökan" in app.client.get(f"order/{hidden['order']}").text
    assert app.identify(hidden, person=JENNY).status_code == 200
    answer = client.collect(order["orderRef"])
    assert answer["status"] == "complete"


def test_pybankid_phone_authenticate(client: SimulatorBankIDClient, app: TestApp) -> None:
    order = client.phone_authenticate("197504129912", "RP")
    assert set(order) == {"orderRef"}
    assert client.collect(order["orderRef"])["hintCode"] == "outstandingTransaction"  # type: ignore[typeddict-item]


def test_pybankid_cancel(client: SimulatorBankIDClient) -> None:
    order = client.authenticate("192.0.2.5")
    assert client.cancel(order["orderRef"]) is True
    with pytest.raises(InvalidParametersError):
        client.collect(order["orderRef"])
    with pytest.raises(InvalidParametersError):
        client.cancel(order["orderRef"])


def test_pybankid_maps_already_in_progress(client: SimulatorBankIDClient) -> None:
    requirement = {"personalNumber": JENNY}
    first = client.authenticate("192.0.2.5", requirement=requirement)
    with pytest.raises(AlreadyInProgressError) as raised:
        client.authenticate("192.0.2.5", requirement=requirement)
    assert raised.value.rfa == 4
    assert client.collect(first["orderRef"])["hintCode"] == "cancelled"  # type: ignore[typeddict-item]


def test_pybankid_maps_invalid_parameters(client: SimulatorBankIDClient) -> None:
    with pytest.raises(InvalidParametersError) as raised:
        client.authenticate("not an ip")
    assert raised.value.json["errorCode"] == "invalidParameters"
    with pytest.raises(InvalidParametersError):
        client.collect("unknown")


def test_pybankid_maps_injected_errors(client: SimulatorBankIDClient, app: TestApp) -> None:
    app.control("POST", "fail-next", {"errorCode": "maintenance"})
    with pytest.raises(MaintenanceError):
        client.authenticate("192.0.2.5")
    app.control("POST", "fail-next", {"errorCode": "internalError"})
    with pytest.raises(InternalError):
        client.authenticate("192.0.2.5")

"""A BankID Relying Party API v6.0 simulator with a "Test-BankID" app in the browser.

Run it with ``python -m sjalvservice.simulators.bankid --data-dir DIR`` or, in tests::

    with Simulator(tmp_path) as simulator:
        ...  # simulator.api_url, simulator.app_url, simulator.certificates

It never imports the portal, and the portal never imports it: the two only share the wire
protocol, exactly as with the real service.
"""

from .certificates import CertificatePaths, ensure_certificates
from .orders import Clock, Order, OrderSettings, OrderStore, build_qr_content, qr_content
from .persons import TEST_PERSONS, Person
from .server import Simulator

__all__ = [
    "TEST_PERSONS",
    "CertificatePaths",
    "Clock",
    "Order",
    "OrderSettings",
    "OrderStore",
    "Person",
    "Simulator",
    "build_qr_content",
    "ensure_certificates",
    "qr_content",
]

"""The Simulator object itself, thread safety, and robustness against arbitrary input."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..orders import ApiError, AppError, Clock, OrderStore
from ..server import Simulator
from ..validation import validate_order_request
from .support import mtls_context


def test_the_simulator_serves_on_free_loopback_ports_and_stops(certificate_dir: Path) -> None:
    simulator = Simulator(certificate_dir, quiet=True)
    with pytest.raises(RuntimeError):
        _ = simulator.api_url
    with simulator:
        assert simulator.api_url.startswith("https://127.0.0.1:")
        assert simulator.api_url.endswith("/rp/v6.0/")
        assert simulator.app_url.startswith("http://127.0.0.1:")
        with pytest.raises(RuntimeError):
            simulator.start()
        port = httpx.URL(simulator.app_url).port
        assert httpx.get(simulator.app_url, timeout=5).status_code == 200
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_concurrent_requests_each_get_their_own_order(simulator: Simulator) -> None:
    context = mtls_context(simulator.certificates)

    def start_orders(_: int) -> list[str]:
        with httpx.Client(base_url=simulator.api_url, verify=context, timeout=10) as client:
            return [
                client.post("auth", json={"endUserIp": "192.0.2.1"}).json()["orderRef"]
                for _ in range(5)
            ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = [ref for batch in pool.map(start_orders, range(8)) for ref in batch]
    assert len(set(refs)) == 40
    assert len(simulator.orders.all()) == 40


def test_concurrent_orders_for_one_person_leave_at_most_one_running() -> None:
    store = OrderStore(Clock())
    request = {"endUserIp": "192.0.2.1", "requirement": {"personalNumber": "198101059825"}}

    def attempt(_: int) -> bool:
        try:
            store.create("auth", request)
        except ApiError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(attempt, range(64)))
    assert sum(order.status == "pending" for order in store.all()) <= 1


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["endUserIp", "requirement", "userVisibleData", "userNonVisibleData", "userVisibleDataFormat",
     "returnUrl", "returnRisk", "web", "app", "personalNumber", "callInitiator"]
)  # fmt: skip


@settings(max_examples=300, deadline=None, database=None)
@given(
    kind=st.sampled_from(["auth", "sign", "phone_auth", "phone_sign"]),
    body=JSON | st.dictionaries(FIELDS, JSON, max_size=6),
)
def test_any_json_body_is_either_accepted_or_invalid_parameters(kind: Any, body: Any) -> None:
    error_code = None
    try:
        validate_order_request(kind, body)
    except ApiError as error:
        error_code = error.error_code
    assert error_code in (None, "invalidParameters")


@settings(max_examples=200, deadline=None, database=None)
@given(text=st.text(max_size=120) | st.from_regex(r"bankid\.[0-9a-f-]{1,36}\.[0-9]{1,12}\.\w*"))
def test_any_scanned_text_is_either_accepted_or_refused_with_a_message(text: str) -> None:
    store = OrderStore(Clock())
    store.create("auth", {"endUserIp": "192.0.2.1"})
    message = "accepted"
    try:
        store.scan(text)
    except AppError as error:
        message = error.message
    assert message

"""The recommended user message (RFA) for every hint code and error, per method."""

import pytest
from django.utils import translation

from sjalvservice.eid.bankid import client, messages


@pytest.mark.parametrize(
    ("hint", "qr", "mobile", "rfa"),
    [
        ("outstandingTransaction", True, False, "RFA1"),
        ("outstandingTransaction", False, False, "RFA13"),
        ("noClient", True, False, "RFA1"),
        ("started", False, False, "RFA15A"),
        ("started", False, True, "RFA15B"),
        ("userSign", True, False, "RFA9"),
        ("userMrtd", True, False, "RFA23"),
        ("userCallConfirm", True, False, "call_confirm"),
        ("somethingNew", True, False, "RFA21"),
        (None, True, False, "RFA21"),
    ],
)
def test_pending_hints_get_their_message(hint, qr, mobile, rfa):
    assert messages.pending(hint, qr=qr, mobile=mobile) == messages.RFA[rfa]


@pytest.mark.parametrize(
    ("hint", "qr", "rfa"),
    [
        ("expiredTransaction", True, "RFA8"),
        ("certificateErr", True, "RFA16"),
        ("userCancel", True, "RFA6"),
        ("cancelled", True, "RFA3"),
        ("startFailed", True, "RFA17B"),
        ("startFailed", False, "RFA17A"),
        ("userDeclinedCall", True, "call_declined"),
        ("notSupportedByUserApp", True, "app_too_old"),
        ("transactionRiskBlocked", True, "risk_blocked"),
        ("somethingNew", True, "RFA22"),
    ],
)
def test_failure_hints_get_their_message(hint, qr, rfa):
    assert messages.failed(hint, qr=qr) == messages.RFA[rfa]


@pytest.mark.parametrize(
    ("error", "rfa"),
    [
        (client.AlreadyInProgress(), "RFA4"),
        (client.InvalidParameters(), "RFA22"),
        (client.NotFound(), "RFA22"),
        (client.Maintenance(), "RFA5"),
        (client.InternalError(), "RFA5"),
        (client.RequestTimeout(), "RFA5"),
        (client.TooManyRequests(), "RFA5"),
        (client.Unauthorized(), "RFA5"),
        (client.Unavailable(), "RFA5"),
    ],
)
def test_errors_get_their_message(error, rfa):
    assert messages.error(error) == messages.RFA[rfa]


def test_every_message_exists_in_english():
    for key, text in messages.RFA.items():
        with translation.override("sv"):
            swedish = str(text)
        with translation.override("en"):
            english = str(text)
        assert english != swedish, f"{key} has no English translation"

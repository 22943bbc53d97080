"""The simulator checks webhooks as the Standard Webhooks specification says: what the
reference implementation signs passes, anything changed does not."""

import base64
import time

import pytest
from standardwebhooks.webhooks import Webhook

from ..server import Refused, verify

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


def signed(body: bytes, message_id: str = "msg_1", when: float | None = None) -> dict[str, str]:
    moment = int(when if when is not None else time.time())
    from datetime import UTC, datetime

    signature = Webhook(SECRET).sign(message_id, datetime.fromtimestamp(moment, UTC), body.decode())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(moment),
        "webhook-signature": signature,
    }


def test_a_message_signed_by_the_reference_implementation_passes():
    body = b'{"type":"case.submitted","data":{"case_number":7}}'
    assert verify(SECRET, signed(body), body, time.time())["data"]["case_number"] == 7


@pytest.mark.parametrize(
    "change",
    [
        lambda headers, body: (headers, body.replace(b"7", b"8")),
        lambda headers, body: ({**headers, "webhook-id": "msg_2"}, body),
        lambda headers, body: ({**headers, "webhook-signature": "v1,AAAA"}, body),
        lambda headers, body: (
            {**headers, "webhook-timestamp": str(int(time.time()) - 3600)},
            body,
        ),
    ],
)
def test_a_changed_or_stale_message_is_refused(change):
    body = b'{"type":"case.submitted","data":{"case_number":7}}'
    headers, sent = change(signed(body), body)
    with pytest.raises(Refused):
        verify(SECRET, headers, sent, time.time())

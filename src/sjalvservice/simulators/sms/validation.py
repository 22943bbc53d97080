"""What the simulator accepts in ``POST /a1/sms``, and the refusals it answers otherwise.

The refusals are plain text with status 403, as 46elks answers them. The sender rule is
deliberately the strict core of what 46elks documents: an E.164 number, or 1-11 ASCII
letters and digits starting with a letter. 46elks also lets some other characters through
in text senders, but operators and phones treat those differently, so a portal that keeps
to this rule works everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

# `[0-9]`, not `\d`: `\d` also matches digits of other scripts. Country codes never start
# with 0, and E.164 numbers have at most 15 digits; 8 is the shortest this simulator takes.
E164: Final = re.compile(r"\+[1-9][0-9]{7,14}")
ALPHANUMERIC_SENDER: Final = re.compile(r"[A-Za-z][A-Za-z0-9]{0,10}")
# The parameters read; others (``flashsms``, ``whenreceived`` ...) are ignored, as 46elks
# ignores what it does not know.
PARAMETERS: Final = ("from", "to", "message", "whendelivered", "dontlog", "dryrun")


class Refusal(Exception):
    """A send the simulator refuses, with the plain-text reason and the status to answer."""

    def __init__(self, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class SendRequest:
    """A validated ``POST /a1/sms``."""

    sender: str
    to: str
    message: str
    whendelivered: str | None
    dontlog: bool
    dryrun: bool


def is_e164(value: str) -> bool:
    """Whether ``value`` is ``+`` and 8-15 ASCII digits, the first not 0."""
    return bool(E164.fullmatch(value))


def is_valid_sender(value: str) -> bool:
    """Whether ``value`` may be the ``from`` of an SMS: E.164, or an alphanumeric sender."""
    return is_e164(value) or bool(ALPHANUMERIC_SENDER.fullmatch(value))


def is_callback_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host, the only kind posted to."""
    try:
        parts = urlsplit(value)
        _ = parts.port  # a port that is no number raises ValueError
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def validate(form: Mapping[str, list[str]]) -> SendRequest:
    """The send in ``form`` (as ``parse_qs`` returns it), or a :class:`Refusal`."""
    for name in PARAMETERS:
        if len(form.get(name, [])) > 1:
            raise Refusal(f'Parameter "{name}" given more than once')
    values = {name: form[name][0] for name in PARAMETERS if name in form}
    to = values.get("to", "")
    if not to:
        raise Refusal('Missing "to"')
    if not is_e164(to):
        raise Refusal('Invalid "to" number')
    sender = values.get("from", "")
    if not sender:
        raise Refusal('Missing "from"')
    if not is_valid_sender(sender):
        raise Refusal('Invalid "from" number or sender name')
    message = values.get("message", "")
    if not message:
        raise Refusal('Missing "message"')
    whendelivered = values.get("whendelivered") or None
    if whendelivered is not None and not is_callback_url(whendelivered):
        raise Refusal('Invalid "whendelivered" URL')
    dontlog = values.get("dontlog", "")
    if dontlog not in ("", "message"):
        raise Refusal('Invalid "dontlog" value, use "message"')
    dryrun = values.get("dryrun", "no")
    if dryrun not in ("yes", "no"):
        raise Refusal('Invalid "dryrun" value, use "yes" or "no"')
    return SendRequest(
        sender=sender,
        to=to,
        message=message,
        whendelivered=whendelivered,
        dontlog=dontlog == "message",
        dryrun=dryrun == "yes",
    )

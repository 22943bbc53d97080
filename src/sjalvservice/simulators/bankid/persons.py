"""Test persons and the completion data the simulated BankID app hands back.

Every personal identity number here is from the 980-999 birth-number series that Skatteverket
reserves for tests, so none of them belongs to a real person.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Person:
    """Who identifies in the simulated app."""

    personal_number: str
    given_name: str
    surname: str

    @property
    def name(self) -> str:
        """The full name as BankID returns it in ``completionData.user.name``."""
        return f"{self.given_name} {self.surname}"


TEST_PERSONS: tuple[Person, ...] = (
    Person("198101059825", "Jenny", "Testersson"),
    Person("197504129912", "Bertil", "Provsson"),
    Person("199001019802", "Anna", "Testsson"),
)


def is_twelve_digits(value: object) -> bool:
    """Return whether ``value`` is a string of exactly 12 ASCII digits (BankID's format)."""
    return isinstance(value, str) and len(value) == 12 and value.isascii() and value.isdigit()


def luhn_ok(personal_number: str) -> bool:
    """Check the control digit of a 12-digit personal number over its 10-digit form."""
    if not is_twelve_digits(personal_number):
        return False
    total = 0
    for index, char in enumerate(personal_number[2:]):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return total % 10 == 0


def _digest(label: str, personal_number: str) -> bytes:
    # Derived values are stable per person, so tests can compare two logins of one person.
    return hashlib.sha256(f"bankid-simulator:{label}:{personal_number}".encode()).digest()


def unique_hardware_id(personal_number: str) -> str:
    """A stable stand-in for ``device.uhi`` (real ones are base64 of 20 bytes)."""
    return base64.b64encode(_digest("uhi", personal_number)[:20]).decode("ascii")


def issue_date(personal_number: str) -> str:
    """A stable, plausible ``bankIdIssueDate`` between 2020 and 2024."""
    offset = int.from_bytes(_digest("issued", personal_number)[:4], "big") % (5 * 365)
    return (dt.date(2020, 1, 1) + dt.timedelta(days=offset)).isoformat()


def signature_xml(
    *,
    order_ref: str,
    kind: str,
    person: Person,
    user_visible_data: str | None,
    user_non_visible_data: str | None,
    signed_at: float,
) -> bytes:
    """A small XML document standing in for BankID's XML-DSig signature.

    It deliberately uses its own namespace rather than imitating a real signature: nobody should
    mistake it for something that can be verified.
    """
    when = dt.datetime.fromtimestamp(signed_at, dt.UTC).isoformat(timespec="seconds")
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<simulatedSignature xmlns="urn:sjalvservice:bankid-simulator:signature">',
        f"<orderRef>{escape(order_ref)}</orderRef>",
        f"<kind>{escape(kind)}</kind>",
        f"<personalNumber>{escape(person.personal_number)}</personalNumber>",
        f"<name>{escape(person.name)}</name>",
    ]
    if user_visible_data is not None:
        parts.append(f"<usrVisibleData>{escape(user_visible_data)}</usrVisibleData>")
    if user_non_visible_data is not None:
        parts.append(f"<usrNonVisibleData>{escape(user_non_visible_data)}</usrNonVisibleData>")
    parts += [f"<signedAt>{when}</signedAt>", "</simulatedSignature>"]
    return "".join(parts).encode("utf-8")


def completion_data(
    *,
    order_ref: str,
    kind: str,
    person: Person,
    ip_address: str,
    requirement: dict[str, Any],
    return_risk: bool,
    user_visible_data: str | None,
    user_non_visible_data: str | None,
    signed_at: float,
) -> dict[str, Any]:
    """Build ``completionData`` in the shape of the RP API v6.0 ``/collect`` answer."""
    data: dict[str, Any] = {
        "user": {
            "personalNumber": person.personal_number,
            "name": person.name,
            "givenName": person.given_name,
            "surname": person.surname,
        },
        "device": {"ipAddress": ip_address, "uhi": unique_hardware_id(person.personal_number)},
        "bankIdIssueDate": issue_date(person.personal_number),
    }
    if requirement.get("mrtd") is True:
        data["stepUp"] = {"mrtd": True}
    xml = signature_xml(
        order_ref=order_ref,
        kind=kind,
        person=person,
        user_visible_data=user_visible_data,
        user_non_visible_data=user_non_visible_data,
        signed_at=signed_at,
    )
    data["signature"] = base64.b64encode(xml).decode("ascii")
    ocsp = f"bankid-simulator OCSP response for {order_ref}: good".encode("ascii")
    data["ocspResponse"] = base64.b64encode(ocsp).decode("ascii")
    if return_risk:
        data["risk"] = "low"
    return data

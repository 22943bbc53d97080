"""What the portal notifies people of, who hears of it, and the default texts.

The texts name only the e-service, the case number and the municipality (for a draft about
to expire, the day it goes) and link to the portal: a notice says that something happened,
never what the case is about. Their placeholders are the same in the defaults and in a
municipality's own texts (``TextOverride``), which are checked against ``PLACEHOLDERS``
when saved.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # To the citizen: on Mina sidor always, by e-mail and SMS as they chose.
    CASE_SUBMITTED = "case_submitted", _("Ärendet har skickats in")
    STATUS_CHANGED = "status_changed", _("Ärendet har fått ny status")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Handläggaren ber om komplettering")
    SUPPLEMENT_REMINDER = "supplement_reminder", _("Påminnelse om komplettering")
    MESSAGE_TO_CITIZEN = "message_to_citizen", _("Nytt meddelande från handläggaren")
    PLACE_OFFERED = "place_offered", _("En plats ur kön erbjuds")
    QUEUE_CONFIRMATION_DUE = "queue_confirmation_due", _("Dags att bekräfta köplatsen")
    BOOKING_CONFIRMED = "booking_confirmed", _("Bokningen är bekräftad")
    BOOKING_CANCELLED = "booking_cancelled", _("Kommunen har avbokat")
    DRAFT_EXPIRING = "draft_expiring", _("Ditt påbörjade ärende tas snart bort")
    # To staff, by e-mail as each of them chose.
    NEW_CASE = "new_case", _("Nytt ärende i mina e-tjänster")
    CASE_SUPPLEMENTED = "case_supplemented", _("Ett ärende har kompletterats")
    MESSAGE_FROM_CITIZEN = "message_from_citizen", _("Nytt meddelande från den sökande")
    CASE_ASSIGNED = "case_assigned", _("Ett ärende har tilldelats mig")
    # To a case-management system, as a webhook (the integration API's subscriptions).
    CASE_EVENT = "case_event", _("Händelse till verksamhetssystem")


CITIZEN_KINDS = frozenset(
    {
        Kind.CASE_SUBMITTED,
        Kind.STATUS_CHANGED,
        Kind.SUPPLEMENT_REQUESTED,
        Kind.SUPPLEMENT_REMINDER,
        Kind.MESSAGE_TO_CITIZEN,
        Kind.PLACE_OFFERED,
        Kind.QUEUE_CONFIRMATION_DUE,
        Kind.BOOKING_CONFIRMED,
        Kind.BOOKING_CANCELLED,
        Kind.DRAFT_EXPIRING,
    }
)
SYSTEM_KINDS = frozenset({Kind.CASE_EVENT})
STAFF_KINDS = frozenset(Kind) - CITIZEN_KINDS - SYSTEM_KINDS
# The notices people read, whose texts a municipality may write itself.
NOTICE_KINDS = CITIZEN_KINDS | STAFF_KINDS


class Channel(models.TextChoices):
    PORTAL = "portal", _("Mina sidor")
    EMAIL = "email", _("E-post")
    SMS = "sms", _("SMS")
    WEBHOOK = "webhook", _("Webhook")


# Name -> what it stands for, shown beside the text fields of the override form.
PLACEHOLDERS: dict[str, Promise] = {
    "e_tjanst": _("e-tjänstens namn"),
    "arendenummer": _("ärendenummer"),
    "kommun": _("kommunens namn"),
    "lank": _("länk till ärendet i portalen"),
    "borttagningsdatum": _("dagen då ett påbörjat ärende tas bort (bara i notisen om det)"),
}


@dataclass(frozen=True)
class Texts:
    """One notice in one language: the e-mail's subject and text and the SMS."""

    subject: str
    body: str
    sms: str


_DEFAULTS: dict[str, tuple[Promise, Promise, Promise]] = {
    Kind.CASE_SUBMITTED: (
        _("Ditt ärende {arendenummer} har kommit in"),
        _(
            "Hej!\n\nVi har tagit emot ditt ärende {arendenummer} i e-tjänsten {e_tjanst} "
            "hos {kommun}. Du kan följa ärendet på Mina sidor."
        ),
        _("{kommun}: vi har tagit emot ditt ärende {arendenummer}. Följ det på Mina sidor: {lank}"),
    ),
    Kind.STATUS_CHANGED: (
        _("Ditt ärende {arendenummer} har fått ny status"),
        _(
            "Hej!\n\nDitt ärende {arendenummer} i e-tjänsten {e_tjanst} hos {kommun} har fått "
            "ny status. Logga in på Mina sidor för att se den."
        ),
        _("{kommun}: ditt ärende {arendenummer} har fått ny status. Se den på Mina sidor: {lank}"),
    ),
    Kind.SUPPLEMENT_REQUESTED: (
        _("Ditt ärende {arendenummer} behöver kompletteras"),
        _(
            "Hej!\n\nHandläggaren av ditt ärende {arendenummer} i e-tjänsten {e_tjanst} hos "
            "{kommun} ber dig komplettera det. Logga in på Mina sidor, läs meddelandet och "
            'välj "Ändra ärende".'
        ),
        _(
            "{kommun}: ditt ärende {arendenummer} behöver kompletteras. Läs vad som saknas på "
            "Mina sidor: {lank}"
        ),
    ),
    Kind.SUPPLEMENT_REMINDER: (
        _("Påminnelse: ditt ärende {arendenummer} väntar på komplettering"),
        _(
            "Hej!\n\nDitt ärende {arendenummer} i e-tjänsten {e_tjanst} hos {kommun} väntar "
            "fortfarande på din komplettering. Logga in på Mina sidor, läs meddelandet och "
            'välj "Ändra ärende".'
        ),
        _("{kommun}: ditt ärende {arendenummer} väntar fortfarande på komplettering: {lank}"),
    ),
    Kind.MESSAGE_TO_CITIZEN: (
        _("Nytt meddelande i ditt ärende {arendenummer}"),
        _(
            "Hej!\n\nDu har fått ett nytt meddelande i ditt ärende {arendenummer} i e-tjänsten "
            "{e_tjanst} hos {kommun}. Logga in på Mina sidor för att läsa det."
        ),
        _("{kommun}: du har ett nytt meddelande i ärende {arendenummer}. Läs det: {lank}"),
    ),
    Kind.PLACE_OFFERED: (
        _("Du erbjuds en plats genom ditt ärende {arendenummer}"),
        _(
            "Hej!\n\nDu står först i kön och erbjuds en plats genom ditt ärende "
            "{arendenummer} i e-tjänsten {e_tjanst} hos {kommun}. Logga in på Mina sidor för "
            "att läsa mer, och svara kommunen så snart du kan."
        ),
        _("{kommun}: du erbjuds en plats genom ditt ärende {arendenummer}. Läs mer: {lank}"),
    ),
    Kind.QUEUE_CONFIRMATION_DUE: (
        _("Dags att bekräfta din köplats"),
        _(
            "Hej!\n\nDu står i kö genom ditt ärende {arendenummer} i e-tjänsten {e_tjanst} "
            "hos {kommun}. Bekräfta din köplats under Mina köplatser på Mina sidor inom 30 "
            "dagar för att behålla den."
        ),
        _("{kommun}: bekräfta din köplats inom 30 dagar för att behålla den: {lank}"),
    ),
    Kind.BOOKING_CONFIRMED: (
        _("Din bokning i ärende {arendenummer} är bekräftad"),
        _(
            "Hej!\n\n{kommun} har bekräftat bokningen i ditt ärende {arendenummer} i "
            "e-tjänsten {e_tjanst}. Du ser den under Mina bokningar på Mina sidor."
        ),
        _("{kommun}: din bokning i ärende {arendenummer} är bekräftad. Se den: {lank}"),
    ),
    Kind.BOOKING_CANCELLED: (
        _("Din bokning i ärende {arendenummer} är avbokad"),
        _(
            "Hej!\n\n{kommun} har avbokat bokningen i ditt ärende {arendenummer} i "
            "e-tjänsten {e_tjanst}. Logga in på Mina sidor för att läsa mer."
        ),
        _("{kommun}: din bokning i ärende {arendenummer} är avbokad. Läs mer: {lank}"),
    ),
    Kind.DRAFT_EXPIRING: (
        _("Ditt påbörjade ärende i {e_tjanst} tas snart bort"),
        _(
            "Hej!\n\nDu har ett påbörjat ärende i e-tjänsten {e_tjanst} hos {kommun} som inte "
            "är inskickat. Det tas bort {borttagningsdatum} om du inte fortsätter med det. "
            "Logga in på Mina sidor och välj Fortsätt under Ej inskickade ärenden för att "
            "spara det igen eller skicka in det."
        ),
        _(
            "{kommun}: ditt påbörjade ärende i {e_tjanst} tas bort {borttagningsdatum} om du "
            "inte fortsätter med det: {lank}"
        ),
    ),
    Kind.NEW_CASE: (
        _("Nytt ärende {arendenummer} i {e_tjanst}"),
        _("Ett nytt ärende, {arendenummer}, har kommit in i e-tjänsten {e_tjanst}."),
        _("Nytt ärende {arendenummer} i {e_tjanst}: {lank}"),
    ),
    Kind.CASE_SUPPLEMENTED: (
        _("Ärende {arendenummer} har kompletterats"),
        _("Den sökande har kompletterat ärende {arendenummer} i e-tjänsten {e_tjanst}."),
        _("Ärende {arendenummer} har kompletterats: {lank}"),
    ),
    Kind.MESSAGE_FROM_CITIZEN: (
        _("Nytt meddelande i ärende {arendenummer}"),
        _(
            "Den sökande har skickat ett nytt meddelande i ärende {arendenummer} i e-tjänsten "
            "{e_tjanst}."
        ),
        _("Nytt meddelande i ärende {arendenummer}: {lank}"),
    ),
    Kind.CASE_ASSIGNED: (
        _("Ärende {arendenummer} har tilldelats dig"),
        _("Ärende {arendenummer} i e-tjänsten {e_tjanst} har tilldelats dig."),
        _("Ärende {arendenummer} har tilldelats dig: {lank}"),
    ),
}


def default_texts(kind: str) -> Texts:
    """The portal's own texts for ``kind``, in the active language."""
    subject, body, sms = _DEFAULTS[kind]
    return Texts(subject=str(subject), body=str(body), sms=str(sms))


def unknown_placeholders(text: str) -> list[str]:
    """The ``{names}`` in ``text`` that are not placeholders (also ``{x.attr}``, ``{0}``
    and format specifications); raises ``ValueError`` for unbalanced braces."""
    unknown = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            unknown.append("{" + name + (f"!{conversion}" if conversion else "") + "}")
    return unknown


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders filled in (checked with ``unknown_placeholders``)."""
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})

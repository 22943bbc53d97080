"""BankID's recommended user messages (RFA), chosen per hint code, error and login method."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from sjalvservice.eid.bankid import client

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

RFA: dict[str, StrPromise] = {
    "RFA1": _("Starta BankID-appen."),
    "RFA3": _("Åtgärden avbruten. Försök igen."),
    "RFA4": _(
        "En identifiering eller underskrift för det här personnumret är redan påbörjad. "
        "Försök igen."
    ),
    "RFA5": _("Internt tekniskt fel. Försök igen."),
    "RFA6": _("Åtgärden avbruten."),
    "RFA8": _(
        "BankID-appen svarar inte. Kontrollera att den är startad och att du har "
        "internetanslutning. Om du inte har något giltigt BankID kan du skaffa ett hos din "
        "bank. Försök sedan igen."
    ),
    "RFA9": _("Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under."),
    "RFA13": _("Försöker starta BankID-appen."),
    "RFA15A": _(
        "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och "
        "inget BankID har hittats har du sannolikt inget BankID som går att använda för den "
        "aktuella identifieringen/underskriften i den här datorn. Om du har ett BankID-kort, "
        "sätt in det i kortläsaren. Om du inte har något BankID kan du skaffa ett hos din bank."
    ),
    "RFA15B": _(
        "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och "
        "inget BankID har hittats har du sannolikt inget BankID som går att använda för den "
        "aktuella identifieringen/underskriften i den här enheten. Om du inte har något "
        "BankID kan du skaffa ett hos din bank."
    ),
    "RFA16": _(
        "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat "
        "BankID eller skaffa ett nytt hos din bank."
    ),
    "RFA17A": _(
        "BankID-appen verkar inte finnas i din dator eller mobil. Installera den och skaffa "
        "ett BankID hos din bank. Installera appen från din appbutik eller "
        "https://install.bankid.com."
    ),
    "RFA17B": _(
        "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. "
        "Kontrollera att BankID-appen är uppdaterad. Om du inte har BankID-appen måste du "
        "installera den och skaffa ett BankID hos din bank. Installera appen från din "
        "appbutik eller https://install.bankid.com."
    ),
    "RFA21": _("Identifiering eller underskrift pågår."),
    "RFA22": _("Okänt fel. Försök igen."),
    "RFA23": _("Fotografera och läs av din ID-handling med BankID-appen."),
    # Not RFA texts: BankID leaves the wording of these cases to the relying party.
    "call_confirm": _("Bekräfta i BankID-appen att du pratar i telefon med kommunen."),
    "call_declined": _("Du svarade att du inte pratar i telefon med kommunen. Åtgärden avbruten."),
    "app_too_old": _("Din BankID-app behöver uppdateras. Uppdatera den och försök igen."),
    "staff_number": _(
        "Personnumret hör till ett konto för personal. Personal loggar in i handläggarvyn."
    ),
    "risk_blocked": _(
        "BankID stoppade inloggningen av säkerhetsskäl. Försök igen senare eller kontakta din bank."
    ),
}


def pending(hint_code: str | None, *, qr: bool, mobile: bool) -> StrPromise:
    """What to show while an order is pending."""
    if hint_code in {"outstandingTransaction", "noClient"}:
        return RFA["RFA1"] if qr else RFA["RFA13"]
    if hint_code == "started":
        return RFA["RFA15B"] if mobile else RFA["RFA15A"]
    if hint_code == "userSign":
        return RFA["RFA9"]
    if hint_code == "userMrtd":
        return RFA["RFA23"]
    if hint_code == "userCallConfirm":
        return RFA["call_confirm"]
    return RFA["RFA21"]


def failed(hint_code: str | None, *, qr: bool) -> StrPromise:
    """What to show when an order has failed."""
    if hint_code == "expiredTransaction":
        return RFA["RFA8"]
    if hint_code == "certificateErr":
        return RFA["RFA16"]
    if hint_code == "userCancel":
        return RFA["RFA6"]
    if hint_code == "cancelled":
        return RFA["RFA3"]
    if hint_code == "startFailed":
        return RFA["RFA17B"] if qr else RFA["RFA17A"]
    if hint_code == "userDeclinedCall":
        return RFA["call_declined"]
    if hint_code == "notSupportedByUserApp":
        return RFA["app_too_old"]
    if hint_code == "transactionRiskBlocked":
        return RFA["risk_blocked"]
    return RFA["RFA22"]


def error(exception: client.BankIdError) -> StrPromise:
    """What to show when BankID answered with an error (or not at all)."""
    if isinstance(exception, client.AlreadyInProgress):
        return RFA["RFA4"]
    if isinstance(exception, client.InvalidParameters | client.NotFound):
        return RFA["RFA22"]
    return RFA["RFA5"]

"""The demo data: two municipalities, four staff accounts, their e-services and reply
templates, and two test citizens.

The staff log in with the published demo password and, as second factor, codes from one
published TOTP secret (any authenticator app, or ``oathtool --totp -b JBSWY3DPEHPK3PXP``).
The citizens carry test personal identity numbers from the 980-999 birth-number
series, which Skatteverket never assigns to real people.
"""

from __future__ import annotations

from typing import Any

DEMO_PASSWORD = "sjalvservice-demo"  # noqa: S105  (published demo credential)
# The demo staff's TOTP secret in base32, as authenticator apps and oathtool take it.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105  (published demo credential)

MUNICIPALITIES: list[dict[str, str]] = [
    {
        "slug": "lycksele",
        "name": "Lycksele kommun",
        "organisation_number": "2120002460",
        "contact_email": "kommun@lycksele.example",
        "contact_phone": "0950-166 00",
        "website": "https://www.lycksele.se/",
        # Its own site on loopback: http://lycksele.localhost:8000/ (see README).
        "host": "lycksele.localhost",
        "brand_colour": "#00594f",
    },
    {
        "slug": "skelleftea",
        "name": "Skellefteå kommun",
        "organisation_number": "2120002742",
        "contact_email": "kommun@skelleftea.example",
        "contact_phone": "0910-73 50 00",
        "website": "https://skelleftea.se/",
        "host": "skelleftea.localhost",
        "brand_colour": "#8a1538",
    },
]

# Shown first among the most used e-services on their municipality's own site: the
# handbook's "Mest använda tjänsterna" (bygglov, vårdnad, träningstid, camping) and the two
# every municipality has.
FEATURED_ESERVICES = [
    "bygglov", "ansokan-om-traningstid", "ansokan-om-campingplats", "medborgarforslag",
    "anmalan-om-vardnad", "felanmalan-gata-och-park",
]  # fmt: skip

STAFF: list[dict[str, Any]] = [
    {"username": "admin", "first_name": "Admin", "last_name": "Administratör",
     "superuser": True, "municipality": None, "role": "plattformsadministratör"},
    {"username": "kommunadmin", "first_name": "Karin", "last_name": "Administratör",
     "superuser": False, "municipality": "skelleftea", "municipality_admin": True,
     "role": "kommunadministratör", "email": "karin@skelleftea.example"},
    {"username": "julia", "first_name": "Julia", "last_name": "Landsell",
     "superuser": False, "municipality": "skelleftea", "role": "handläggare",
     "email": "julia@skelleftea.example"},
    {"username": "david", "first_name": "David", "last_name": "Lind",
     "superuser": False, "municipality": "lycksele", "role": "handläggare",
     "email": "david@lycksele.example"},
]  # fmt: skip

# Who handles which demo e-services: Julia through a handler group, David directly.
# Julia handles every e-service of Skellefteå through her group; David is assigned every
# e-service of Lycksele directly.
HANDLER_GROUPS: list[dict[str, Any]] = [
    {"municipality": "skelleftea", "name": "Kommunledningskontoret", "members": ["julia"]},
]  # fmt: skip
HANDLERS_OF_EVERY_ESERVICE = ["david"]

# Jenny has chosen notices by e-mail (a confirmed address) and SMS, so that a person trying
# the demo sees them arrive in the demo's mailbox and on the SMS simulator's page.
CITIZEN_PROFILES: dict[str, dict[str, Any]] = {
    "198101059825": {
        "email": "jenny@example.se", "email_confirmed": "jenny@example.se",
        "mobile": "0701234567", "notify_email": True, "notify_sms": True,
    },
}  # fmt: skip

CITIZENS: list[dict[str, str]] = [
    {"personal_identity_number": "198101059825", "given_name": "Jenny", "surname": "Testersson"},
    {"personal_identity_number": "197504129912", "given_name": "Bertil", "surname": "Provsson"},
]

# Lycksele's boat places are handed out from a queue, with Bertil first and Jenny after him
# (placed directly; others join through the e-service "Ansökan om båtplats"); its meeting
# room Lyckan is booked by the hour through "Boka lokal".
QUEUES: list[dict[str, Any]] = [
    {"municipality": "lycksele", "slug": "batplatser", "name": "Båtplatser i Lycksele",
     "description": "Båtplatser i kommunens småbåtshamnar vid Umeälven, i turordning efter "
     "anmälan. Bekräfta din plats en gång om året för att behålla den.",
     "yearly_confirmation": True, "people": ["197504129912", "198101059825"]},
]  # fmt: skip
RESOURCES: list[dict[str, Any]] = [
    {"municipality": "lycksele", "slug": "lyckan", "name": "Sammanträdesrum Lyckan",
     "description": "Sammanträdesrum för tolv personer med skärm och whiteboard.",
     "address": "Torget 1, Lycksele", "open_weekdays": "12345", "opens": "08:00",
     "closes": "17:00", "slot_minutes": 60, "capacity": 1, "book_days_ahead": 60,
     "cancel_hours_before": 24, "confirm_at_once": True},
]  # fmt: skip

# Ready texts for messages to the citizen, per demo e-service (slug -> [(title, text)]).
REPLY_TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "medborgarforslag": [
        (
            "Förslaget är mottaget",
            "Tack för ditt förslag. Vi har tagit emot det och lämnar det till den nämnd som "
            "ansvarar för frågan. Du får besked när nämnden har behandlat förslaget.",
        ),
        (
            "Komplettera med plats",
            "Vi behöver veta exakt var ditt förslag gäller. Välj Ändra ärende och beskriv "
            "platsen, gärna med en karta eller ett foto.",
        ),
    ],
}

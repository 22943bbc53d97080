"""Load the demo data: two municipalities, four staff accounts, two test citizens and
the demo e-services (the YAML files in ``sjalvservice/eservices/demo/``).

The staff log in with the published demo password and, as second factor, codes from one
published TOTP secret (any authenticator app, or ``oathtool --totp -b JBSWY3DPEHPK3PXP``).
The citizens carry test personal identity numbers from the 980-999 birth-number
series, which Skatteverket never assigns to real people.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sjalvservice.core.models import Municipality

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
    },
    {
        "slug": "skelleftea",
        "name": "Skellefteå kommun",
        "organisation_number": "2120002742",
        "contact_email": "kommun@skelleftea.example",
        "contact_phone": "0910-73 50 00",
        "website": "https://skelleftea.se/",
    },
]

STAFF: list[dict[str, Any]] = [
    {"username": "admin", "first_name": "Admin", "last_name": "Administratör",
     "superuser": True, "municipality": None, "role": "plattformsadministratör"},
    {"username": "kommunadmin", "first_name": "Karin", "last_name": "Administratör",
     "superuser": False, "municipality": "skelleftea", "municipality_admin": True,
     "role": "kommunadministratör"},
    {"username": "julia", "first_name": "Julia", "last_name": "Landsell",
     "superuser": False, "municipality": "skelleftea", "role": "handläggare"},
    {"username": "david", "first_name": "David", "last_name": "Lind",
     "superuser": False, "municipality": "lycksele", "role": "handläggare"},
]  # fmt: skip

# Who handles which demo e-services: Julia through a handler group, David directly.
HANDLER_GROUPS: list[dict[str, Any]] = [
    {"municipality": "skelleftea", "name": "Kommunledningskontoret", "members": ["julia"],
     "eservices": ["bygglov", "medborgarforslag", "serveringstillstand"]},
]  # fmt: skip
ASSIGNMENTS: dict[str, list[str]] = {
    "david": ["batplats", "boka-lokal", "felanmalan-gata-och-park"],
}

CITIZENS: list[dict[str, str]] = [
    {"personal_identity_number": "198101059825", "given_name": "Jenny", "surname": "Testersson"},
    {"personal_identity_number": "197504129912", "given_name": "Bertil", "surname": "Provsson"},
]


class Command(BaseCommand):
    help = (
        "Load the demo municipalities, staff, test citizens and e-services (never in production)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data is refused when MODE=production.")
        created = load_demo_data()
        if not options["quiet"]:
            self.stdout.write(
                "Demo data " + ("loaded." if created else "already there; nothing changed.")
            )
            self.stdout.write(logins_text())


@transaction.atomic
def load_demo_data() -> bool:
    """Create whatever of the demo data is missing; return whether anything was created."""
    user_model = get_user_model()
    created_any = False
    by_slug: dict[str, Municipality] = {}
    for fields in MUNICIPALITIES:
        municipality, created = Municipality.objects.get_or_create(
            slug=fields["slug"], defaults=fields
        )
        by_slug[municipality.slug] = municipality
        created_any |= created
    for person in STAFF:
        if user_model.objects.filter(username=person["username"]).exists():
            continue
        workplace = by_slug.get(person["municipality"] or "")
        create = (
            user_model.objects.create_superuser
            if person["superuser"]
            else user_model.objects.create_user
        )
        create(
            person["username"],
            DEMO_PASSWORD,
            first_name=person["first_name"],
            last_name=person["last_name"],
            is_staff=True,
            municipality=workplace,
            is_municipality_admin=person.get("municipality_admin", False),
        )
        created_any = True
    created_any |= enrol_demo_staff()
    for citizen in CITIZENS:
        number = citizen["personal_identity_number"]
        if user_model.objects.filter(personal_identity_number=number).exists():
            continue
        user_model.objects.create_citizen(
            number, given_name=citizen["given_name"], surname=citizen["surname"]
        )
        created_any = True
    created_any |= load_demo_eservices()
    created_any |= assign_demo_eservices()
    created_any |= add_demo_reply_templates()
    return created_any


def enrol_demo_staff() -> bool:
    """Give each demo staff account the published TOTP secret; True if any was missing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    created_any = False
    users = get_user_model().objects.filter(username__in=[p["username"] for p in STAFF])
    for user in users:
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)
        created_any = True
    return created_any


def assign_demo_eservices() -> bool:
    """The demo handlers' e-services; True if any assignment was missing."""
    # Imported here: core sits below backoffice and must not import it when loaded.
    from sjalvservice.backoffice.models import Assignment, HandlerGroup
    from sjalvservice.eservices.models import EService

    user_model = get_user_model()
    created_any = False
    for fields in HANDLER_GROUPS:
        group, created = HandlerGroup.objects.get_or_create(
            municipality=Municipality.objects.get(slug=fields["municipality"]),
            name=fields["name"],
        )
        created_any |= created
        for user in user_model.objects.filter(username__in=fields["members"]):
            if not group.members.filter(pk=user.pk).exists():
                group.members.add(user)
                created_any = True
        for eservice in EService.objects.filter(slug__in=fields["eservices"]):
            if not group.eservices.filter(pk=eservice.pk).exists():
                group.eservices.add(eservice)
                created_any = True
    for username, slugs in ASSIGNMENTS.items():
        handler = user_model.objects.get(username=username)
        for eservice in EService.objects.filter(slug__in=slugs):
            _assignment, created = Assignment.objects.get_or_create(
                handler=handler, eservice=eservice
            )
            created_any |= created
    return created_any


# Ready texts for messages to the citizen, per demo e-service (slug -> [(title, text)]).
REPLY_TEMPLATES = {
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


def add_demo_reply_templates() -> bool:
    """The demo reply templates; True if any was missing."""
    from sjalvservice.backoffice.models import ReplyTemplate
    from sjalvservice.eservices.models import EService

    created_any = False
    for slug, templates in REPLY_TEMPLATES.items():
        eservice = EService.objects.filter(slug=slug).first()
        if eservice is None:
            continue
        for title, text in templates:
            _template, created = ReplyTemplate.objects.get_or_create(
                eservice=eservice, title=title, defaults={"text": text}
            )
            created_any |= created
    return created_any


def load_demo_eservices() -> bool:
    """Import the demo e-services as `sjalvservice eservice import` would; True if any changed."""
    # Imported here: core sits below eservices and must not import it when loaded.
    from sjalvservice.eservices.transfer import demo_files, import_eservice_file

    changed = False
    for path in demo_files():
        changed |= import_eservice_file(path).changed
    return changed


def logins_text() -> str:
    staff = "\n".join(
        f"  {p['username']:<11} {p['first_name']} {p['last_name']}, {p['role']}"
        + (f", {next(m['name'] for m in MUNICIPALITIES if m['slug'] == p['municipality'])}"
           if p["municipality"] else "")
        for p in STAFF
    )  # fmt: skip
    citizens = "\n".join(
        f"  {c['personal_identity_number']} {c['given_name']} {c['surname']}" for c in CITIZENS
    )
    return (
        f"\nStaff (at /handlaggare/logga-in/, password {DEMO_PASSWORD!r}, then a one-time code\n"
        f"from an authenticator app with the secret {DEMO_TOTP_SECRET},\n"
        f"or `oathtool --totp -b {DEMO_TOTP_SECRET}`):\n{staff}\n"
        f"Test citizens (log in with e-legitimation as):\n{citizens}\n"
    )

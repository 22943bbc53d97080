"""Load the demo data: two municipalities, three staff accounts, two test citizens and
the demo e-services (the YAML files in ``sjalvservice/eservices/demo/``).

The citizens carry test personal identity numbers from the 980-999 birth-number
series, which Skatteverket never assigns to real people.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sjalvservice.core.models import Municipality

DEMO_PASSWORD = "sjalvservice-demo"  # noqa: S105  (published demo credential)

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
     "superuser": True, "municipality": None},
    {"username": "julia", "first_name": "Julia", "last_name": "Landsell",
     "superuser": False, "municipality": "skelleftea"},
    {"username": "david", "first_name": "David", "last_name": "Lind",
     "superuser": False, "municipality": "lycksele"},
]  # fmt: skip

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
        )
        created_any = True
    for citizen in CITIZENS:
        number = citizen["personal_identity_number"]
        if user_model.objects.filter(personal_identity_number=number).exists():
            continue
        user_model.objects.create_citizen(
            number, given_name=citizen["given_name"], surname=citizen["surname"]
        )
        created_any = True
    created_any |= load_demo_eservices()
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
        f"  {p['username']:<6} {p['first_name']} {p['last_name']}"
        + (f", {next(m['name'] for m in MUNICIPALITIES if m['slug'] == p['municipality'])}"
           if p["municipality"] else ", plattformsadministratör")
        for p in STAFF
    )  # fmt: skip
    citizens = "\n".join(
        f"  {c['personal_identity_number']} {c['given_name']} {c['surname']}" for c in CITIZENS
    )
    return (
        f"\nStaff (password {DEMO_PASSWORD!r}, at /admin/):\n{staff}\n"
        f"Test citizens (log in with e-legitimation as):\n{citizens}\n"
    )

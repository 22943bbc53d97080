"""Load the demo data (``sjalvservice.demo.data``) and the demo e-services (the YAML files in
``sjalvservice/eservices/demo/``), and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from sjalvservice.demo.data import CITIZENS, DEMO_PASSWORD, DEMO_TOTP_SECRET, MUNICIPALITIES, STAFF
from sjalvservice.demo.loading import load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo municipalities, staff, test citizens and e-services (never in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
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


def logins_text() -> str:
    staff = "\n".join(
        f"  {p['username']:<11} {p['first_name']} {p['last_name']}, {p['role']}"
        + (f", {next(m['name'] for m in MUNICIPALITIES if m['slug'] == p['municipality'])}"
           if p["municipality"] else "")
        for p in STAFF
    )  # fmt: skip
    login = reverse("backoffice:login")
    citizens = "\n".join(
        f"  {c['personal_identity_number']} {c['given_name']} {c['surname']}" for c in CITIZENS
    )
    return (
        f"\nStaff (at {login}, password {DEMO_PASSWORD!r}, then a one-time code\n"
        f"from an authenticator app with the secret {DEMO_TOTP_SECRET},\n"
        f"or `oathtool --totp -b {DEMO_TOTP_SECRET}`):\n{staff}\n"
        f"Test citizens (log in with e-legitimation as):\n{citizens}\n"
    )

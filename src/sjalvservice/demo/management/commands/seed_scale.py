"""Fill an empty database with a region's worth of data (``sjalvservice.demo.bulk``), for
benchmarks and for trying the portal at a realistic size. Never in production."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sjalvservice.demo import bulk


class Command(BaseCommand):
    help = (
        "Seed an empty, migrated database with many cases, citizens and their history "
        "(refused when MODE=production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases.")
        parser.add_argument(
            "--citizens", type=int, default=None, help="How many citizens (3 per 10 cases)."
        )
        parser.add_argument(
            "--municipalities",
            type=int,
            default=15,
            help=f"1-{len(bulk.MUNICIPALITIES)}, Skellefteå and Lycksele first.",
        )
        parser.add_argument("--events-per-case", type=float, default=3.0)
        parser.add_argument("--bench-citizen-cases", type=int, default=200)
        parser.add_argument(
            "--no-analyze", action="store_true", help="Do not VACUUM ANALYZE afterwards."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Seeding is refused when MODE=production.")
        try:
            summary = bulk.seed(
                cases=options["cases"],
                citizens=options["citizens"],
                municipalities=options["municipalities"],
                events_per_case=options["events_per_case"],
                bench_citizen_cases=options["bench_citizen_cases"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.as_text())
        if not options["no_analyze"]:
            self.stdout.write("Analysing the tables...")
            started = time.monotonic()
            bulk.analyze()
            self.stdout.write(f"Analysed in {time.monotonic() - started:.1f} s.")

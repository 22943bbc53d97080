"""``sjalvservice eservice import FILE...`` and ``sjalvservice eservice export SLUG FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sjalvservice.eservices.definitions import dump_yaml
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.transfer import EServiceFileError, export_eservice, import_eservice_file


class Command(BaseCommand):
    help = "Import e-services from YAML files, or export one e-service to a YAML file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser(
            "import",
            help="Create or update e-services from files and publish changed definitions "
            "(all files or none).",
        )
        importing.add_argument("files", nargs="+", metavar="FILE")
        exporting = actions.add_parser(
            "export", help="Write an e-service and its current version to a file ('-': stdout)."
        )
        exporting.add_argument("slug", metavar="SLUG")
        exporting.add_argument("file", metavar="FILE")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.import_files(options["files"])
        else:
            self.export(options["slug"], options["file"])

    def import_files(self, files: list[str]) -> None:
        problems: list[str] = []
        with transaction.atomic():
            for name in files:
                try:
                    with transaction.atomic():
                        result = import_eservice_file(name)
                except EServiceFileError as error:
                    problems += [f"{name}: {path}: {message}" if path else f"{name}: {message}"
                                 for path, message in error.problems]  # fmt: skip
                    continue
                if not result.changed:
                    what = "unchanged"
                else:
                    what = "created" if result.created else "updated"
                    if result.published:
                        what += f", published version {result.version.number}"
                self.stdout.write(f"{result.eservice.slug}: {what}")
            if problems:
                transaction.set_rollback(True)
        if problems:
            raise CommandError("Nothing was imported:\n" + "\n".join(problems))

    def export(self, slug: str, file: str) -> None:
        eservice = EService.objects.select_related("municipality", "category").filter(slug=slug)
        found = eservice.first()
        if found is None:
            raise CommandError(f"There is no e-service with the slug {slug!r}.")
        try:
            text = dump_yaml(export_eservice(found))
        except EServiceFileError as error:
            raise CommandError(str(error)) from None
        if file == "-":
            self.stdout.write(text, ending="")
        else:
            Path(file).write_text(text, encoding="utf-8")
            self.stdout.write(f"{slug}: exported to {file}")

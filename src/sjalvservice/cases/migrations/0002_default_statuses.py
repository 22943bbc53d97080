"""Seed the shared default statuses (DESIGN.md 4) and the case number sequence."""

from django.db import migrations

DEFAULTS = [
    ("Sparat", "DRAFT"),
    ("Inskickat", "SUBMITTED"),
    ("Under behandling", "IN_PROGRESS"),
    ("Väntar på komplettering", "AWAITING_SUPPLEMENT"),
    ("Kompletterat", "SUPPLEMENTED"),
    ("Avslutat", "CLOSED"),
]


def seed(apps, schema_editor):
    Status = apps.get_model("cases", "Status")
    for position, (name, kind) in enumerate(DEFAULTS):
        Status.objects.update_or_create(
            municipality=None,
            name=name,
            defaults={"kind": kind, "is_default": True, "position": position},
        )
    apps.get_model("cases", "CaseNumberSequence").objects.get_or_create(
        pk=1, defaults={"last_number": 0}
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

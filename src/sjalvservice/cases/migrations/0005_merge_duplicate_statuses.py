"""A municipality's own status named and typed as a shared default is that shared status.

Submissions used to copy "Inskickat" and "Kompletterat" into each municipality, so
handlers saw them twice. Cases and their history move to the shared status (the name
they show stays the same) and the copies go. The own statuses that published versions
name, and that no case has used yet, are made now, as publishing makes them from here on.
"""

from django.db import migrations


def merge(apps, schema_editor):
    Status = apps.get_model("cases", "Status")
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    EServiceVersion = apps.get_model("eservices", "EServiceVersion")
    shared = {
        (status.name, status.kind): status
        for status in Status.objects.filter(municipality__isnull=True)
    }
    for copy in Status.objects.filter(municipality__isnull=False).order_by("pk"):
        target = shared.get((copy.name, copy.kind))
        if target is None:
            continue
        Case.objects.filter(status=copy).update(status=target)
        CaseEvent.objects.filter(status=copy).update(status=target)
        copy.delete()
    for version in EServiceVersion.objects.select_related("eservice").iterator():
        for spec in version.definition.get("statuses") or ():
            if (spec["name"], spec["kind"]) in shared:
                continue
            Status.objects.get_or_create(
                municipality_id=version.eservice.municipality_id,
                name=spec["name"],
                defaults={"kind": spec["kind"]},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_messages_notes_handling"),
        ("eservices", "0002_eservice_handling_days"),
    ]

    operations = [migrations.RunPython(merge, migrations.RunPython.noop)]

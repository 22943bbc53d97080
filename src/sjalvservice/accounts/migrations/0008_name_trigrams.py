"""Trigram indexes on the names, for the inbox's search by name on PostgreSQL, and the
staff of a municipality by name.

The search is ``UPPER(name) LIKE UPPER('%word%')`` (Django's ``icontains``); a trigram
index answers it without reading every person. SQLite has no such index: there the search
runs over the handler's own cases only.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

NAMES = ("first_name", "last_name")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS user_{name}_trgm ON accounts_user "
            f"USING gin (UPPER({name}) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS user_{name}_trgm")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_user_language")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                condition=models.Q(("is_staff", True)),
                fields=["municipality", "first_name", "last_name", "username"],
                name="user_staff",
            ),
        ),
    ]

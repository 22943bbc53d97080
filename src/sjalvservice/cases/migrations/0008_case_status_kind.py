"""The status's kind on the case itself; the inbox's partial indexes (what is on the desk
and what is closed, per municipality and per e-service) instead of one over every case of
an e-service; and Mina sidor's index of submitted cases."""

from django.db import migrations, models

COPY_KINDS = """
UPDATE cases_case SET status_kind = (
    SELECT kind FROM cases_status WHERE cases_status.id = cases_case.status_id
)
"""

DESK = models.Q(
    ("status_kind__in", ["SUBMITTED", "IN_PROGRESS", "AWAITING_SUPPLEMENT", "SUPPLEMENTED"]),
    ("handler_unread", True),
    _connector="OR",
)
CLOSED = models.Q(("status_kind", "CLOSED"))

INBOX_COLUMNS = [
    "eservice",
    "status",
    "status_kind",
    "handler",
    "handler_unread",
    "due_at",
    "submitted_at",
    "owner",
]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_reservations"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="status_kind",
            field=models.CharField(
                choices=[
                    ("DRAFT", "Sparat"),
                    ("SUBMITTED", "Inskickat"),
                    ("IN_PROGRESS", "Under behandling"),
                    ("AWAITING_SUPPLEMENT", "Väntar på komplettering"),
                    ("SUPPLEMENTED", "Kompletterat"),
                    ("CLOSED", "Avslutat"),
                ],
                default="DRAFT",
                editable=False,
                max_length=24,
                verbose_name="typ av status",
            ),
            preserve_default=False,
        ),
        migrations.RunSQL(COPY_KINDS, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    (
                        "status_kind__in",
                        ["SUBMITTED", "IN_PROGRESS", "AWAITING_SUPPLEMENT", "SUPPLEMENTED"],
                    ),
                    ("handler_unread", True),
                    _connector="OR",
                ),
                fields=["municipality", "-last_event_at", "-id"],
                include=INBOX_COLUMNS,
                name="case_desk",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status_kind", "CLOSED")),
                fields=["municipality", "-last_event_at", "-id"],
                include=INBOX_COLUMNS,
                name="case_closed",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status_kind", "DRAFT"), _negated=True),
                fields=["owner", "-last_event_at", "-id"],
                include=["status_kind"],
                name="case_owner_event",
            ),
        ),
        migrations.RemoveIndex(model_name="case", name="case_eservice_event"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=DESK,
                fields=["eservice", "-last_event_at", "-id"],
                include=INBOX_COLUMNS,
                name="case_eservice_desk",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=CLOSED,
                fields=["eservice", "-last_event_at", "-id"],
                include=INBOX_COLUMNS,
                name="case_eservice_closed",
            ),
        ),
    ]

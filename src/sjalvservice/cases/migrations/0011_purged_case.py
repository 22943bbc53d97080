import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The purge log of gallring (cases.retention)."""

    dependencies = [
        ("cases", "0010_draft_expiry"),
        ("core", "0001_initial"),
        ("eservices", "0005_eservice_retention_days"),
    ]

    operations = [
        migrations.CreateModel(
            name='PurgedCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='ärendenummer')),
                ('eservice_title', models.CharField(max_length=200, verbose_name='e-tjänst')),
                ('submitted_at', models.DateTimeField(null=True, verbose_name='inskickat')),
                ('last_event_at', models.DateTimeField(null=True, verbose_name='senaste händelse')),
                ('retention_days', models.PositiveIntegerField(verbose_name='gallras efter dagar')),
                ('files', models.PositiveIntegerField(default=0, verbose_name='filer')),
                ('purged_at', models.DateTimeField(verbose_name='gallrat')),
            ],
            options={
                'verbose_name': 'gallrat ärende',
                'verbose_name_plural': 'gallrade ärenden',
            },
        ),
        migrations.AddField(
            model_name='purgedcase',
            name='eservice',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='purged_cases', to='eservices.eservice', verbose_name='e-tjänst'),
        ),
        migrations.AddField(
            model_name='purgedcase',
            name='municipality',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='purged_cases', to='core.municipality', verbose_name='kommun'),
        ),
        migrations.AddIndex(
            model_name='purgedcase',
            index=models.Index(fields=['municipality', '-purged_at', '-id'], name='purgedcase_municipality'),
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):
    """When a draft's owner was told it is about to be deleted, and the indexes the
    clean-up of drafts reads (cases.drafts)."""

    dependencies = [("cases", "0009_inbox_index_columns")]

    operations = [
        migrations.AddField(
            model_name='case',
            name='expiry_noticed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='påmind om borttagning'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('owner__isnull', True), ('status_kind', 'DRAFT')), fields=['last_saved_at'], name='case_draft_anonymous'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('expiry_noticed_at__isnull', True), ('owner__isnull', False), ('status_kind', 'DRAFT')), fields=['last_saved_at'], name='case_draft_unnoticed'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('expiry_noticed_at__isnull', False), ('status_kind', 'DRAFT')), fields=['expiry_noticed_at'], name='case_draft_noticed'),
        ),
    ]

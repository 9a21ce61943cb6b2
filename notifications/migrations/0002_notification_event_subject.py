from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="event",
            field=models.TextField(default="", help_text="Event kind, a code of notifications/events.py."),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification", name="subject_table", field=models.TextField(blank=True, default="")
        ),
        migrations.AddField(
            model_name="notification", name="subject_id", field=models.BigIntegerField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="notification", name="read_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="notification", name="delivered_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=Q(read_at__isnull=True, type="internal_message"),
                fields=["user"],
                name="notification_inbox_unread_idx",
            ),
        ),
    ]

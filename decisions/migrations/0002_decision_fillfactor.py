from django.db import migrations


class Migration(migrations.Migration):
    """Room on each page of `decision` for the escalation job's updates to stay on the page (HOT updates): the
    columns it changes carry no index, so an escalation then rewrites no index at all."""

    dependencies = [("decisions", "0001_initial")]
    operations = [
        migrations.RunSQL("ALTER TABLE decision SET (fillfactor = 80)", "ALTER TABLE decision RESET (fillfactor)")
    ]

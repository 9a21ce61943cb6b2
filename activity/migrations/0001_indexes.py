"""Indexes for "what changed since" and the activity feed, on tables of other apps.

The activity app owns no table: it reads `audit_log` (the kernel's, in `pit`) and the hierarchy's history tables (in
`projects`). Their models belong to those apps, so the indexes these reads need are created here with RunSQL, with
their reverse; the kernel and projects stay unaware of the activity app.
"""

from django.db import migrations

HISTORY = ("milestone", "deliverable", "task")

INDEXES = [
    # changes_since: the last history row of each of a project's rows at or before a moment (DISTINCT ON)
    *(
        (f"{table}_history_at_idx", f"{table}_history (project_id, id, history_date DESC, history_id DESC)")
        for table in HISTORY
    ),
    # changes_since: the status engine's set-based status changes of a task (a small partial index)
    (
        "audit_log_status_engine_idx",
        "audit_log (record_id, created_at) WHERE table_name = 'task' AND after_state->>'by' = 'status engine'",
    ),
    # the feeds, newest first, keyset-paginated on (created_at, id): the organisation's, one person's, one item's
    ("audit_log_org_feed_idx", "audit_log (org_id, created_at DESC, id DESC)"),
    ("audit_log_org_user_feed_idx", "audit_log (org_id, user_id, created_at DESC, id DESC)"),
    ("audit_log_org_table_feed_idx", "audit_log (org_id, table_name, created_at DESC, id DESC)"),
    ("audit_log_item_feed_idx", "audit_log (table_name, record_id, created_at DESC, id DESC)"),
]


class Migration(migrations.Migration):
    # the dashboard's removed counts read the partial deleted_at indexes of projects' 0007 (offline sync's tombstones)
    dependencies = [("pit", "0005_ai_router_and_call_log"), ("projects", "0007_api_sync_indexes")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES
    ]

"""Partial indexes for the organisation feed's "kind of change" filter: one small index per kind, holding only the
audit rows of that kind, so a rare kind is found without walking the whole log. Their predicates are the filter's
SQL (activity.feed.KINDS), word for word: PostgreSQL uses a partial index only when the query implies its predicate
(a test keeps the two in step). Added, removed and restored are one index on the action."""

from django.db import migrations


def changed(*fields: str) -> str:
    tests = [f"(after_state ? '{f}' AND (after_state->'{f}') IS DISTINCT FROM (before_state->'{f}'))" for f in fields]
    return "action = 'UPDATE' AND (" + " OR ".join(tests) + ")"


KIND_PREDICATES = {
    "dates": changed("start_date", "end_date"),
    "status": changed("status"),
    "owner": changed("owner_id"),
    "progress": changed("progress_percent"),
    "costs": changed("capex_cost", "opex_cost", "capex_total", "opex_total"),
}
INDEXES = [
    ("audit_log_org_action_feed_idx", "audit_log (org_id, action, created_at DESC, id DESC)"),
    *(
        (f"audit_log_{kind}_feed_idx", f"audit_log (org_id, created_at DESC, id DESC) WHERE {predicate}")
        for kind, predicate in KIND_PREDICATES.items()
    ),
]


class Migration(migrations.Migration):
    dependencies = [("activity", "0002_project_entry")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES
    ]

"""What changed in a project since a moment: items added, removed (soft-deleted) and changed, from the history PIT
already records, for any past moment.

The state of an item at moment T is its last django-simple-history row at or before T (DISTINCT ON over the
index `<table>_history_at_idx` of this app's migration), with two corrections for writes that bypass `save()`:

- soft deletion is a set-based UPDATE of `deleted_at`: the current row's `deleted_at` says when, so an item deleted
  at or before T did not exist at T, and one deleted after T was removed since;
- the status engine moves task statuses in one UPDATE a night and records each in `audit_log` (`"by": "status
  engine"`): when such a record is later than the history row and not after T, its status is the status at T.

Milestones' and deliverables' progress and costs are roll-ups (one set-based UPDATE, no history): their values at T
are rolled up from their tasks' states at T by the rules of projects/rollups.py. An item created in bulk without
any history row (demo data, bulk loads) counts as it is now until its first recorded edit. The comparison is one
SQL statement whatever the size of the project; the rows that differ come back as before/after JSON.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import connection

from accounts.models import User
from projects.models import Project

TASK_FIELDS = ("name", "start_date", "end_date", "status", "owner_id", "progress_percent", "capex_cost", "opex_cost")
SUMMARY_FIELDS = ("name", "start_date", "end_date", "owner_id", "progress_percent", "capex_total", "opex_total")
KIND_OF = {
    "start_date": "dates", "end_date": "dates", "status": "status", "owner_id": "owner",
    "progress_percent": "progress", "capex_cost": "costs", "opex_cost": "costs", "capex_total": "costs",
    "opex_total": "costs", "name": "name",
}  # fmt: skip
LEVELS = ("milestone", "deliverable", "task")
ROW_KIND = {"milestone": "m", "deliverable": "d", "task": "t"}  # the Gantt's row kinds (projects.gantt.chart)


def _json(alias: str, fields) -> str:
    return "jsonb_build_object(" + ", ".join(f"'{f}', {alias}.{f}" for f in fields) + ")"


def _row(alias: str, fields) -> str:
    """A row value to compare: far cheaper than building JSON for rows that did not change."""
    return "(" + ", ".join(f"{alias}.{f}" for f in fields) + ")"


def _history(table: str, columns: str) -> str:
    """The last history row of each of the project's `table` rows at or before T."""
    return f"""
        SELECT DISTINCT ON (h.id) h.id, h.history_date, h.history_type, {columns}
        FROM {table}_history h WHERE h.project_id = %(project)s AND h.history_date <= %(moment)s
        ORDER BY h.id, h.history_date DESC, h.history_id DESC
    """


def _then(table: str, columns: str) -> str:
    """Rows that existed at T with their state then: from history, or as they are now when they have none."""
    return f"""
        SELECT h.* FROM {table}_hist h LEFT JOIN {table}_now n ON n.id = h.id
        WHERE h.history_type <> '-' AND (n.deleted_at IS NULL OR n.deleted_at > %(moment)s)
        UNION ALL
        SELECT n.id, n.created_at, '+', {columns.replace("h.", "n.")} FROM {table}_now n
        WHERE n.created_at <= %(moment)s AND (n.deleted_at IS NULL OR n.deleted_at > %(moment)s)
          AND NOT EXISTS (SELECT 1 FROM {table}_hist h WHERE h.id = n.id)
    """


TASK_COLUMNS = (
    "h.name, h.deliverable_id, h.start_date, h.end_date, h.status::text AS status, h.owner_id, h.progress_percent, "
    "h.capex_cost, h.opex_cost, h.duration_days"
)
SUMMARY_COLUMNS = "h.name, h.start_date, h.end_date, h.owner_id"


def _compare(table: str, fields, then: str) -> str:
    return f"""
        SELECT '{table}' AS level, COALESCE(n.id, t.id) AS id,
               CASE WHEN t.id IS NULL THEN 'added' WHEN n.id IS NULL THEN 'removed' ELSE 'changed' END AS state,
               CASE WHEN t.id IS NULL THEN NULL ELSE {_json("t", fields)} END AS before,
               CASE WHEN n.id IS NULL THEN NULL ELSE {_json("n", fields)} END AS after
        FROM (SELECT * FROM {table}_now WHERE deleted_at IS NULL) n FULL JOIN {then} t ON t.id = n.id
        WHERE t.id IS NULL OR n.id IS NULL OR {_row("t", fields)} IS DISTINCT FROM {_row("n", fields)}
    """


SQL = f"""
WITH task_now AS (
    SELECT id, name, deliverable_id, start_date, end_date, status::text AS status, owner_id, progress_percent,
           capex_cost, opex_cost, duration_days, created_at, deleted_at
    FROM task WHERE project_id = %(project)s
), task_hist AS ({_history("task", TASK_COLUMNS)}
), task_state AS ({_then("task", TASK_COLUMNS)}
), task_then AS (
    SELECT s.id, s.name, s.deliverable_id, s.start_date, s.end_date, COALESCE(e.status, s.status) AS status,
           s.owner_id, s.progress_percent, s.capex_cost, s.opex_cost, s.duration_days
    FROM task_state s LEFT JOIN LATERAL (
        SELECT a.after_state->>'status' AS status FROM audit_log a
        WHERE a.table_name = 'task' AND a.record_id = s.id::text AND a.after_state->>'by' = 'status engine'
          AND a.created_at > s.history_date AND a.created_at <= %(moment)s
        ORDER BY a.created_at DESC LIMIT 1
    ) e ON true
), deliverable_now AS (
    SELECT id, name, milestone_id, start_date, end_date, owner_id, progress_percent, capex_total, opex_total,
           created_at, deleted_at
    FROM deliverable WHERE project_id = %(project)s
), deliverable_hist AS ({_history("deliverable", "h.milestone_id, " + SUMMARY_COLUMNS)}
), deliverable_state AS ({_then("deliverable", "h.milestone_id, " + SUMMARY_COLUMNS)}
), deliverable_then AS (
    SELECT d.*, COALESCE(ROUND(SUM(t.progress_percent * t.duration_days)::numeric
                                / NULLIF(SUM(t.duration_days), 0)), 0)::int AS progress_percent,
           COALESCE(SUM(t.capex_cost), 0)::numeric(12,2) AS capex_total,
           COALESCE(SUM(t.opex_cost), 0)::numeric(12,2) AS opex_total
    FROM deliverable_state d LEFT JOIN task_then t ON t.deliverable_id = d.id
    GROUP BY d.id, d.history_date, d.history_type, d.milestone_id, d.name, d.start_date, d.end_date, d.owner_id
), milestone_now AS (
    SELECT id, name, start_date, end_date, owner_id, progress_percent, capex_total, opex_total, created_at, deleted_at
    FROM milestone WHERE project_id = %(project)s
), milestone_hist AS ({_history("milestone", SUMMARY_COLUMNS)}
), milestone_state AS ({_then("milestone", SUMMARY_COLUMNS)}
), milestone_then AS (
    SELECT m.*, COALESCE(ROUND(SUM(d.progress_percent * (d.end_date - d.start_date + 1))::numeric
                                / NULLIF(SUM(d.end_date - d.start_date + 1), 0)), 0)::int AS progress_percent,
           COALESCE(SUM(d.capex_total), 0)::numeric(12,2) AS capex_total,
           COALESCE(SUM(d.opex_total), 0)::numeric(12,2) AS opex_total
    FROM milestone_state m LEFT JOIN deliverable_then d ON d.milestone_id = m.id
    GROUP BY m.id, m.history_date, m.history_type, m.name, m.start_date, m.end_date, m.owner_id
)
{_compare("milestone", SUMMARY_FIELDS, "milestone_then")}
UNION ALL {_compare("deliverable", SUMMARY_FIELDS, "deliverable_then")}
UNION ALL {_compare("task", TASK_FIELDS, "task_then")}
"""


@dataclass
class Change:
    level: str  # milestone, deliverable or task
    id: int
    state: str  # added, removed or changed
    name: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (field, before, after) that differ

    @property
    def key(self) -> str:
        """The row's key on the Gantt and the project page: "t:12"."""
        return f"{ROW_KIND[self.level]}:{self.id}"

    @property
    def kinds(self) -> list[str]:
        return sorted({KIND_OF[name] for name, _, _ in self.fields})


@dataclass
class ChangeSet:
    moment: datetime
    changes: list[Change]
    people: dict[int, str]

    def of(self, state: str) -> list[Change]:
        return [change for change in self.changes if change.state == state]

    @property
    def highlight(self) -> dict[str, str]:
        """Row key → "added" or "changed": what the Gantt and the project tree mark (removed rows are not drawn)."""
        return {change.key: change.state for change in self.changes if change.state != "removed"}

    def counts(self) -> dict[str, int]:
        return {state: len(self.of(state)) for state in ("added", "removed", "changed")}


def _value(name: str, value):
    if value is None or name in ("status", "name", "owner_id", "progress_percent"):
        return value
    return Decimal(str(value)) if "cost" in name or "total" in name else value


def _differences(level: str, before: dict, after: dict) -> list[tuple[str, object, object]]:
    names = TASK_FIELDS if level == "task" else SUMMARY_FIELDS
    return [(name, _value(name, before[name]), _value(name, after[name]))
            for name in names if before[name] != after[name]]  # fmt: skip


def changes_since(project: Project, moment: datetime) -> ChangeSet:
    """Every milestone, deliverable and task of `project` added, removed or changed since `moment` (two queries)."""
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"project": project.pk, "moment": moment})
        rows = cursor.fetchall()
    changes = []
    for level, pk, state, before, after in rows:
        before, after = (json.loads(x) if isinstance(x, str) else x for x in (before, after))
        fields = _differences(level, before, after) if state == "changed" else []
        changes.append(Change(level, pk, state, (after or before)["name"], fields))
    changes.sort(key=lambda change: (LEVELS.index(change.level), change.state, change.name.lower(), change.id))
    owners = {value for change in changes for name, *values in change.fields if name == "owner_id" for value in values}
    people = dict(User.objects.filter(pk__in=owners).values_list("pk", "name")) if owners else {}
    return ChangeSet(moment, changes, people)

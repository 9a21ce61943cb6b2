"""Foreman QA, per project: the data of every live project checked in one query per rule."""

from collections import defaultdict

from django.db import connection

from pit.schema import AUDITED_TABLES
from projects.rollups import inconsistent_sql

# Each rule: SQL selecting (project_id, message) for every violation among projects %(projects)s.
ORPHANS = """
    SELECT t.project_id, format('task %%s is live under deleted %%s', t.id,
           CASE WHEN d.deleted_at IS NOT NULL THEN 'deliverable ' || d.id
                WHEN m.deleted_at IS NOT NULL THEN 'milestone ' || m.id ELSE 'project ' || p.id END)
    FROM task t JOIN deliverable d ON d.id = t.deliverable_id JOIN milestone m ON m.id = t.milestone_id
    JOIN project p ON p.id = t.project_id
    WHERE t.project_id = ANY(%(projects)s) AND t.deleted_at IS NULL
      AND (d.deleted_at IS NOT NULL OR m.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL)
    UNION ALL
    SELECT d.project_id, format('deliverable %%s is live under deleted milestone %%s', d.id, m.id)
    FROM deliverable d JOIN milestone m ON m.id = d.milestone_id
    WHERE d.project_id = ANY(%(projects)s) AND d.deleted_at IS NULL AND m.deleted_at IS NOT NULL
"""
MISALIGNED = """
    SELECT t.project_id, format('task %%s says milestone %%s / project %%s, its deliverable %%s says %%s / %%s',
           t.id, t.milestone_id, t.project_id, d.id, d.milestone_id, d.project_id)
    FROM task t JOIN deliverable d ON d.id = t.deliverable_id
    WHERE (t.project_id = ANY(%(projects)s) OR d.project_id = ANY(%(projects)s))
      AND (t.milestone_id <> d.milestone_id OR t.project_id <> d.project_id)
    UNION ALL
    SELECT d.project_id, format('deliverable %%s says project %%s, its milestone %%s says %%s',
           d.id, d.project_id, m.id, m.project_id)
    FROM deliverable d JOIN milestone m ON m.id = d.milestone_id
    WHERE (d.project_id = ANY(%(projects)s) OR m.project_id = ANY(%(projects)s)) AND d.project_id <> m.project_id
"""
DATES = """
    SELECT m.project_id, format('milestone %%s (%%s to %%s) is outside its project (%%s to %%s)',
           m.id, m.start_date, m.end_date, p.start_date, p.end_date)
    FROM milestone m JOIN project p ON p.id = m.project_id
    WHERE m.project_id = ANY(%(projects)s) AND m.deleted_at IS NULL
      AND (m.start_date < p.start_date OR m.end_date > p.end_date)
    UNION ALL
    SELECT d.project_id, format('deliverable %%s (%%s to %%s) is outside its milestone (%%s to %%s)',
           d.id, d.start_date, d.end_date, m.start_date, m.end_date)
    FROM deliverable d JOIN milestone m ON m.id = d.milestone_id
    WHERE d.project_id = ANY(%(projects)s) AND d.deleted_at IS NULL
      AND (d.start_date < m.start_date OR d.end_date > m.end_date)
    UNION ALL
    SELECT t.project_id, format('task %%s (%%s to %%s) is outside its deliverable (%%s to %%s)',
           t.id, t.start_date, t.end_date, d.start_date, d.end_date)
    FROM task t JOIN deliverable d ON d.id = t.deliverable_id
    WHERE t.project_id = ANY(%(projects)s) AND t.deleted_at IS NULL
      AND (t.start_date < d.start_date OR t.end_date > d.end_date)
"""


def _audit_sql(table: str) -> str:
    project = {"project": "x.id", "evidence": "tk.project_id"}.get(table, "x.project_id")
    join = "JOIN task tk ON tk.id = x.task_id" if table == "evidence" else ""
    return f"""
        SELECT {project}, format('{table} %%s has no audited creation', x.id) FROM {table} x {join}
        WHERE {project} = ANY(%(projects)s) AND NOT EXISTS (
            SELECT 1 FROM audit_log a WHERE a.table_name = '{table}' AND a.record_id = x.id::text
              AND a.action = 'CREATE')
    """


def _rollup_sql() -> str:
    return " UNION ALL ".join(
        f"SELECT s.project_id, format('{table} %%s roll-up differs from its children', s.id) "
        f"FROM ({sql}) s(project_id, id)"
        for table, sql in inconsistent_sql()
    )


DATA_CHECKS = {
    "no_orphan_tasks": ORPHANS,
    "no_misaligned_hierarchy": MISALIGNED,
    "dates_inside_parents": DATES,
    "rollups_consistent": _rollup_sql(),
    "audit_coverage": " UNION ALL ".join(_audit_sql(table) for table in AUDITED_TABLES),
}


def run_data_checks(project_ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """{check name: {project id: [messages]}}: one query per check for all the projects."""
    results = {}
    with connection.cursor() as cursor:
        for name, sql in DATA_CHECKS.items():
            cursor.execute(sql, {"projects": project_ids})
            found = defaultdict(list)
            for project_id, message in cursor.fetchall():
                found[project_id].append(message)
            results[name] = found
    return results

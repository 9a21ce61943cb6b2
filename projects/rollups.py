"""Roll-ups: each level's progress and CAPEX/OPEX from its live children, set-based in SQL.

Rules: a deliverable's progress is its tasks' progress weighted by task duration; a milestone's is its
deliverables' weighted by their span in days; a project's is its milestones' weighted likewise. Costs sum up
from tasks. Each level is one UPDATE over the given projects, so a recomputation is three statements.
"""

from django.db import connection

# (table, child table, child key, weight of a child, child cost columns). Order matters: bottom-up.
LEVELS = [
    ("deliverable", "task", "deliverable_id", "c.duration_days", ("c.capex_cost", "c.opex_cost")),
    ("milestone", "deliverable", "milestone_id", "(c.end_date - c.start_date + 1)", ("c.capex_total", "c.opex_total")),
    ("project", "milestone", "project_id", "(c.end_date - c.start_date + 1)", ("c.capex_total", "c.opex_total")),
]


def expected_sql(table: str, child: str, key: str, weight: str, costs: tuple[str, str]) -> str:
    """SELECT id, progress, capex, opex as the rules say, for rows of `table` in projects %(projects)s."""
    project_col = "id" if table == "project" else "project_id"
    capex, opex = costs
    return f"""
        SELECT p.id,
               COALESCE(ROUND(SUM(c.progress_percent * {weight})::numeric / NULLIF(SUM({weight}), 0)), 0)::int
                   AS progress_percent,
               COALESCE(SUM({capex}), 0)::numeric(12,2) AS capex,
               COALESCE(SUM({opex}), 0)::numeric(12,2) AS opex
        FROM {table} p
        LEFT JOIN {child} c ON c.{key} = p.id AND c.deleted_at IS NULL
        WHERE p.{project_col} = ANY(%(projects)s) AND p.deleted_at IS NULL
        GROUP BY p.id
    """


def recompute(project_ids) -> None:
    """Bring every level of these projects in line with the rules (idempotent; untouched rows stay untouched)."""
    params = {"projects": list(project_ids)}
    with connection.cursor() as cursor:
        for table, child, key, weight, costs in LEVELS:
            cursor.execute(
                f"""
                UPDATE {table} t SET progress_percent = e.progress_percent, capex_total = e.capex, opex_total = e.opex
                FROM ({expected_sql(table, child, key, weight, costs)}) e
                WHERE t.id = e.id AND (t.progress_percent, t.capex_total, t.opex_total)
                      IS DISTINCT FROM (e.progress_percent, e.capex, e.opex)
                """,
                params,
            )


def inconsistent_sql() -> list[tuple[str, str]]:
    """(table, SELECT project_id, id of rows whose stored roll-up differs from the rules) for the QA run."""
    queries = []
    for table, child, key, weight, costs in LEVELS:
        project_col = "id" if table == "project" else "project_id"
        queries.append(
            (
                table,
                f"""
                SELECT t.{project_col}, t.id FROM {table} t
                JOIN ({expected_sql(table, child, key, weight, costs)}) e ON e.id = t.id
                WHERE (t.progress_percent, t.capex_total, t.opex_total)
                      IS DISTINCT FROM (e.progress_percent, e.capex, e.opex)
                """,
            )
        )
    return queries

"""Roll-ups: each level's progress and CAPEX/OPEX from its live children, set-based in SQL.

Rules: a deliverable's progress is its tasks' progress weighted by task duration; a milestone's is its
deliverables' weighted by their span in days; a project's is its milestones' weighted likewise. Costs sum up
from tasks, and per financial year (the task's `fy_allocation`) into `project_budget`. Each level is one UPDATE
over the given projects, so a recomputation is a handful of statements whatever the size of the projects. A row
whose roll-up changes gets a new `updated_at` too: the API's sync (`updated_since`) and ETags follow it.

A project's status is calculated, first rule that holds wins ("expected" is the share of the project's span
that has elapsed today, in %; "overdue" counts tasks not completed whose end date has passed):

1. completed    it has tasks and every one of them is completed
2. not_started  today is before its start date and nothing has progressed
3. off_track    its end date has passed, or progress trails expected by more than 25 points,
                or at least a fifth of its open tasks are overdue
4. at_risk      any task is overdue or blocked, or progress trails expected by more than 10 points,
                or the watchdog has an open red alert on it (acknowledged or snoozed alerts count too: the
                problem is still there; watchdog/scan.py recomputes this status when its red alerts change)
5. on_track     otherwise

Callers (services) hold the project row lock, so concurrent edits of one project recompute one after the other
and each sees the other's committed rows.
"""

from datetime import date

from django.db import connection

from accounts.models import Organisation

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


BUDGET_SQL = (
    "DELETE FROM project_budget WHERE project_id = ANY(%(projects)s)",
    """
    INSERT INTO project_budget (project_id, financial_year, capex_total, opex_total)
    SELECT project_id, fy_allocation, SUM(capex_cost), SUM(opex_cost) FROM task
    WHERE project_id = ANY(%(projects)s) AND deleted_at IS NULL
    GROUP BY project_id, fy_allocation
    """,
)

STATUS_SQL = """
    WITH today AS (SELECT * FROM unnest(%(orgs)s::bigint[], %(todays)s::date[]) AS d (org_id, today)),
    facts AS (
        SELECT p.id, d.today,
               COUNT(t.id) AS tasks,
               COUNT(t.id) FILTER (WHERE t.status = 'completed') AS done,
               COUNT(t.id) FILTER (WHERE t.status <> 'completed' AND t.end_date < d.today) AS overdue,
               COUNT(t.id) FILTER (WHERE t.status = 'blocked') AS blocked,
               LEAST(100, GREATEST(0, (d.today - p.start_date + 1) * 100.0 / (p.end_date - p.start_date + 1)))
                   AS expected,
               EXISTS (SELECT 1 FROM watchdog_alert a WHERE a.project_id = p.id AND a.resolved_at IS NULL
                       AND a.severity = 'red') AS red_alert
        FROM project p
        JOIN today d ON d.org_id = p.org_id
        LEFT JOIN task t ON t.project_id = p.id AND t.deleted_at IS NULL
        WHERE p.id = ANY(%(projects)s) AND p.deleted_at IS NULL
        GROUP BY p.id, d.today
    ),
    decided AS (
        SELECT f.id, CASE
            WHEN f.tasks > 0 AND f.done = f.tasks THEN 'completed'
            WHEN f.today < p.start_date AND p.progress_percent = 0 THEN 'not_started'
            WHEN f.today > p.end_date OR p.progress_percent < f.expected - 25
                 OR (f.overdue > 0 AND f.overdue * 5 >= f.tasks - f.done) THEN 'off_track'
            WHEN f.overdue > 0 OR f.blocked > 0 OR p.progress_percent < f.expected - 10 OR f.red_alert
                THEN 'at_risk'
            ELSE 'on_track'
        END AS status
        FROM facts f JOIN project p ON p.id = f.id
    )
    UPDATE project p SET status = decided.status, updated_at = now() FROM decided
    WHERE p.id = decided.id AND p.status IS DISTINCT FROM decided.status
"""


def _todays(project_ids, today: date | None) -> dict:
    """Today per organisation of these projects, in its own time zone (or the given date for every one)."""
    orgs = Organisation.objects.filter(projects__id__in=project_ids).distinct()
    pairs = [(org.pk, today or org.today()) for org in orgs]
    return {"orgs": [org_id for org_id, _ in pairs], "todays": [day for _, day in pairs]}


def recompute(project_ids, *, today: date | None = None) -> None:
    """Bring every level of these projects, their budgets and status in line with the rules (idempotent)."""
    params = {"projects": list(project_ids)}
    with connection.cursor() as cursor:
        for table, child, key, weight, costs in LEVELS:
            cursor.execute(
                f"""
                UPDATE {table} t SET progress_percent = e.progress_percent, capex_total = e.capex, opex_total = e.opex,
                                   updated_at = now()
                FROM ({expected_sql(table, child, key, weight, costs)}) e
                WHERE t.id = e.id AND (t.progress_percent, t.capex_total, t.opex_total)
                      IS DISTINCT FROM (e.progress_percent, e.capex, e.opex)
                """,
                params,
            )
        for statement in BUDGET_SQL:
            cursor.execute(statement, params)
        # Any of these changes can move a bar: cached timelines of older versions are not shown again.
        cursor.execute(
            "UPDATE project SET timeline_version = timeline_version + 1 WHERE id = ANY(%(projects)s)", params
        )
    recompute_status(params["projects"], today=today)


def recompute_status(project_ids, *, today: date | None = None) -> None:
    """Only the status rules of these projects (what the watchdog's red alerts feed)."""
    params = {"projects": list(project_ids)}
    with connection.cursor() as cursor:
        cursor.execute(STATUS_SQL, {**params, **_todays(params["projects"], today)})


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

"""Activity benchmarks: "what changed since last month" on a 5,000-task project, and the activity feeds with
1,000,000 audit rows (issue 16).

python -m pit.embedded test -- .venv/bin/python bench/activity.py                      # the sizes of issue 16
python -m pit.embedded test -- .venv/bin/python bench/activity.py --audit 100000       # a quick look

The big project gets a creation history row per item 60 days ago and, for a quarter of its tasks, four edits spread
over those 60 days (the current rows end as the last edit left them); the status engine's audit rows date some
status changes. The audit log is filled set-based with one statement: a share of the rows on the big project's items,
the rest on the other projects', by the organisation's people, over the last year.
"""

import argparse
import statistics
import time

from harness import HEADER, measure, migrate, signed_in_client

EDITED_PERCENT = 25  # of the big project's tasks, edited in the last 60 days
EDITS = 4


def seed(big_tasks: int, other_tasks: int):
    from accounts.models import User
    from activity.demo import record_creation_history
    from pit import demo
    from projects.models import Project

    orgs = demo.seed_organisations(1, extra_staff=50)
    (big,) = demo.seed_projects(orgs, projects=1, tasks=big_tasks, seed=16)
    others = demo.seed_projects(orgs, projects=19, tasks=other_tasks, seed=17)
    record_creation_history([big, *others], at="now() - interval '60 days'")
    return orgs[0], Project.objects.get(pk=big), others, User.objects.get(email="admin@demo.pit.example")


def edit_history(project_id: int) -> int:
    """EDITS history rows for a share of the project's tasks over the last 60 days; the tasks end as the last one
    left them."""
    from django.db import connection

    from projects.models import Task

    history = Task.history.model
    columns = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    changed = {
        "progress_percent": "LEAST(100, x.progress_percent + 5 * g)",
        "end_date": "GREATEST(x.start_date, x.end_date + g - 2)",
        "capex_cost": "x.capex_cost + 100 * g",
        "history_date": "now() - make_interval(days => (59 - g * 12 - (x.id %% 10))::int)",
        "history_type": "'~'",
        "history_user_id": "NULL",
        "history_change_reason": "NULL",
    }
    values = [changed.get(c, f"x.{c}") for c in columns]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO task_history ({', '.join(columns)}) SELECT {', '.join(values)} FROM task x "
            f"CROSS JOIN generate_series(1, {EDITS}) g WHERE x.project_id = %s AND x.id %% 100 < {EDITED_PERCENT}",
            [project_id],
        )
        cursor.execute(
            """UPDATE task t SET progress_percent = h.progress_percent, end_date = h.end_date, capex_cost = h.capex_cost
               FROM (SELECT DISTINCT ON (id) id, progress_percent, end_date, capex_cost FROM task_history
                     WHERE project_id = %s ORDER BY id, history_date DESC) h
               WHERE t.id = h.id AND (t.progress_percent, t.end_date, t.capex_cost)
                     IS DISTINCT FROM (h.progress_percent, h.end_date, h.capex_cost)""",
            [project_id],
        )
        edited = cursor.rowcount
        cursor.execute("ANALYZE task, task_history, deliverable_history, milestone_history")
    return edited


AUDIT_SQL = """
WITH items AS (
    SELECT table_name, id::text AS record_id, project_id = %(big)s AS big FROM (
        SELECT 'task' AS table_name, id, project_id FROM task WHERE project_id = ANY(%(projects)s)
        UNION ALL SELECT 'deliverable', id, project_id FROM deliverable WHERE project_id = ANY(%(projects)s)
        UNION ALL SELECT 'milestone', id, project_id FROM milestone WHERE project_id = ANY(%(projects)s)
    ) i
), pools AS (
    SELECT array_agg(table_name) FILTER (WHERE big) AS big_tables, array_agg(record_id) FILTER (WHERE big) AS big_ids,
           array_agg(table_name) FILTER (WHERE NOT big) AS tables, array_agg(record_id) FILTER (WHERE NOT big) AS ids,
           (SELECT array_agg(id) FROM "user" WHERE org_id = %(org)s) AS people
    FROM items
), picks AS (
    SELECT g, CASE WHEN g %% 50 = 0 THEN 'CREATE' WHEN g %% 97 = 0 THEN 'DELETE' ELSE 'UPDATE' END AS action,
           p.people[1 + (g * 7919) %% cardinality(p.people)] AS person,
           CASE WHEN g %% 10 < %(big_tenths)s THEN p.big_tables[1 + (g * 104729) %% cardinality(p.big_ids)]
                ELSE p.tables[1 + (g * 104729) %% cardinality(p.ids)] END AS table_name,
           CASE WHEN g %% 10 < %(big_tenths)s THEN p.big_ids[1 + (g * 104729) %% cardinality(p.big_ids)]
                ELSE p.ids[1 + (g * 104729) %% cardinality(p.ids)] END AS record_id
    FROM generate_series(1::bigint, %(rows)s) g CROSS JOIN pools p
)
INSERT INTO audit_log (org_id, user_id, action, table_name, record_id, before_state, after_state, user_agent,
                       request_id, created_at)
SELECT %(org)s, person, action, table_name, record_id,
       CASE WHEN action = 'UPDATE' THEN jsonb_build_object('progress_percent', g %% 90, 'status', 'active',
            'start_date', '2026-03-03', 'end_date', '2026-03-10', 'owner_id', person) END,
       CASE action WHEN 'UPDATE' THEN jsonb_build_object('progress_percent', g %% 90 + 10,
            'status', CASE WHEN g %% 7 = 0 THEN 'blocked' ELSE 'active' END,
            'start_date', CASE WHEN g %% 5 = 0 THEN '2026-03-10' ELSE '2026-03-03' END,
            'end_date', CASE WHEN g %% 5 = 0 THEN '2026-03-17' ELSE '2026-03-10' END,
            'owner_id', CASE WHEN g %% 40 = 0 THEN person + 1 ELSE person END)
            WHEN 'DELETE' THEN jsonb_build_object('deleted_at', now()) ELSE jsonb_build_object('name', 'Seeded') END,
       '', 'bench', now() - make_interval(secs => (g * 31536000.0 / %(rows)s)::double precision)
FROM picks
"""


def fill_audit(org, big, others, rows: int, big_share: float) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            AUDIT_SQL,
            {"org": org.pk, "big": big.pk, "projects": [big.pk, *others], "rows": rows,
             "big_tenths": round(big_share * 10)},
        )  # fmt: skip
        cursor.execute("VACUUM ANALYZE audit_log, activity_project_entry")
    return time.perf_counter() - started


def time_changes(project, runs: int) -> tuple[float, int]:
    from datetime import timedelta

    from django.utils import timezone

    from activity.changes import changes_since

    moment = timezone.now() - timedelta(days=30)
    changes_since(project, moment)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found = changes_since(project, moment)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(found.changes)


def time_feeds(org, big, small, person, task, deep: str, runs: int) -> None:
    """The feed selector alone (one page: its three queries and the sentences), in the organisation's scope as a
    web request runs it: what the page costs before templates and HTTP."""
    from activity import feed
    from pit import rls
    from projects.models import Project

    small_project = Project.objects.get(pk=small)
    cursor = feed.Cursor.parse(deep)
    cases = [
        ("org feed, newest", {}),
        ("org feed, middle of the log", {"cursor": cursor}),
        ("org feed, one person", {"filters": feed.Filters(person=person)}),
        ("org feed, status changes", {"filters": feed.Filters(kind="status")}),
        ("org feed, owner changes", {"filters": feed.Filters(kind="owner")}),
        ("org feed, milestones", {"filters": feed.Filters(item="milestone")}),
        ("project feed, big project", {"project": big}),
        ("project feed, big project, middle", {"project": big, "cursor": cursor}),
        ("project feed, small project", {"project": small_project}),
        ("project feed, small project, dates", {"project": small_project, "filters": feed.Filters(kind="dates")}),
        ("task feed", {"task": task}),
    ]
    print(f"{'feed selector, one page of 50':<44} {'median ms':>9} {'p95 ms':>9}")
    with rls.organisation(org):
        for name, kwargs in cases:
            kwargs.setdefault("filters", feed.Filters())
            times = []
            for _ in range(runs + 2):
                started = time.perf_counter()
                feed.page(org, **kwargs)
                times.append((time.perf_counter() - started) * 1000)
            times = sorted(times[2:])
            print(f"{name:<44} {statistics.median(times):>9.1f} {times[round(0.95 * (len(times) - 1))]:>9.1f}")


def deep_cursor(org, offset: int, **where) -> str:
    from pit.models import AuditLog

    row = AuditLog.objects.filter(org=org, **where).order_by("-created_at", "-id").values("created_at", "id")[offset]
    from activity.feed import Cursor

    return str(Cursor(row["created_at"], row["id"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5000, help="tasks of the big project")
    parser.add_argument("--other-tasks", type=int, default=15000, help="tasks of the organisation's 19 other projects")
    parser.add_argument("--audit", type=int, default=1_000_000, help="audit rows")
    parser.add_argument("--big-share", type=float, default=0.4, help="share of audit rows on the big project")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    migrate()
    from urllib.parse import quote

    from projects.models import Task

    org, big, others, admin = seed(args.tasks, args.other_tasks)
    edited = edit_history(big.pk)
    print(f"big project: {Task.objects.filter(project=big).count():,} tasks, {edited:,} edited in the last 60 days")
    median, found = time_changes(big, args.runs)
    print(f"changes_since(last month), {args.tasks:,}-task project: {median:.1f} ms median, {found:,} changes")

    seconds = fill_audit(org, big, others, args.audit, args.big_share)
    print(f"inserted {args.audit:,} audit rows set-based in {seconds:.1f} s", flush=True)
    task = Task.objects.filter(project=big).order_by("pk").first()
    small = others[0]
    person = admin.org.users.filter(is_system=False).order_by("pk")[3]
    client = signed_in_client(admin)
    cursor = deep_cursor(org, args.audit // 2)
    deep = quote(cursor)
    time_feeds(org, big, small, person, task, cursor, args.runs)
    print(HEADER)
    pages = [
        ("project page, no comparison", f"/projects/{big.pk}/"),
        (f"project page, since last month ({args.tasks:,} tasks)", f"/projects/{big.pk}/?since=month"),
        ("Gantt, no comparison", f"/projects/{big.pk}/gantt/"),
        ("Gantt, since last month", f"/projects/{big.pk}/gantt/?since=month"),
        ("changes page, since last month", f"/projects/{big.pk}/changes/?since=month"),
        ("dashboard, since last month", "/?since=month"),
        ("org feed, newest", "/activity/"),
        ("org feed, page at the middle of the log", f"/activity/?before={deep}"),
        ("org feed, one person", f"/activity/?person={person.pk}"),
        ("org feed, status changes", "/activity/?kind=status"),
        ("org feed, owner changes", "/activity/?kind=owner"),
        ("org feed, milestones", "/activity/?item=milestone"),
        ("org feed, a month ago", "/activity/?start=2026-01-01&end=2026-01-31"),
        ("project feed, big project", f"/projects/{big.pk}/activity/"),
        ("project feed, big project, middle", f"/projects/{big.pk}/activity/?before={deep}"),
        ("project feed, a small project", f"/projects/{small}/activity/"),
        ("project feed, small project, dates", f"/projects/{small}/activity/?kind=dates"),
        ("task feed", f"/tasks/{task.pk}/activity/"),
    ]
    for name, url in pages:
        print(measure(client, name, url, args.runs).row(), flush=True)


if __name__ == "__main__":
    main()

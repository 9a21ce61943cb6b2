"""Watchdog benchmarks: full scans, a rescan with nothing changed, a one-project scan after an edit, and /alerts/
with 50,000 open alerts.

python bench/watchdog.py                                  # 10,000 projects, 1,000,000 tasks (inside
python bench/watchdog.py --projects 1000 --tasks 100000   #   `python -m pit.embedded test --`)
"""

import argparse
import statistics
import time

from harness import HEADER, measure, migrate, signed_in_client

OPEN_ALERTS = 50_000


def seed(projects: int, tasks: int):
    from accounts.models import User
    from pit import demo

    started = time.perf_counter()
    orgs = demo.seed_organisations(1, extra_staff=max(5, projects // 5))
    demo.seed_projects(orgs, projects=projects, tasks=tasks, progress=True)
    print(f"seeded {projects:,} projects, {tasks:,} tasks in {time.perf_counter() - started:.1f} s", flush=True)
    return orgs[0], User.objects.get(email="admin@demo.pit.example")


def timed(run) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return (time.perf_counter() - started) * 1000, result


def scans(org, runs: int) -> None:
    from django.db import connection
    from django.db.models import Count

    from watchdog.models import WatchdogAlert
    from watchdog.scan import scan

    fresh = []
    for _ in range(runs):
        with connection.cursor() as cursor:  # forget every alert, as before the first scan
            cursor.execute("TRUNCATE watchdog_alert")
        ms, result = timed(lambda: scan(org=org))
        fresh.append(ms)
    log = result.log
    print(f"full scan, no alerts before: median {statistics.median(fresh):,.0f} ms (runs {[round(t) for t in fresh]})")
    print(f"  {log.projects_scanned:,} projects, {log.issues_detected:,} open alerts; {log.detail['open']}")
    by_rule = dict(WatchdogAlert.objects.values_list("code").annotate(n=Count("*")).order_by("code"))
    print(f"  by rule: {by_rule}")
    print(f"  ms per step (last run): {result.job.detail['ms']}")
    again = []
    for _ in range(runs):
        ms, result = timed(lambda: scan(org=org))
        again.append(ms)
        assert result.job.rows_changed == 0, result.changes
    print(f"  rescan ms per step (last run): {result.job.detail['ms']}")
    print(f"rescan, nothing changed: median {statistics.median(again):,.0f} ms, alert rows written: 0 "
          f"(only the scan log and job_run rows)")  # fmt: skip


def project_scan(org, admin, runs: int) -> None:
    from projects import services
    from projects.models import Project, Task
    from watchdog.scan import scan

    projects = Project.objects.filter(org=org).order_by("pk")
    project = projects[projects.count() // 2]
    task = Task.objects.filter(project=project).exclude(status="completed").first()
    times = []
    for i in range(runs):
        services.set_task_progress(actor=admin, task=task, progress_percent=10 + i)
        ms, _ = timed(lambda: scan(org=org, project=project))
        times.append(ms)
    tasks = project.tasks.count()
    print(
        f"one-project scan after an edit ({tasks} tasks): median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms"
    )


def exactly_open_alerts(org) -> int:
    """Make exactly OPEN_ALERTS alerts open: resolve those beyond that (they become history), or add look-alike
    rows (subject table 'bench', spread over the projects) when the scan found fewer."""
    from django.db import connection

    from watchdog.models import WatchdogAlert

    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE watchdog_alert SET resolved_at = now() WHERE id IN (
                   SELECT id FROM watchdog_alert WHERE resolved_at IS NULL ORDER BY id OFFSET %s)""",
            [OPEN_ALERTS],
        )
        cursor.execute(
            """WITH p AS (SELECT id, org_id, owner_id, row_number() OVER (ORDER BY id) - 1 AS n FROM project
                          WHERE org_id = %(org)s),
                    total AS (SELECT COUNT(*) AS n FROM p)
               INSERT INTO watchdog_alert (org_id, project_id, code, subject_table, subject_id, owner_id,
                   severity, message, data, detected_at, severity_changed_at, acknowledge_note)
               SELECT p.org_id, p.id, 'TASK_OVERDUE', 'bench', g, p.owner_id,
                      (CASE WHEN g %% 3 = 0 THEN 'red' ELSE 'yellow' END)::alert_severity_enum,
                      'Bench alert ' || g, jsonb_build_object('name', 'Bench ' || g),
                      now() - make_interval(mins => g), now(), ''
               FROM generate_series(1, %(missing)s) g, total JOIN p ON true
               WHERE p.n = g %% total.n""",
            {"org": org.pk, "missing": max(0, OPEN_ALERTS - WatchdogAlert.objects.open().count())},
        )
        cursor.execute("VACUUM ANALYZE watchdog_alert")
    return WatchdogAlert.objects.open().count()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    migrate()
    org, admin = seed(args.projects, args.tasks)
    scans(org, args.runs)
    project_scan(org, admin, 10)
    total = exactly_open_alerts(org)
    client = signed_in_client(admin)
    print(f"\n{total:,} open alerts\n{HEADER}")
    for url in ("/alerts/", "/alerts/?severity=red&rule=TASK_OVERDUE", "/alerts/?tab=resolved", "/alerts/?page=500"):
        print(measure(client, url, url, 20).row(), flush=True)


if __name__ == "__main__":
    main()

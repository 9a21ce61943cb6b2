"""Working-calendar benchmarks: the watchdog's working-day rules over an organisation (each rule's time in a full
scan, and the working_day table it reads), a project's calendar read, and the critical path of a big project counted
in working days against counting calendar days.

python bench/calendars.py                                  # 1,000 projects, 100,000 tasks (inside
python bench/calendars.py --projects 100 --tasks 10000     #   `python -m pit.embedded test --`)
"""

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from harness import migrate


def timed(run, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def scan_figures(org) -> None:
    from django.db import connection, transaction

    from calendars import sql
    from watchdog.scan import scan

    with transaction.atomic(), connection.cursor() as cursor:
        ms = timed(lambda: sql.prepare(cursor, org.pk, org.today()))
    print(f"working_day table ({sql.WINDOW_BEFORE + sql.WINDOW_AFTER} years of days): median {ms:.1f} ms")
    scan(org=org)  # the first scan writes every alert; time the rescans
    runs = [scan(org=org).job.detail["ms"] for _ in range(3)]
    for rule in ("TASK_OVERDUE", "SCHEDULE_SLIP", "MILESTONE_AT_RISK", "DEPENDENCY_VIOLATION"):
        print(f"  rule {rule:<22} median {statistics.median(r[rule] for r in runs):,.0f} ms")
    print(f"  all rules and the upsert, median {statistics.median(sum(r.values()) for r in runs):,.0f} ms")


def critical_path(tasks: int) -> None:
    from calendars.workdays import WorkingCalendar
    from projects.gantt import schedule

    rng, first = random.Random(5), date(2026, 1, 5)
    holidays = tuple(first + timedelta(days=rng.randrange(900)) for _ in range(40))
    calendar = WorkingCalendar(closed=holidays)
    spans, links = {}, []
    for task in range(tasks):
        start = first + timedelta(days=rng.randrange(700))
        spans[task] = (start, start + timedelta(days=rng.randrange(1, 30)))
        if task and rng.random() < 0.8:
            links.append(schedule.Link(rng.randrange(task), task, rng.randrange(0, 3)))
    end = max(e for _, e in spans.values()) + timedelta(days=30)
    days = timed(lambda: schedule.critical_tasks(spans, links, end), runs=3)
    working = timed(lambda: schedule.critical_tasks(spans, links, end, calendar), runs=3)
    print(f"critical path of {tasks:,} tasks, {len(links):,} links: calendar days {days:,.0f} ms, "
          f"working days {working:,.0f} ms")  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    migrate()
    from django.db.models import Max

    from accounts.models import User
    from calendars import demo as calendar_demo
    from calendars.selectors import calendar_for_project
    from pit import demo
    from projects.models import Project

    orgs = demo.seed_organisations(1, extra_staff=max(5, args.projects // 5))
    demo.seed_projects(orgs, projects=args.projects, tasks=args.tasks)
    calendar_demo.seed(orgs, seed=1)
    org = orgs[0]
    assert User.objects.filter(org=org).exists()
    print(f"seeded {args.projects:,} projects, {args.tasks:,} tasks; NSW holidays loaded")
    project = Project.objects.filter(org=org).annotate(last=Max("tasks__end_date")).first()
    ms = timed(lambda: calendar_for_project(Project.objects.get(pk=project.pk)), runs=20)
    print(f"calendar_for_project (one query, with the project read): median {ms:.2f} ms")
    scan_figures(org)
    critical_path(5000)


if __name__ == "__main__":
    main()

"""Plan import benchmark: a 2,000-task MS Project XML file, read and checked (the preview), its preview page, and
written (the confirmation); and, for comparison, the per-item services on a smaller plan.

python -m pit.embedded test -- .venv/bin/python bench/interchange.py                 # 2,000 tasks (issue 16)
python -m pit.embedded test -- .venv/bin/python bench/interchange.py --tasks 500 --per-item 50   # a quick look
"""

import argparse
import time
from datetime import date, timedelta
from types import SimpleNamespace

from harness import migrate, signed_in_client

START = date(2027, 1, 4)


def mspdi_file(tasks: int, people: list) -> bytes:
    """An MSPDI plan of 10 milestones × 10 deliverables × tasks/100 tasks, each task after the one before it in its
    deliverable (finish-to-start, lag 1 day), owned by people of the organisation."""
    from calendars.workdays import WorkingCalendar
    from interchange.formats import mspdi_write
    from interchange.selectors import Row

    per = max(tasks // 100, 1)
    rows, day = [], START
    for m in range(1, 11):
        m_row = Row(len(rows) + 1, "milestone", f"{m}", f"Phase {m}", day, day, people[0].email, "", 0)
        rows.append(m_row)
        for d in range(1, 11):
            d_row = Row(len(rows) + 1, "deliverable", f"{m}.{d}", f"Package {m}.{d}", day, day, "", "", 0)
            rows.append(d_row)
            previous = None
            for t in range(1, per + 1):
                finish = day + timedelta(days=2)
                owner = people[(len(rows)) % len(people)]
                row = Row(len(rows) + 1, "task", f"{m}.{d}.{t}", f"Task {m}.{d}.{t}", day, finish, owner.email,
                          owner.name, (t * 7) % 101, capex=t * 10, opex=t * 5,
                          preds=[(previous, 1)] if previous else [])  # fmt: skip
                rows.append(row)
                previous, day = row.number, finish + timedelta(days=2)
                d_row.finish = m_row.finish = finish
    project = SimpleNamespace(name="Bench plan", start_date=START, end_date=day, progress_percent=0)
    return mspdi_write.write(project, rows, WorkingCalendar())


def per_item(actor, org, tasks: int) -> float:
    """The per-item services (create_* and add_dependency, each locking the project and recomputing its roll-ups)."""
    from projects import dependencies, services

    started = time.perf_counter()
    project = services.create_project(actor=actor, org=org, name="Per item", owner=actor, start_date=START,
                                      end_date=START + timedelta(days=400))  # fmt: skip
    milestone = services.create_milestone(actor=actor, project=project, name="M", owner=actor,
                                          start_date=START, end_date=START + timedelta(days=400))  # fmt: skip
    deliverable = services.create_deliverable(actor=actor, milestone=milestone, name="D", owner=actor,
                                              start_date=START, end_date=START + timedelta(days=400))  # fmt: skip
    previous = None
    for n in range(tasks):
        task = services.create_task(actor=actor, deliverable=deliverable, name=f"T{n}", owner=actor,
                                    start_date=START, end_date=START + timedelta(days=3))  # fmt: skip
        if previous:
            dependencies.add_dependency(actor=actor, predecessor=previous, successor=task)
        previous = task
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--per-item", type=int, default=200, help="tasks for the per-item comparison (0: skip)")
    args = parser.parse_args()
    migrate()
    from django.urls import reverse

    from accounts.models import User
    from interchange import services
    from pit import demo
    from projects.models import Task, TaskDependency

    org = demo.seed_organisations(1, extra_staff=20)[0]
    admin = User.objects.get(email="admin@demo.pit.example")
    people = list(User.objects.filter(org=org, is_active=True, is_system=False))
    data = mspdi_file(args.tasks, people)
    print(f"MSPDI file: {args.tasks:,} tasks, {len(data) / 1024 / 1024:.1f} MiB")

    started = time.perf_counter()
    pending = services.stage(actor=admin, org=org, data=data, file_name="bench.xml", project_name="Bench")
    staged = time.perf_counter() - started
    assert not pending.problems, pending.problems[:3]
    client = signed_in_client(admin)
    client.get(reverse("interchange:upload"))
    started = time.perf_counter()
    response = client.get(reverse("interchange:preview", args=[pending.pk]))
    page = time.perf_counter() - started
    assert response.status_code == 200
    started = time.perf_counter()
    project = services.confirm(actor=admin, pending=pending)
    confirmed = time.perf_counter() - started
    made = Task.objects.filter(project=project).count(), TaskDependency.objects.filter(project=project).count()
    print(f"read + check + store (upload):    {staged * 1000:8.0f} ms")
    print(f"preview page:                     {page * 1000:8.0f} ms")
    print(f"confirm (write all, roll-ups):    {confirmed * 1000:8.0f} ms   ({made[0]:,} tasks, {made[1]:,} links)")
    print(f"total, file to project:           {(staged + page + confirmed):8.2f} s   (target ≤ 10 s)")
    if args.per_item:
        seconds = per_item(admin, org, args.per_item)
        print(f"per-item services, {args.per_item} tasks:       {seconds * 1000:8.0f} ms   "
              f"({seconds / args.per_item * 1000:.1f} ms a task)")  # fmt: skip


if __name__ == "__main__":
    main()

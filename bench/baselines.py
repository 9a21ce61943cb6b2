"""Baseline benchmarks: capturing a baseline of a big project, the Gantt with and without a baseline shown, and
the variance page and CSV.

python bench/baselines.py                       # a 5,000-task project (inside `python -m pit.embedded test --`)
python bench/baselines.py --tasks 20000 --runs 20
"""

import argparse
import statistics
import time

from harness import HEADER, measure, migrate, signed_in_client


def seed(tasks: int):
    from accounts.models import User
    from pit import demo
    from projects.models import Project

    started = time.perf_counter()
    orgs = demo.seed_organisations(1, extra_staff=10)
    (pk,) = demo.seed_projects(orgs, projects=1, tasks=tasks, seed=7)
    print(f"seeded 1 project, {tasks:,} tasks in {time.perf_counter() - started:.1f} s", flush=True)
    return User.objects.get(email="admin@demo.pit.example"), Project.objects.get(pk=pk)


def captures(admin, project, runs: int):
    from baselines import services
    from baselines.models import BaselineItem

    times = []
    for i in range(runs):
        started = time.perf_counter()
        baseline = services.capture(actor=admin, project=project, name=f"Bench {i}", reference=i == 0)
        times.append((time.perf_counter() - started) * 1000)
    items = BaselineItem.objects.filter(baseline=baseline).count()
    print(f"capture ({baseline.task_count:,} tasks, {items:,} items): median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms over {runs} runs", flush=True)  # fmt: skip
    return baseline


def drift(project) -> int:
    """Move every fifth task three days later, as weeks of replanning would (timeline caches go stale)."""
    from django.db import connection
    from django.db.models import F

    from projects.models import Project

    with connection.cursor() as cursor:
        cursor.execute("UPDATE task SET start_date = start_date + 3, end_date = end_date + 3 "
                       "WHERE project_id = %s AND id %% 5 = 0", [project.pk])  # fmt: skip
        moved = cursor.rowcount
    Project.objects.filter(pk=project.pk).update(timeline_version=F("timeline_version") + 1)
    return moved


def _timed(client, url: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one GET (CPU time is what the page costs whatever else the machine runs)."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, url
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def gantts(admin, gantt: str, baseline, runs: int) -> None:
    """The same Gantt for two sessions of one person, one showing the baseline and one not, requested in turns so
    that the machine's other load falls on both alike."""
    plain, shown = signed_in_client(admin), signed_in_client(admin)
    plain.get(gantt + "?baseline=")
    shown.get(f"{gantt}?baseline={baseline.pk}")
    sizes = [len(client.get(gantt).content) for client in (plain, shown)]
    times = {"plain": [], "shown": []}
    for _ in range(runs):
        times["plain"].append(_timed(plain, gantt))
        times["shown"].append(_timed(shown, gantt))
    figures = {}
    for key, size in zip(("plain", "shown"), sizes, strict=True):
        wall, cpu = zip(*times[key], strict=True)
        figures[key] = (statistics.median(wall), min(wall), statistics.median(cpu))
        name = "no baseline" if key == "plain" else "baseline shown"
        print(f"gantt, {name:<15} wall median {figures[key][0]:6.1f} ms, min {figures[key][1]:6.1f} ms; "
              f"CPU median {figures[key][2]:6.1f} ms; {size / 1024:.0f} KiB")  # fmt: skip
    ratios = [figures["shown"][i] / figures["plain"][i] for i in range(3)]
    print(f"baseline shown / none: wall median {ratios[0]:.2f}, wall min {ratios[1]:.2f}, CPU median {ratios[2]:.2f} "
          f"({runs} runs each, in turns)", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    migrate()
    admin, project = seed(args.tasks)
    baseline = captures(admin, project, max(5, args.runs // 3))
    print(f"moved {drift(project):,} tasks 3 days later after the captures")
    client = signed_in_client(admin)
    gantt = f"/projects/{project.pk}/gantt/"
    client.get(gantt + "?zoom=month")
    gantts(admin, gantt, baseline, args.runs)
    print(HEADER)
    from django.db.models import F

    from projects.models import Project

    def changed():  # as any write to the plan does: the cached figures are for an older version
        Project.objects.filter(pk=project.pk).update(timeline_version=F("timeline_version") + 1)

    cold = measure(client, "variance page, first look after a change", f"/baselines/{baseline.pk}/",
                   max(5, args.runs // 3), changed)  # fmt: skip
    print(cold.row(), flush=True)
    for name, url in (("variance page", f"/baselines/{baseline.pk}/"),
                      ("variance page, slipped only", f"/baselines/{baseline.pk}/?show=slipped"),
                      ("variance CSV", f"/baselines/{baseline.pk}/variance.csv")):  # fmt: skip
        print(measure(client, name, url, max(5, args.runs // 3)).row(), flush=True)


if __name__ == "__main__":
    main()

"""PIT benchmarks: seed a scale database, then render the workspace and timeline pages and print their figures.

make bench      # 500 projects, 100,000 tasks, plus projects of 2,000, 5,000 and 20,000 tasks; then the Gantt in a
                # browser beside dhtmlx-gantt and frappe-gantt at 1,000, 5,000 and 20,000 tasks (gantt_browser.py)
python bench/run.py --projects 50 --tasks 5000 --runs 10   # a quick look (inside `python -m pit.embedded test --`)
"""

import argparse
import time

import gantt_browser
from harness import HEADER, measure, migrate, signed_in_client


def seed(projects: int, tasks: int, big_sizes: list[int]):
    from accounts.models import User
    from pit import demo
    from projects.models import Project

    started = time.perf_counter()
    orgs = demo.seed_organisations(1, extra_staff=max(5, projects // 5))
    demo.seed_projects(orgs, projects=projects, tasks=tasks, progress=True)
    big = [demo.seed_projects(orgs, projects=1, tasks=size, seed=7 + size)[0] for size in big_sizes]
    elapsed = time.perf_counter() - started
    print(f"seeded {projects + len(big)} projects, {tasks + sum(big_sizes):,} tasks in {elapsed:.1f} s")
    return User.objects.get(email="admin@demo.pit.example"), [Project.objects.get(pk=pk) for pk in big]


def stale(project):
    """Make the project's cached timelines stale, as any change to its plan does."""
    from django.db.models import F

    from projects.models import Project

    return lambda: Project.objects.filter(pk=project.pk).update(timeline_version=F("timeline_version") + 1)


def workspace(client, runs: int, big) -> None:
    pages = [
        ("portfolio dashboard /", "/"),
        ("portfolio filtered + sorted", "/?type=project&sort=-capex"),
        ("projects list /projects/", "/projects/"),
        (f"project page, {big.tasks.count():,} tasks", f"/projects/{big.pk}/"),
        ("my work /my-work/", "/my-work/"),
        ("quick-win board /board/", "/board/"),
    ]
    for name, url in pages:
        print(measure(client, name, url, runs).row(), flush=True)


def timeline(client, runs: int, projects) -> None:
    for project in projects:
        url = f"/projects/{project.pk}/gantt/"
        client.get(url + "?zoom=month")  # the viewer's saved zoom
        tasks = project.tasks.count()
        print(measure(client, f"gantt, {tasks:,} tasks, month, warm cache", url, runs).row(), flush=True)
        cold = measure(client, f"gantt, {tasks:,} tasks, month, cold cache", url, max(5, runs // 3), stale(project))
        print(cold.row(), flush=True)
        svg = client.get(f"/projects/{project.pk}/gantt.svg").content
        print(f"{'  standalone SVG export':<44} {len(svg) / 1024 / 1024:>9.2f} MiB")
    print(measure(client, "portfolio gantt /gantt/", "/gantt/", runs).row(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--big", type=int, nargs="+", default=[2_000, 5_000, 20_000], help="sizes of big projects")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--browser-sizes", type=int, nargs="*", default=[1_000, 5_000, 20_000],
                        help="project sizes for the Gantt in a browser (none: skip it)")  # fmt: skip
    parser.add_argument("--browser-runs", type=int, default=11)
    args = parser.parse_args()
    migrate()
    admin, big = seed(args.projects, args.tasks, args.big)
    client = signed_in_client(admin)
    print(HEADER)
    workspace(client, args.runs, big[0])
    timeline(client, args.runs, big[1:])
    if args.browser_sizes:
        print()
        gantt_browser.run(*gantt_browser.seed(args.browser_sizes), args.browser_runs)


if __name__ == "__main__":
    main()

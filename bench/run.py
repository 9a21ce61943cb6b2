"""PIT benchmarks: seed a scale database, then render the workspace pages and print their figures.

make bench                      # 500 projects, 100,000 tasks, plus one 2,000-task project
python bench/run.py --projects 50 --tasks 5000 --runs 10    # a quick look (inside `python -m pit.embedded test --`)
"""

import argparse
import time

from harness import HEADER, measure, migrate, signed_in_client


def seed(projects: int, tasks: int, big_project_tasks: int):
    from accounts.models import User
    from pit import demo
    from projects.models import Project

    started = time.perf_counter()
    orgs = demo.seed_organisations(1, extra_staff=max(5, projects // 5))
    demo.seed_projects(orgs, projects=projects, tasks=tasks, progress=True)
    big = demo.seed_projects(orgs, projects=1, tasks=big_project_tasks, seed=7)[0]
    elapsed = time.perf_counter() - started
    print(f"seeded {projects + 1} projects, {tasks + big_project_tasks:,} tasks in {elapsed:.1f} s")
    return User.objects.get(email="admin@demo.pit.example"), Project.objects.get(pk=big)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=2_000, help="tasks of the one big project")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    migrate()
    admin, big = seed(args.projects, args.tasks, args.big)
    client = signed_in_client(admin)
    pages = [
        ("portfolio dashboard /", "/"),
        ("portfolio filtered + sorted", "/?type=project&sort=-capex"),
        ("projects list /projects/", "/projects/"),
        (f"project page, {big.tasks.count():,} tasks", f"/projects/{big.pk}/"),
        ("my work /my-work/", "/my-work/"),
        ("quick-win board /board/", "/board/"),
    ]
    print(HEADER)
    for name, url in pages:
        print(measure(client, name, url, args.runs).row(), flush=True)


if __name__ == "__main__":
    main()

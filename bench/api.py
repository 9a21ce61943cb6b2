"""API benchmarks: seed a scale database, then time the list endpoints a phone calls (median, p95, queries).

python -m pit.embedded test -- .venv/bin/python bench/api.py                      # 500 projects, 100,000 tasks
python -m pit.embedded test -- .venv/bin/python bench/api.py --projects 50 --tasks 10000 --runs 10   # a quick look

Requests carry a device token (Authorization: Bearer), as the mobile app's do.
"""

import argparse
import statistics
import time
from datetime import timedelta
from urllib.parse import quote

from django.db import connection
from django.test import Client
from harness import HEADER, measure, migrate


def seed(projects: int, tasks: int):
    from accounts.models import User
    from pit import demo

    started = time.perf_counter()
    orgs = demo.seed_organisations(1, extra_staff=max(5, projects // 5))
    demo.seed_projects(orgs, projects=projects, tasks=tasks, progress=True)
    big = demo.seed_projects(orgs, projects=1, tasks=5_000, seed=5_007)[0]
    print(f"seeded {projects + 1} projects, {tasks + 5_000:,} tasks in {time.perf_counter() - started:.1f} s")
    return User.objects.get(email="member@demo.pit.example"), big


def changes_since(org):
    """A phone that last synced a minute ago: 1,000 tasks changed and 20 deleted since then."""
    from django.utils import timezone

    from projects.models import Task

    since = timezone.now() - timedelta(minutes=1)
    ids = list(Task.objects.for_org(org).order_by("?").values_list("pk", flat=True)[:1_020])
    Task.objects.filter(pk__in=ids[:1_000]).update(updated_at=timezone.now())
    Task.objects.filter(pk__in=ids[1_000:]).update(deleted_at=timezone.now())
    with connection.cursor() as cursor:  # the settled tables autovacuum leaves, not the minute after a bulk load
        cursor.execute('VACUUM ANALYZE task, deliverable, milestone, project, "user"')
    return quote(since.isoformat())


def token_for(user) -> str:
    from accounts import services

    return services.issue_token(user=user, device_name="bench phone")[1]


def device(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")


def revalidate(client, name: str, url: str, runs: int) -> str:
    """An unchanged list asked again with its ETag: 304, no body."""
    etag = client.get(url)["ETag"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 304, (url, response.status_code)
    return f"{name:<44} {statistics.median(times):>9.1f} {sorted(times)[int(0.95 * (runs - 1))]:>9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    migrate()
    member, big = seed(args.projects, args.tasks)
    client = device(member)
    since = changes_since(member.org)
    second_page = client.get("/api/v1/tasks/?page_size=100").json()["next"]
    lists = [
        ("me", "/api/v1/me/"),
        ("my-work", "/api/v1/my-work/"),
        ("projects, page of 100", "/api/v1/projects/?page_size=100"),
        ("milestones, page of 100", "/api/v1/milestones/?page_size=100"),
        ("deliverables, page of 100", "/api/v1/deliverables/?page_size=100"),
        ("tasks, page of 100", "/api/v1/tasks/?page_size=100"),
        ("tasks, second page (cursor)", second_page),
        ("tasks updated_since (1,000 + 20 deleted)", f"/api/v1/tasks/?updated_since={since}&page_size=100"),
        ("tasks mine=true by end date", "/api/v1/tasks/?mine=true&ordering=end_date&page_size=100"),
        ("tasks of one project (5,000)", f"/api/v1/tasks/?project={big}&page_size=100"),
        ("dependencies, page of 100", "/api/v1/dependencies/?page_size=100"),
        ("timeline of 5,000 tasks (warm)", f"/api/v1/projects/{big}/timeline/"),
    ]
    print(HEADER)
    for name, url in lists:
        print(measure(client, name, url, args.runs).row(), flush=True)
    print(revalidate(client, "tasks page, If-None-Match → 304", "/api/v1/tasks/?page_size=100", args.runs))
    print(revalidate(client, "my-work, If-None-Match → 304", "/api/v1/my-work/", args.runs))


if __name__ == "__main__":
    main()

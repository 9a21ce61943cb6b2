"""Every workspace page and list runs the same number of queries however much data there is."""

import pytest

from accounts.models import User
from pit.demo import seed_organisations, seed_projects
from projects.models import Deliverable, Project, Task
from watchdog.models import WatchdogAlert

pytestmark = pytest.mark.django_db


def _pages(project, deliverable, task) -> list[str]:
    return [
        "/",
        "/?type=project&sort=-progress",
        "/projects/",
        "/projects/?deleted=1",
        f"/projects/{project.pk}/",
        f"/deliverables/{deliverable.pk}/",
        f"/deliverables/{deliverable.pk}/task-rows/",
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/edit/",
        "/my-work/",
        "/board/",
        f"/board/?project={project.pk}",
    ]


def test_page_query_counts_do_not_grow_with_the_data(client, count_queries):
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=20, seed=1)
    admin = User.objects.get(email="admin@demo.pit.example")
    project = Project.objects.order_by("pk").first()
    deliverable = Deliverable.objects.filter(project=project).order_by("pk").first()
    task = Task.objects.filter(deliverable=deliverable).order_by("pk").first()
    Task.objects.filter(pk=task.pk).update(owner=admin, assignees=[admin.pk])
    client.force_login(admin)
    pages = _pages(project, deliverable, task)
    for url in pages:
        count_queries(url)  # warm per-process caches
    small = {url: count_queries(url) for url in pages}

    seed_projects(orgs, projects=30, tasks=1500, seed=2)  # more projects, and more tasks for everyone
    extra = Task.objects.filter(project=project).exclude(pk=task.pk)[:1].get()
    for i in range(40):  # the same project, deliverable and person get much more too
        Task.objects.create(
            **{f.attname: getattr(extra, f.attname) for f in Task._meta.concrete_fields if f.attname != "id"}
            | {"deliverable_id": deliverable.pk, "milestone_id": deliverable.milestone_id, "name": f"More {i}",
               "owner_id": admin.pk, "start_date": deliverable.start_date, "end_date": deliverable.start_date}
        )  # fmt: skip
    WatchdogAlert.objects.bulk_create(
        WatchdogAlert(
            project=p,
            org_id=p.org_id,
            owner_id=p.owner_id,
            subject_table="project",
            subject_id=p.pk,
            severity="red",
            code="late",
            message="Late",
        )
        for p in Project.objects.all()
    )
    assert Task.objects.filter(owner=admin).count() > 40
    large = {url: count_queries(url) for url in pages}
    grown = {url: (small[url], large[url]) for url in pages if small[url] != large[url]}
    assert not grown, f"query counts grew with the data: {grown}"

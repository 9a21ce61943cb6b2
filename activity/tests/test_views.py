"""The pages: what changed since (project page, Gantt, dashboard, changes page) and the feeds; permissions, tenancy,
bad input and query counts."""

from urllib.parse import urlencode

import pytest
from django.utils import timezone

from accounts.permissions import Role
from activity.tests.factories import plan
from pit.enums import TaskStatus
from projects import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(count_queries):
    """Queries of a page once per-process caches are warm (the first visit fills them)."""

    def count(url: str) -> int:
        count_queries(url)
        return count_queries(url)

    return count


def since(moment) -> str:
    return urlencode({"since": moment.isoformat()})


def changed_project(org, owner, *, tasks: int):
    """A project whose every task's progress moved after the returned moment, and one task added after it."""
    project, _, deliverable, made = plan(org, owner, tasks=tasks)
    moment = timezone.now()
    for task in made:
        services.set_task_progress(actor=owner, task=task, progress_percent=50)
    services.create_task(actor=owner, deliverable=deliverable, name="Pour slab", owner=owner,
                         start_date=deliverable.start_date, end_date=deliverable.start_date)  # fmt: skip
    return project, made, moment


def test_project_page_offers_the_comparison_and_the_history(manager_client, org, manager):
    project, _, _, _ = plan(org, manager, tasks=1)
    body = manager_client.get(f"/projects/{project.pk}/").content.decode()
    assert "What changed since" in body and 'value="week"' in body
    assert f'href="/projects/{project.pk}/activity/"' in body
    assert "added</span>" not in body  # nothing computed until asked


def test_project_page_marks_what_changed(manager_client, org, manager):
    project, made, moment = changed_project(org, manager, tasks=2)
    body = manager_client.get(f"/projects/{project.pk}/?{since(moment)}").content.decode()
    assert "1 added" in body and "0 removed" in body and "4 changed" in body  # 2 tasks, deliverable, milestone
    assert f"task-{made[0].pk}" in body.split('data-changed="')[1].split('"')[0]
    assert "Progress: <del>0 %</del> → <ins>50 %</ins>" in body
    assert "Pour slab" in body


def test_project_page_query_count_does_not_grow(client, org, manager, settled):
    client.force_login(manager)
    small, _, small_moment = changed_project(org, manager, tasks=2)
    big, _, big_moment = changed_project(org, manager, tasks=15)
    assert settled(f"/projects/{small.pk}/?{since(small_moment)}") == settled(
        f"/projects/{big.pk}/?{since(big_moment)}"
    )


def test_gantt_highlights_changed_rows(client, org, manager, settled):
    client.force_login(manager)
    project, made, moment = changed_project(org, manager, tasks=2)
    body = client.get(f"/projects/{project.pk}/gantt/?{since(moment)}").content.decode()
    assert body.count('class="chg-row chg-changed"') == 4 and body.count('class="chg-row chg-added"') == 1
    assert "chg-row" not in client.get(f"/projects/{project.pk}/gantt/").content.decode()
    big, _, big_moment = changed_project(org, manager, tasks=15)
    assert settled(f"/projects/{project.pk}/gantt/?{since(moment)}") == settled(
        f"/projects/{big.pk}/gantt/?{since(big_moment)}"
    )


def test_dashboard_lists_projects_that_changed(client, org, manager, settled):
    client.force_login(manager)
    quiet, _, _, _ = plan(org, manager, tasks=1)
    project, _, moment = changed_project(org, manager, tasks=3)
    body = client.get(f"/?{since(moment)}").content.decode()
    section = body.split('id="changes-since"')[1]
    assert f'href="/projects/{project.pk}/?since=' in section and f"/projects/{quiet.pk}/?since" not in section
    assert '<td class="num">1</td><td class="num">0</td><td class="num">3</td>' in section
    first = settled(f"/?{since(moment)}")
    changed_project(org, manager, tasks=10)
    assert settled(f"/?{since(moment)}") == first


def test_changes_page_lists_everything_and_says_what_is_wrong(manager_client, org, manager):
    project, _, moment = changed_project(org, manager, tasks=30)
    body = manager_client.get(f"/projects/{project.pk}/changes/?{since(moment)}").content.decode()
    assert body.count("<tr class=") == 33  # every change, not the panel's first 25
    panel = manager_client.get(f"/projects/{project.pk}/?{since(moment)}").content.decode()
    assert f"/projects/{project.pk}/changes/?since=" in panel and "All 33 changes" in panel
    for bad, message in (("soon", "Enter a date and time"), ("2999-01-01T00:00", "Choose a moment in the past")):
        page = manager_client.get(f"/projects/{project.pk}/changes/?since={bad}").content.decode()
        assert message in page and "<tr class=" not in page


def test_presets_work(manager_client, org, manager):
    project, _, _, tasks = plan(org, manager, tasks=1)
    services.set_task_status(actor=manager, task=tasks[0], status=TaskStatus.COMPLETED)
    body = manager_client.get(f"/projects/{project.pk}/changes/?since=month").content.decode()
    assert "last month (" in body and "1 added" not in body and "3 added" in body  # milestone, deliverable, task


def test_project_feed_tells_the_story_and_filters(client, org, manager, make_user):
    ana = make_user(Role.MEMBER, name="Ana Doyle")
    client.force_login(ana)
    project, _, _, tasks = plan(org, manager, tasks=2)
    services.set_task_progress(actor=ana, task=tasks[0], progress_percent=30)
    services.set_task_status(actor=manager, task=tasks[1], status=TaskStatus.BLOCKED, blocked_reason="Rain")
    body = client.get(f"/projects/{project.pk}/activity/").content.decode()
    assert "Ana Doyle set Task 0’s progress from 0 % to 30 %" in body
    assert "Max Manager set Task 1 to Blocked" in body
    filtered = client.get(f"/projects/{project.pk}/activity/?person={ana.pk}").content.decode()
    assert "Task 0’s progress" in filtered and "Blocked" not in filtered.split("activity-feed")[1]
    kinds = client.get(f"/projects/{project.pk}/activity/?kind=status").content.decode()
    assert "set Task 1 to Blocked" in kinds and "progress from" not in kinds


def test_feed_bad_filters_and_cursors_say_so(manager_client, org, manager):
    project, _, _, _ = plan(org, manager, tasks=1)
    url = f"/projects/{project.pk}/activity/"
    body = manager_client.get(f"{url}?start=2026-05-02&end=2026-05-01").content.decode()
    assert "The range must start on or before the day it ends." in body and "activity-entry" not in body
    body = manager_client.get(f"{url}?kind=gossip").content.decode()
    assert "Select a valid choice" in body and "activity-entry" not in body
    response = manager_client.get(f"{url}?before=garbage", follow=True)
    body = response.content.decode()
    assert "That page link is not valid" in body and "added project Harbour pump station" in body


def test_feed_pages_with_older_link(manager_client, org, manager, settled):
    project, _, _, tasks = plan(org, manager, tasks=1)
    for value in range(1, 60):
        services.set_task_progress(actor=manager, task=tasks[0], progress_percent=value)
    first = manager_client.get(f"/projects/{project.pk}/activity/").content.decode()
    assert first.count('class="activity-entry"') == 50 and "from 58 % to 59 %" in first
    older = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = manager_client.get(f"/projects/{project.pk}/activity/{older}").content.decode()
    assert second.count('class="activity-entry"') == 13 and "added project" in second and "Older" not in second
    assert settled(f"/projects/{project.pk}/activity/") == settled(f"/projects/{project.pk}/activity/{older}")


def test_feed_query_count_does_not_grow(client, org, manager, make_user, settled):
    client.force_login(manager)
    small, _, _, small_tasks = plan(org, manager, tasks=1)
    big, _, _, big_tasks = plan(org, manager, tasks=12)
    people = [make_user(Role.MEMBER, name=f"P{n}") for n in range(4)]
    for person, task in zip(people * 3, big_tasks, strict=True):
        services.update(actor=manager, obj=task, owner=person)
    services.update(actor=manager, obj=small_tasks[0], owner=people[0])
    assert settled(f"/projects/{small.pk}/activity/") == settled(f"/projects/{big.pk}/activity/")
    assert settled(f"/tasks/{small_tasks[0].pk}/activity/") == settled(f"/tasks/{big_tasks[0].pk}/activity/")


def test_task_feed_and_link(manager_client, org, manager):
    _, _, _, tasks = plan(org, manager, tasks=2)
    services.set_task_progress(actor=manager, task=tasks[1], progress_percent=5)
    page = manager_client.get(f"/tasks/{tasks[0].pk}/").content.decode()
    assert f'href="/tasks/{tasks[0].pk}/activity/"' in page
    body = manager_client.get(f"/tasks/{tasks[0].pk}/activity/").content.decode()
    assert "History of Task 0" in body and "added task Task 0" in body and "Task 1" not in body


def test_org_feed_is_for_admins(client, org, org_admin, manager, member):
    plan(org, manager, tasks=1)
    client.force_login(member)
    assert client.get("/activity/").status_code == 403
    assert "/activity/" not in client.get("/").content.decode()
    client.force_login(org_admin)
    body = client.get("/activity/").content.decode()
    assert "Activity in Harbour Water" in body and "Max Manager added project Harbour pump station" in body
    assert 'href="/activity/"' in client.get("/").content.decode()  # in the admin's navigation


def test_org_feed_query_count_does_not_grow(client, org, org_admin, manager, settled):
    client.force_login(org_admin)
    plan(org, manager, tasks=1)
    first = settled("/activity/")
    plan(org, manager, tasks=20)
    assert settled("/activity/") == first


def test_other_organisations_are_404(client, org, other_org, manager, make_user):
    outsider = make_user(Role.ORG_ADMIN, name="Olive Outsider", org=other_org)
    project, _, _, tasks = plan(org, manager, tasks=1)
    client.force_login(outsider)
    for url in (f"/projects/{project.pk}/activity/", f"/tasks/{tasks[0].pk}/activity/",
                f"/projects/{project.pk}/changes/?since=week"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    body = client.get("/activity/").content.decode()
    assert "Harbour pump station" not in body and "Max Manager" not in body
    assert client.get(f"/activity/?person={manager.pk}").status_code == 200  # not a person of theirs: refused
    assert "Select a valid choice" in client.get(f"/activity/?person={manager.pk}").content.decode()


def test_signed_out_is_sent_to_sign_in(client, org, manager):
    project, _, _, _ = plan(org, manager, tasks=1)
    response = client.get(f"/projects/{project.pk}/activity/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_deleted_item_name_still_shown(manager_client, org, manager):
    project, _, _, tasks = plan(org, manager, tasks=1)
    moment = timezone.now()
    services.soft_delete(actor=manager, obj=tasks[0])
    body = manager_client.get(f"/projects/{project.pk}/activity/").content.decode()
    assert "Max Manager deleted task Task 0" in body
    changes = manager_client.get(f"/projects/{project.pk}/changes/?{since(moment)}").content.decode()
    assert "1 removed" in changes and "Task 0" in changes

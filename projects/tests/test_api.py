"""The projects API: every endpoint's behaviour, the permission matrix, tenancy (another organisation's ids are
404s), JSON errors that change nothing, and query counts that do not grow with the data."""

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from pit.models import AuditLog
from projects.api import serializers
from projects.models import Project, Task, TaskDependency
from projects.tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory, TaskFactory, task_in

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def plan(org, member, manager):
    """One project of `org` (owned by the manager): a milestone, a deliverable and two tasks, one of them the
    member's."""
    deliverable = DeliverableFactory(milestone__project=ProjectFactory(org=org, owner=manager, name="Harbour pumps"))
    mine = TaskFactory(deliverable=deliverable, owner=member, name="Fit pump")
    theirs = TaskFactory(deliverable=deliverable, name="Order parts")
    return deliverable, mine, theirs


@pytest.fixture
def foreign(other_org):
    return task_in(other_org, UserFactory(org=other_org))


def test_every_level_lists_and_reads(api, member, plan):
    deliverable, mine, theirs = plan
    api.force_authenticate(member)
    assert ids(api.get("/api/v1/projects/")) == [deliverable.project_id]
    assert ids(api.get("/api/v1/milestones/")) == [deliverable.milestone_id]
    assert ids(api.get("/api/v1/deliverables/")) == [deliverable.pk]
    assert sorted(ids(api.get("/api/v1/tasks/"))) == sorted([mine.pk, theirs.pk])
    task = api.get(f"/api/v1/tasks/{mine.pk}/").json()
    assert task["name"] == "Fit pump" and task["owner"] == member.pk and task["can_update"] is True
    assert task["deliverable"] == deliverable.pk and task["project"] == deliverable.project_id
    assert api.get(f"/api/v1/tasks/{theirs.pk}/").json()["can_update"] is False
    project = api.get(f"/api/v1/projects/{deliverable.project_id}/").json()
    assert project["name"] == "Harbour pumps" and project["owner_name"]


def test_another_organisations_rows_are_404_everywhere(api, manager, foreign):
    api.force_authenticate(manager)
    urls = [f"/api/v1/projects/{foreign.project_id}/", f"/api/v1/milestones/{foreign.milestone_id}/",
            f"/api/v1/deliverables/{foreign.deliverable_id}/", f"/api/v1/tasks/{foreign.pk}/"]  # fmt: skip
    for url in [*urls, f"/api/v1/projects/{foreign.project_id}/timeline/"]:
        response = api.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    for url in urls:
        assert api.patch(url, {"name": "Mine now"}, format="json").status_code == 404, url
        assert api.delete(url).status_code == 404, url
    for action, body in (("status", {"status": "completed"}), ("progress", {"progress_percent": 50})):
        assert api.post(f"/api/v1/tasks/{foreign.pk}/{action}/", body, format="json").status_code == 404
    for path in ("projects", "milestones", "deliverables", "tasks"):
        assert ids(api.get(f"/api/v1/{path}/")) == []
    assert ids(api.get(f"/api/v1/tasks/?project={foreign.project_id}")) == []
    foreign.refresh_from_db()
    assert foreign.name != "Mine now" and foreign.deleted_at is None and foreign.progress_percent == 0


def test_a_foreign_parent_id_is_a_field_error(api, manager, foreign):
    api.force_authenticate(manager)
    body = {"deliverable": foreign.deliverable_id, "name": "Sneaky", "start_date": "2026-07-01",
            "end_date": "2026-07-02"}  # fmt: skip
    response = api.post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["deliverable"] == [f"There is no deliverable with id {foreign.deliverable_id}."]
    assert not Task.objects.filter(name="Sneaky").exists()


def test_a_manager_builds_a_hierarchy_through_the_services(api, manager, member, org):
    api.force_authenticate(manager)
    project = api.post(
        "/api/v1/projects/", {"name": "Depot", "start_date": "2026-07-01", "end_date": "2027-06-30"}, format="json"
    )
    assert project.status_code == 201 and project.json()["owner"] == manager.pk and project["ETag"]
    pid = project.json()["id"]
    milestone = api.post("/api/v1/milestones/", {"project": pid, "name": "Design", "start_date": "2026-07-01",
                                                 "end_date": "2026-12-31"}, format="json").json()  # fmt: skip
    deliverable = api.post("/api/v1/deliverables/", {"milestone": milestone["id"], "name": "Drawings",
                           "start_date": "2026-07-01", "end_date": "2026-09-30"}, format="json").json()  # fmt: skip
    task = api.post("/api/v1/tasks/", {"deliverable": deliverable["id"], "name": "Survey", "owner": member.pk,
                    "assignees": [manager.pk], "start_date": "2026-07-01", "end_date": "2026-07-10",
                    "capex_cost": "1200.50"}, format="json")  # fmt: skip
    assert task.status_code == 201, task.json()
    created = Task.objects.get(pk=task.json()["id"])
    assert created.project_id == pid and created.owner == member and created.assignees == [manager.pk]
    assert Project.objects.get(pk=pid).capex_total == created.capex_cost  # rolled up by the service
    assert AuditLog.objects.filter(table_name="task", record_id=str(created.pk), action="CREATE").exists()
    changed = api.patch(f"/api/v1/tasks/{created.pk}/", {"name": "Site survey"}, format="json")
    assert changed.status_code == 200 and changed.json()["name"] == "Site survey"
    assert api.delete(f"/api/v1/milestones/{milestone['id']}/").status_code == 204
    assert Task.all_objects.get(pk=created.pk).deleted_at is not None  # deleted with its milestone
    assert api.get(f"/api/v1/tasks/{created.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"end_date": "2026-06-01"}, "end_date", "The end date must be on or after the start date."),
        ({"start_date": "not a date"}, "start_date", "Date has wrong format"),
        ({"owner": 999999}, "owner", "There is no user with id 999999."),
        ({"capex_cost": "-5"}, "capex_cost", "greater than or equal to 0"),
        ({"name": ""}, "name", "This field may not be blank."),
    ],
)
def test_bad_task_changes_are_field_errors_and_change_nothing(api, manager, plan, body, field, message):
    _, task, _ = plan
    before = Task.objects.get(pk=task.pk)
    api.force_authenticate(manager)
    response = api.patch(f"/api/v1/tasks/{task.pk}/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and message in " ".join(response.json()["errors"][field])
    after = Task.objects.get(pk=task.pk)
    assert (after.updated_at, after.start_date, after.end_date, after.name) == (
        before.updated_at, before.start_date, before.end_date, before.name)  # fmt: skip
    assert not AuditLog.objects.filter(table_name="task", action="UPDATE").exists()


def test_members_and_viewers_cannot_plan(api, member, make_user, plan):
    deliverable, mine, _ = plan
    viewer = make_user(Role.VIEWER)
    for user in (member, viewer):
        api.force_authenticate(user)
        body = {"deliverable": deliverable.pk, "name": "x", "start_date": "2026-07-01", "end_date": "2026-07-02"}
        for response in (
            api.post("/api/v1/tasks/", body, format="json"),
            api.patch(f"/api/v1/tasks/{mine.pk}/", {"name": "Renamed"}, format="json"),
            api.delete(f"/api/v1/tasks/{mine.pk}/"),
            api.delete(f"/api/v1/projects/{deliverable.project_id}/"),
        ):
            assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert Task.objects.get(pk=mine.pk).name == "Fit pump" and Task.objects.count() == 2


def test_owners_update_status_and_progress_of_their_own_tasks_only(api, member, make_user, plan):
    _, mine, theirs = plan
    api.force_authenticate(member)
    response = api.post(f"/api/v1/tasks/{mine.pk}/progress/", {"progress_percent": 60}, format="json")
    assert response.status_code == 200 and response.json()["progress_percent"] == 60
    response = api.post(f"/api/v1/tasks/{mine.pk}/status/", {"status": "blocked", "blocked_reason": "No crane"},
                        format="json")  # fmt: skip
    assert response.json()["status"] == "blocked" and response.json()["blocked_reason"] == "No crane"
    response = api.post(f"/api/v1/tasks/{mine.pk}/status/", {"status": "open"}, format="json")
    assert response.json()["status"] != "blocked"
    refused = api.post(f"/api/v1/tasks/{theirs.pk}/progress/", {"progress_percent": 10}, format="json")
    assert refused.status_code == 403 and "owner" in refused.json()["message"]
    api.force_authenticate(make_user(Role.VIEWER, name="Vic Viewer"))
    assert api.post(f"/api/v1/tasks/{mine.pk}/progress/", {"progress_percent": 5}, format="json").status_code == 403
    assert Task.objects.get(pk=theirs.pk).progress_percent == 0 and Task.objects.get(pk=mine.pk).progress_percent == 60


def test_status_and_progress_rules_are_the_services(api, member, plan):
    _, mine, _ = plan
    Task.objects.filter(pk=mine.pk).update(requires_evidence=True)
    api.force_authenticate(member)
    blocked = api.post(f"/api/v1/tasks/{mine.pk}/status/", {"status": "blocked"}, format="json")
    assert blocked.status_code == 400 and blocked.json()["errors"] == {
        "blocked_reason": ["Say why the task is blocked."]
    }
    done = api.post(f"/api/v1/tasks/{mine.pk}/status/", {"status": "completed"}, format="json")
    assert done.status_code == 400 and "needs accepted evidence" in done.json()["errors"]["status"][0]
    wrong = api.post(f"/api/v1/tasks/{mine.pk}/status/", {"status": "overdue"}, format="json")
    assert wrong.status_code == 400 and "status" in wrong.json()["errors"]
    too_much = api.post(f"/api/v1/tasks/{mine.pk}/progress/", {"progress_percent": 101}, format="json")
    assert too_much.status_code == 400 and "progress_percent" in too_much.json()["errors"]
    task = Task.objects.get(pk=mine.pk)
    assert (task.status, task.progress_percent) == (mine.status, 0)


def test_filters_and_ordering(api, manager, member, plan):
    deliverable, mine, theirs = plan
    other = TaskFactory(deliverable=DeliverableFactory(milestone__project=ProjectFactory(org=manager.org)),
                        owner=manager, assignees=[member.pk], name="Elsewhere")  # fmt: skip
    api.force_authenticate(member)
    assert sorted(ids(api.get(f"/api/v1/tasks/?project={deliverable.project_id}"))) == sorted([mine.pk, theirs.pk])
    assert sorted(ids(api.get("/api/v1/tasks/?mine=true"))) == sorted([mine.pk, other.pk])
    assert ids(api.get(f"/api/v1/tasks/?assignee={member.pk}")) == [other.pk]
    names = [row["name"] for row in api.get("/api/v1/tasks/?ordering=-name").json()["results"]]
    assert names == sorted(names, reverse=True)
    bad = api.get("/api/v1/tasks/?status=nonsense")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    assert ids(api.get("/api/v1/projects/?q=harbour")) == [deliverable.project_id]


def test_cursor_pages_cover_every_row_once(api, member, org):
    deliverable = DeliverableFactory(milestone__project=ProjectFactory(org=org))
    made = {TaskFactory(deliverable=deliverable).pk for _ in range(7)}
    api.force_authenticate(member)
    seen, url = [], "/api/v1/tasks/?page_size=3"
    while url:
        page = api.get(url).json()
        assert len(page["results"]) <= 3
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(made)


def test_my_work_has_the_pages_groups(api, member, org, make_user):
    today = org.today()
    deliverable = DeliverableFactory(milestone__project=ProjectFactory(
        org=org, owner=member, start_date=today - 60 * DAY, end_date=today + 60 * DAY),
        start_date=today - 60 * DAY, end_date=today + 60 * DAY)  # fmt: skip

    def task(name, start, end, **fields):
        return TaskFactory(deliverable=deliverable, name=name, start_date=today + start * DAY,
                           end_date=today + end * DAY, **fields)  # fmt: skip

    task("Late one", -5, -1, owner=member)
    task("Today one", -2, 0, owner=make_user(), assignees=[member.pk])
    task("Stuck one", -1, 5, owner=member, status="blocked", blocked_reason="No parts")
    task("Not mine", -5, -1, owner=make_user())
    api.force_authenticate(member)
    body = api.get("/api/v1/my-work/").json()
    assert body["today"] == today.isoformat()
    groups = {g["key"]: [t["name"] for t in g["tasks"]] for g in body["groups"]}
    assert groups == {"overdue": ["Late one"], "due_today": ["Today one"], "active": [], "upcoming": [],
                      "blocked": ["Stuck one"]}  # fmt: skip
    overdue = body["groups"][0]
    assert overdue["total"] == 1 and overdue["tasks"][0]["status"] == "overdue"
    assert overdue["tasks"][0]["project_name"] == deliverable.project.name


def test_dependencies_listed_added_and_removed_by_planners(api, manager, member, plan):
    deliverable, first, second = plan
    api.force_authenticate(member)
    body = {"predecessor": first.pk, "successor": second.pk, "lag_days": 2}
    assert api.post("/api/v1/dependencies/", body, format="json").status_code == 403
    api.force_authenticate(manager)
    created = api.post("/api/v1/dependencies/", body, format="json")
    assert created.status_code == 201 and created.json()["lag_days"] == 2
    loop = api.post("/api/v1/dependencies/", {"predecessor": second.pk, "successor": first.pk}, format="json")
    assert loop.status_code == 400 and "loop" in loop.json()["errors"]["predecessor"][0]
    assert ids(api.get(f"/api/v1/dependencies/?task={second.pk}")) == [created.json()["id"]]
    assert api.delete(f"/api/v1/dependencies/{created.json()['id']}/").status_code == 204
    assert not TaskDependency.objects.exists()


def test_timeline_has_bars_dependencies_and_the_critical_path(api, member, manager, plan):
    deliverable, first, second = plan
    Task.objects.filter(pk=second.pk).update(start_date=first.end_date + DAY, end_date=first.end_date + 5 * DAY)
    api.force_authenticate(manager)
    api.post("/api/v1/dependencies/", {"predecessor": first.pk, "successor": second.pk}, format="json")
    api.force_authenticate(member)
    response = api.get(f"/api/v1/projects/{deliverable.project_id}/timeline/")
    body = response.json()
    assert body["project"]["id"] == deliverable.project_id and response["ETag"]
    assert [m["id"] for m in body["milestones"]] == [deliverable.milestone_id]
    assert body["deliverables"][0] | {"milestone": deliverable.milestone_id} == body["deliverables"][0]
    tasks = {t["id"]: t for t in body["tasks"]}
    assert set(tasks) == {first.pk, second.pk} and tasks[first.pk]["deliverable"] == deliverable.pk
    assert body["dependencies"] == [{"predecessor": first.pk, "successor": second.pk, "lag_days": 0}]
    assert set(body["critical_path"]) == {first.pk, second.pk} and tasks[first.pk]["critical"] is True
    project = Project.objects.annotate(owner_name=F("owner__name")).get(pk=deliverable.project_id)
    documented = serializers.TimelineOut({**body, "project": project}).data
    assert documented == body  # exactly the shape the schema documents
    assert api.get(f"/api/v1/projects/{deliverable.project_id}/timeline/", HTTP_IF_NONE_MATCH=response["ETag"]
                   ).status_code == 304  # fmt: skip


def _grow(org, owner, member):
    """Many more rows of every kind for the same person and organisation."""
    for _ in range(4):
        deliverable = DeliverableFactory(milestone=MilestoneFactory(project=ProjectFactory(org=org, owner=owner)))
        for _ in range(6):
            task = TaskFactory(deliverable=deliverable, owner=member, assignees=[owner.pk])
        TaskDependency.objects.create(project=task.project, predecessor=task,
                                      successor=TaskFactory(deliverable=deliverable))  # fmt: skip


LISTS = ["/api/v1/projects/", "/api/v1/milestones/", "/api/v1/deliverables/", "/api/v1/tasks/",
         "/api/v1/tasks/?mine=true&ordering=end_date", "/api/v1/dependencies/", "/api/v1/my-work/", "/api/v1/me/",
         "/api/v1/tasks/?updated_since=2020-01-01T00:00:00Z"]  # fmt: skip


def test_list_query_counts_do_not_grow_with_the_data(client, count_queries, org, member, manager, plan):
    client.force_login(member)
    project_id = plan[0].project_id
    urls = [*LISTS, f"/api/v1/projects/{project_id}/timeline/"]
    for url in urls:
        count_queries(url)  # warm per-process caches
    small = {url: count_queries(url) for url in urls}
    _grow(org, manager, member)
    for _ in range(20):
        TaskFactory(deliverable=plan[0], owner=member)
    gone = list(Task.objects.filter(project__org=org).exclude(pk=plan[1].pk).values_list("pk", flat=True)[:5])
    Task.objects.filter(pk__in=gone).update(deleted_at=timezone.now())  # tombstones for the updated_since list
    large = {url: count_queries(url) for url in urls}
    assert small == large
    assert Task.objects.filter(project__org=org).count() > 40


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ORG_ADMIN, True),
        (Role.MANAGER, True),
        (Role.MEMBER, False),
        (Role.REVIEWER, False),
        (Role.VIEWER, False),
    ],  # fmt: skip
)
def test_the_permission_matrix_decides_who_plans(api, make_user, plan, role, allowed):
    deliverable, mine, theirs = plan
    api.force_authenticate(make_user(role))
    expected = {True: 201, False: 403}[allowed]
    body = {"deliverable": deliverable.pk, "name": "New", "start_date": str(deliverable.start_date),
            "end_date": str(deliverable.start_date)}  # fmt: skip
    assert api.post("/api/v1/tasks/", body, format="json").status_code == expected
    milestone = {"project": deliverable.project_id, "name": "M", "start_date": str(deliverable.start_date),
                 "end_date": str(deliverable.end_date)}  # fmt: skip
    assert api.post("/api/v1/milestones/", milestone, format="json").status_code == expected
    link = {"predecessor": mine.pk, "successor": theirs.pk}
    assert api.post("/api/v1/dependencies/", link, format="json").status_code == expected
    assert api.patch(f"/api/v1/deliverables/{deliverable.pk}/", {"name": "D2"}, format="json").status_code == (
        200 if allowed else 403)  # fmt: skip
    assert api.delete(f"/api/v1/tasks/{theirs.pk}/").status_code == (204 if allowed else 403)
    assert Task.objects.filter(name="New").exists() is allowed
    assert api.get(f"/api/v1/projects/{deliverable.project_id}/").status_code == 200  # every role reads


def test_another_organisations_dependencies_are_404s(api, manager, other_org, plan):
    theirs = task_in(other_org, UserFactory(org=other_org))
    other = TaskFactory(deliverable=theirs.deliverable)
    link = TaskDependency.objects.create(project=theirs.project, predecessor=theirs, successor=other)
    api.force_authenticate(manager)
    assert api.get(f"/api/v1/dependencies/{link.pk}/").status_code == 404
    assert api.delete(f"/api/v1/dependencies/{link.pk}/").status_code == 404
    assert ids(api.get("/api/v1/dependencies/")) == []
    response = api.post("/api/v1/dependencies/", {"predecessor": theirs.pk, "successor": plan[1].pk}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"predecessor"}
    assert TaskDependency.objects.count() == 1

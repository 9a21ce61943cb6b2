"""The workspace pages: what they show, the edits they make, the messages they give, and who may do what."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import UserFactory
from evidence.models import Evidence
from evidence.tests.factories import uploaded
from pit.enums import QuickClass, ReviewDecision
from pit.models import AuditLog
from projects import services
from projects.models import Deliverable, Milestone, Project, ProjectStatus, Task, TaskClusterTemplate
from projects.selectors import TREE_TASK_ROWS
from projects.tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    ProjectFactory,
    TaskFactory,
    big_project,
    task_in,
)
from watchdog.models import WatchdogAlert

pytestmark = pytest.mark.django_db
D = datetime.date


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_hard_coded_row_links_match_the_url_conf():
    """Big pages write row links as plain paths (no reverse per row); they must be the URL conf's."""
    assert reverse("projects:project", args=[7]) == "/projects/7/"
    assert reverse("projects:deliverable", args=[7]) == "/deliverables/7/"
    assert reverse("projects:deliverable_task_rows", args=[7]) == "/deliverables/7/task-rows/"
    assert reverse("projects:task", args=[7]) == "/tasks/7/"
    assert reverse("projects:milestone_edit", args=[7]) == "/milestones/7/edit/"
    assert reverse("projects:deliverable_create", args=[7]) == "/milestones/7/deliverables/new/"
    assert reverse("projects:task_create", args=[7]) == "/deliverables/7/tasks/new/"
    assert reverse("projects:milestone_restore", args=[7]) == "/milestones/7/restore/"
    assert reverse("projects:task_progress", args=[7]) == "/tasks/7/progress/"


def test_dashboard_shows_the_portfolio_with_figures(member_client, org, member):
    project = ProjectFactory(org=org, owner=member, name="Depot upgrade", capex_total=Decimal("12500"),
                             status=ProjectStatus.AT_RISK, progress_percent=42)  # fmt: skip
    ProjectFactory(org=org, owner=member, name="Billing ops", type="operational_stream", status=ProjectStatus.ON_TRACK)
    subject = {"project": project, "org": org, "owner": member, "subject_table": "project", "subject_id": project.pk}
    WatchdogAlert.objects.create(**subject, severity="red", code="late", message="Late")
    WatchdogAlert.objects.create(**subject, severity="red", code="x", message="x", resolved_at="2026-01-01T00:00Z")
    ProjectFactory(name="Someone else's")  # another organisation
    body = text(member_client.get("/"))
    assert "Depot upgrade" in body and "Billing ops" in body and "Someone else" not in body
    assert "$12,500.00" in body and "42 %" in body and "Operational stream" in body
    assert '<span class="alerts">1</span>' in body  # open alerts only
    assert '<span class="n">1</span> <span class="l">At risk</span>' in body
    assert '<span class="n">2</span> <span class="l">in all</span>' in body


def test_portfolio_filters_search_and_sort(member_client, org, member, make_user):
    other_owner = make_user(name="Olive Owner")
    ProjectFactory(org=org, owner=member, name="Alpha", start_date=D(2026, 1, 1), end_date=D(2026, 3, 1))
    ProjectFactory(org=org, owner=other_owner, name="Bravo", quick_class=QuickClass.QUICK_WIN)
    ProjectFactory(org=org, owner=member, name="Charlie stream", type="operational_stream")

    def names(query):
        return [p.name for p in member_client.get("/projects/" + query).context["page"].object_list]

    assert names("?type=operational_stream") == ["Charlie stream"]
    assert names(f"?owner={other_owner.pk}") == ["Bravo"]
    assert names("?quick_class=quick_win") == ["Bravo"]
    assert names("?q=alp") == ["Alpha"]
    assert names("?ends_before=2026-02-01") == ["Alpha"]
    assert names("?sort=-name") == ["Charlie stream", "Bravo", "Alpha"]
    assert names("?sort=name") == ["Alpha", "Bravo", "Charlie stream"]


def test_bad_filters_get_a_message_and_no_filtering(member_client, org, member):
    ProjectFactory(org=org, owner=member, name="Alpha")
    response = member_client.get("/projects/?status=sideways&starts_after=someday&sort=colour")
    body = text(response)
    assert "Select a valid choice. sideways is not one of the available choices." in body
    assert "Enter a valid date." in body
    assert [p.name for p in response.context["page"].object_list] == ["Alpha"]


def test_empty_portfolio_says_what_to_do(client, make_user, member_client):
    assert "Projects appear here when a manager creates them." in text(member_client.get("/"))
    client.force_login(make_user(Role.MANAGER))
    assert "Create the first project" in text(client.get("/"))


def test_portfolio_paginates(member_client, org, member):
    for i in range(30):
        ProjectFactory(org=org, owner=member, name=f"P{i:02}")
    first, second = member_client.get("/projects/?sort=name"), member_client.get("/projects/?sort=name&page=2")
    assert len(first.context["page"].object_list) == 25 and len(second.context["page"].object_list) == 5
    assert "Page 2 of 2 (30 in all)" in text(second)


def test_a_manager_builds_a_hierarchy_through_the_forms(manager_client, manager, org):
    response = manager_client.post("/projects/new/", {
        "name": "Pump station", "type": "project", "owner": manager.pk, "start_date": "2026-07-01",
        "end_date": "2027-06-30", "quick_class": "medium_term", "description": ""})  # fmt: skip
    project = Project.objects.get(name="Pump station")
    assert response.url == f"/projects/{project.pk}/" and project.org == org
    manager_client.post(f"/projects/{project.pk}/milestones/new/", {
        "name": "Design", "owner": manager.pk, "start_date": "2026-07-01", "end_date": "2026-12-31"})  # fmt: skip
    milestone = Milestone.objects.get(project=project)
    manager_client.post(f"/milestones/{milestone.pk}/deliverables/new/", {
        "name": "Drawings", "owner": manager.pk, "start_date": "2026-07-01", "end_date": "2026-09-30"})  # fmt: skip
    deliverable = Deliverable.objects.get(milestone=milestone)
    response = manager_client.post(f"/deliverables/{deliverable.pk}/tasks/new/", {
        "name": "Survey", "owner": manager.pk, "assignees": [manager.pk], "start_date": "2026-07-01",
        "end_date": "2026-07-10", "capex_cost": "1500", "opex_cost": "0", "quick_class": "quick_win"})  # fmt: skip
    task = Task.objects.get(deliverable=deliverable)
    assert response.url == f"/tasks/{task.pk}/"
    assert (task.project_id, task.milestone_id, task.assignees) == (project.pk, milestone.pk, [manager.pk])
    assert Project.objects.get(pk=project.pk).capex_total == Decimal("1500.00")
    body = text(manager_client.get(f"/projects/{project.pk}/"))
    assert "Design" in body and "Drawings" in body and "Survey" in body and "FY2027" in body
    assert AuditLog.objects.filter(action="CREATE", table_name__in=["project", "milestone", "deliverable", "task"]
                                   ).count() == 4  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2026-06-30"}, "end_date", "The end date must be on or after the start date."),
        ({"start_date": "2026-06-01"}, "start_date", "Starts before its deliverable"),
        ({"capex_cost": "-5"}, "capex_cost", "Ensure this value is greater than or equal to 0."),
        ({"owner": "foreign"}, "owner", "Select a valid choice."),
    ],
)
def test_task_form_errors_are_shown_in_place_and_change_nothing(manager_client, manager, org, changes, field,
                                                                 message):  # fmt: skip
    deliverable = DeliverableFactory(milestone=MilestoneFactory(project=ProjectFactory(org=org, owner=manager)))
    data = {"name": "Survey", "owner": manager.pk, "start_date": "2026-07-01", "end_date": "2026-07-10",
            "capex_cost": "0", "opex_cost": "0", "quick_class": "quick_win"} | changes  # fmt: skip
    if data["owner"] == "foreign":
        data["owner"] = UserFactory().pk  # someone of another organisation
    response = manager_client.post(f"/deliverables/{deliverable.pk}/tasks/new/", data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split("“")[0] in text(response)
    assert not Task.objects.exists()


def test_editing_a_milestone_outside_its_project_is_refused(manager_client, manager, org):
    milestone = MilestoneFactory(project=ProjectFactory(org=org, owner=manager), owner=manager)
    response = manager_client.post(f"/milestones/{milestone.pk}/edit/", {
        "name": "Moved", "owner": manager.pk, "start_date": "2026-07-01", "end_date": "2030-01-01"})  # fmt: skip
    assert "Ends after its project" in text(response)
    assert Milestone.objects.get(pk=milestone.pk).name != "Moved"


def test_delete_and_restore_from_the_pages(manager_client, manager, org):
    task = task_in(org, manager)
    deliverable = task.deliverable
    response = manager_client.post(f"/deliverables/{deliverable.pk}/delete/")
    assert response.url == f"/projects/{deliverable.project_id}/"
    assert not Task.objects.filter(pk=task.pk).exists()
    page = text(manager_client.get(response.url))
    assert f"Deliverable “{deliverable.name}”" in page and f'action="/deliverables/{deliverable.pk}/restore/"' in page
    manager_client.post(f"/deliverables/{deliverable.pk}/restore/")
    assert Task.objects.filter(pk=task.pk).exists()


def test_reordering_siblings(manager_client, manager, org):
    deliverable = DeliverableFactory(milestone=MilestoneFactory(project=ProjectFactory(org=org, owner=manager)))
    tasks = [TaskFactory(deliverable=deliverable, name=n, order_index=i) for i, n in enumerate("ABC")]
    manager_client.post(f"/tasks/{tasks[2].pk}/move/", {"direction": "up"})
    assert list(deliverable.tasks.order_by("order_index").values_list("name", flat=True)) == ["A", "C", "B"]
    manager_client.post(f"/tasks/{tasks[0].pk}/move/", {"direction": "up"})  # already first: stays
    assert list(deliverable.tasks.order_by("order_index").values_list("name", flat=True)) == ["A", "C", "B"]


def test_my_work_groups_the_users_tasks(member_client, member, org, make_user):
    today = org.today()
    day = datetime.timedelta(days=1)
    deliverable = DeliverableFactory(
        milestone=MilestoneFactory(project=ProjectFactory(org=org, owner=member, start_date=today - 60 * day,
                                                          end_date=today + 60 * day)),
        start_date=today - 60 * day, end_date=today + 60 * day)  # fmt: skip

    def task(name, start, end, **fields):
        return TaskFactory(deliverable=deliverable, name=name, start_date=today + start * day,
                           end_date=today + end * day, **fields)  # fmt: skip

    task("Late one", -5, -1, owner=member)
    task("Today one", -2, 0, owner=make_user(), assignees=[member.pk])
    task("Running one", -1, 5, owner=member)
    task("Soon one", 3, 9, owner=member)
    task("Stuck one", -1, 5, owner=member, status="blocked", blocked_reason="No parts")
    task("Done one", -5, -1, owner=member, status="completed", progress_percent=100)
    task("Not mine", -5, -1, owner=make_user())
    groups = {g["key"]: [t.name for t in g["tasks"]] for g in member_client.get("/my-work/").context["groups"]}
    assert groups == {"overdue": ["Late one"], "due_today": ["Today one"], "active": ["Running one"],
                      "upcoming": ["Soon one"], "blocked": ["Stuck one"]}  # fmt: skip


def test_my_work_shows_the_first_of_a_long_group_by_end_date_with_its_total(member_client, member, org, manager):
    today = org.today()
    day = datetime.timedelta(days=1)
    deliverable = DeliverableFactory(
        milestone=MilestoneFactory(project=ProjectFactory(org=org, owner=member, start_date=today - 90 * day,
                                                          end_date=today + 60 * day)),
        start_date=today - 90 * day, end_date=today + 60 * day)  # fmt: skip
    late = [TaskFactory(deliverable=deliverable, name=f"Late {n}", owner=member, start_date=today - 80 * day,
                        end_date=today - (n + 1) * day) for n in range(28)]  # fmt: skip
    services.soft_delete(actor=manager, obj=late[0])  # the latest-ending one goes: 27 remain
    overdue = member_client.get("/my-work/").context["groups"][0]
    assert overdue["key"] == "overdue" and overdue["total"] == 27
    assert [t.name for t in overdue["tasks"]] == [f"Late {n}" for n in range(27, 2, -1)]  # the 25 that ended first


def test_one_click_progress_and_status_without_javascript(member_client, member, org):
    task = task_in(org, member, progress_percent=10)
    response = member_client.post(f"/tasks/{task.pk}/progress/", {"progress_percent": "60", "next": "/my-work/"})
    assert response.url == "/my-work/" and Task.objects.get(pk=task.pk).progress_percent == 60
    response = member_client.post(f"/tasks/{task.pk}/status/", {"status": "blocked", "blocked_reason": ""}, follow=True)
    assert "Say why the task is blocked." in text(response)
    assert Task.objects.get(pk=task.pk).status != "blocked"


def test_one_click_changes_answer_json_for_the_enhanced_page(member_client, member, org):
    task = task_in(org, member, requires_evidence=True)
    json_post = {"HTTP_ACCEPT": "application/json"}
    ok = member_client.post(f"/tasks/{task.pk}/progress/", {"progress_percent": "80"}, **json_post)
    assert ok.status_code == 200 and json.loads(ok.content)["progress_percent"] == 80
    refused = member_client.post(f"/tasks/{task.pk}/status/", {"status": "completed"}, **json_post)
    assert refused.status_code == 400
    assert "needs accepted evidence" in json.loads(refused.content)["errors"]["status"][0]
    bad = member_client.post(f"/tasks/{task.pk}/progress/", {"progress_percent": "150"}, **json_post)
    assert bad.status_code == 400 and "less than or equal to 100" in bad.content.decode()
    assert Task.objects.get(pk=task.pk).progress_percent == 80


def test_members_change_only_their_own_tasks_and_cannot_plan(member_client, member, org, make_user):
    theirs = task_in(org, make_user())
    assert member_client.post(f"/tasks/{theirs.pk}/progress/", {"progress_percent": "50"}).status_code == 403
    assert member_client.get("/projects/new/").status_code == 403
    assert member_client.get("/projects/?deleted=1").status_code == 403
    assert member_client.post(f"/tasks/{theirs.pk}/delete/").status_code == 403
    assert Task.objects.get(pk=theirs.pk).progress_percent == 0


def test_another_organisations_rows_are_404_everywhere(manager_client, other_org):
    task = task_in(other_org, UserFactory(org=other_org))
    for url in (f"/projects/{task.project_id}/", f"/deliverables/{task.deliverable_id}/", f"/tasks/{task.pk}/",
                f"/deliverables/{task.deliverable_id}/task-rows/",
                f"/tasks/{task.pk}/edit/", f"/milestones/{task.milestone_id}/deliverables/new/",
                f"/board/?project={task.project_id}"):  # fmt: skip
        assert manager_client.get(url).status_code == 404, url
    for url in (f"/tasks/{task.pk}/progress/", f"/tasks/{task.pk}/delete/", f"/projects/{task.project_id}/delete/",
                f"/milestones/{task.milestone_id}/move/"):  # fmt: skip
        assert manager_client.post(url, {"progress_percent": "5"}).status_code == 404, url
    assert manager_client.post("/board/move/", {"kind": "task", "id": task.pk, "quick_class": "long_term"}
                               ).status_code == 404  # fmt: skip
    assert Task.objects.get(pk=task.pk).deleted_at is None


def test_a_large_project_page_carries_its_first_task_rows_and_the_rest_come_per_deliverable(
    manager_client, manager, org
):
    project = big_project(org, manager, tasks=TREE_TASK_ROWS + 300, milestones=2)  # 16 deliverables of 50 tasks
    page = manager_client.get(f"/projects/{project.pk}/").content.decode()
    shown = {int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', page)}
    first = list(Task.objects.filter(project=project).order_by("order_index").values_list("pk", flat=True))
    assert shown == set(first[:TREE_TASK_ROWS])  # the first deliverables' rows, whole, in tree order
    later = list(Deliverable.objects.filter(project=project).order_by("milestone__order_index", "order_index", "pk"))
    later = [d for d in later if not d.tasks.filter(pk__in=shown).exists()]
    assert len(later) == 6
    for deliverable in later:  # each says how many it holds and where they come from; without JavaScript, its page
        assert (f'data-rows-url="/deliverables/{deliverable.pk}/task-rows/"><a href="/deliverables/{deliverable.pk}/">'
                f"Show its 50 task(s)</a>") in page  # fmt: skip
    # Counts take in every task, whether its row is in the page or not.
    assert "(2 milestone(s), 800 task(s))" in text(manager_client.get(f"/projects/{project.pk}/"))
    needing = [first[0], *later[-1].tasks.values_list("pk", flat=True)[:2]]
    Task.objects.filter(pk__in=needing).update(requires_evidence=True)
    uploaded(manager, Task.objects.get(pk=needing[2]))
    Evidence.objects.filter(task_id=needing[2]).update(review_state=ReviewDecision.ACCEPTED)
    assert "1 of 3 task(s) needing evidence have it accepted" in text(manager_client.get(f"/projects/{project.pk}/"))

    rows = manager_client.get(f"/deliverables/{later[-1].pk}/task-rows/").content.decode()
    assert {int(pk) for pk in re.findall(r'<tr id="task-(\d+)"', rows)} == set(
        later[-1].tasks.values_list("pk", flat=True)
    )
    assert "<table" in rows and "Job 800</a>" in rows and "<html" not in rows


def test_quick_win_board_moves_tasks_and_projects(manager_client, manager, org):
    task = task_in(org, manager, quick_class=QuickClass.MEDIUM_TERM)
    columns = manager_client.get("/board/").context["columns"]
    assert [t.pk for t in columns[1]["tasks"]] == [task.pk] and columns[1]["quick_class"] == QuickClass.MEDIUM_TERM
    manager_client.post("/board/move/", {"kind": "task", "id": task.pk, "quick_class": "quick_win"})
    manager_client.post("/board/move/", {"kind": "project", "id": task.project_id, "quick_class": "long_term"})
    assert Task.objects.get(pk=task.pk).quick_class == QuickClass.QUICK_WIN
    assert Project.objects.get(pk=task.project_id).quick_class == QuickClass.LONG_TERM
    response = manager_client.post("/board/move/", {"kind": "task", "id": task.pk, "quick_class": "someday"},
                                   follow=True)  # fmt: skip
    assert "Choose quick win, medium term or long term." in text(response)


def test_applying_a_cluster_from_the_deliverable_page(manager_client, manager, org):
    deliverable = DeliverableFactory(milestone=MilestoneFactory(project=ProjectFactory(org=org, owner=manager)))
    template = TaskClusterTemplate.objects.create(
        org=org,
        name="Mobilise",
        template_json={
            "tasks": [
                {"name": "Induction", "duration_days": 2},
                {"name": "Fence", "offset_days": 2, "duration_days": 3},
            ]
        },
    )
    response = manager_client.post(f"/deliverables/{deliverable.pk}/", {
        "template": template.pk, "start_date": "2026-08-03", "owner": ""}, follow=True)  # fmt: skip
    assert "Added the task cluster “Mobilise” with 2 task(s)." in text(response)
    assert list(deliverable.tasks.values_list("name", "end_date")) == [("Induction", D(2026, 8, 4)),
                                                                       ("Fence", D(2026, 8, 7))]  # fmt: skip
    late = manager_client.post(f"/deliverables/{deliverable.pk}/", {"template": template.pk,
                                                                    "start_date": "2027-06-29"})  # fmt: skip
    assert "does not fit: Ends after its deliverable" in text(late)
    assert deliverable.tasks.count() == 2


def test_only_planners_reclassify_on_the_board(member_client, member, org):
    task = task_in(org, member, quick_class=QuickClass.MEDIUM_TERM)
    assert member_client.post("/board/move/", {"kind": "task", "id": task.pk, "quick_class": "quick_win"}
                              ).status_code == 403  # fmt: skip
    assert Task.objects.get(pk=task.pk).quick_class == QuickClass.MEDIUM_TERM
    assert "→ Quick win" not in text(member_client.get("/board/"))


def test_moving_a_deliverable_to_another_project_in_admin_rolls_up_both(rf, org, org_admin, manager):
    from django.contrib import admin

    task = task_in(org, manager, capex_cost=Decimal("900"))
    old = task.project
    services.update(actor=manager, obj=task, capex_cost=Decimal("900"))
    target = MilestoneFactory(project=ProjectFactory(org=org, owner=manager), owner=manager)
    deliverable = Deliverable.objects.get(pk=task.deliverable_id)
    deliverable.milestone = target
    deliverable.align_to_milestone()
    request = rf.post("/admin/")
    request.user = org_admin
    admin.site._registry[Deliverable].save_model(request, deliverable, form=None, change=True)
    assert Project.objects.get(pk=old.pk).capex_total == Decimal("0.00")
    assert Project.objects.get(pk=target.project_id).capex_total == Decimal("900.00")
    assert Task.objects.get(pk=task.pk).project_id == target.project_id  # the tasks followed (ON UPDATE CASCADE)

"""The hierarchy is kept by the database itself, and the services explain its rules before it has to."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.tests.factories import UserFactory
from pit.models import AuditLog
from projects import services
from projects.models import Deliverable, Task
from projects.tests.factories import (
    DeliverableFactory,
    MilestoneFactory,
    ProjectFactory,
    TaskFactory,
    deliverable_in,
    task_in,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_cannot_put_a_task_under_another_projects_milestone():
    task = TaskFactory()
    elsewhere = MilestoneFactory()
    with pytest.raises(IntegrityError, match="task_deliverable_hierarchy_fk"):
        raw(
            "UPDATE task SET milestone_id = %s, project_id = %s WHERE id = %s",
            [elsewhere.pk, elsewhere.project_id, task.pk],
        )


def test_raw_sql_cannot_insert_a_deliverable_whose_project_is_not_its_milestones():
    milestone, other_project = MilestoneFactory(), ProjectFactory()
    with pytest.raises(IntegrityError, match="deliverable_milestone_hierarchy_fk"):
        raw(
            """INSERT INTO deliverable (milestone_id, project_id, name, description, owner_id, start_date, end_date,
               progress_percent, capex_total, opex_total, order_index, created_at, updated_at)
               VALUES (%s, %s, 'x', '', %s, '2026-07-01', '2026-07-02', 0, 0, 0, 0, now(), now())""",
            [milestone.pk, other_project.pk, milestone.owner_id],
        )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE task SET progress_percent = 101 WHERE id = %s",
        "UPDATE task SET capex_cost = -1 WHERE id = %s",
        "UPDATE task SET end_date = start_date - 1 WHERE id = %s",
        "UPDATE task SET status = 'blocked', blocked_reason = '' WHERE id = %s",
        "UPDATE task SET status = 'paused' WHERE id = %s",
    ],
)
def test_database_checks_refuse_bad_values(sql):
    task = TaskFactory()
    with pytest.raises((IntegrityError, Exception)) as error:
        raw(sql, [task.pk])
    assert "violates check constraint" in str(error.value) or "invalid input value for enum" in str(error.value)


def test_moving_a_milestone_carries_its_subtree_to_the_new_project():
    task = TaskFactory()
    target = ProjectFactory(org=task.project.org, owner=task.owner)
    raw("UPDATE milestone SET project_id = %s WHERE id = %s", [target.pk, task.milestone_id])
    task.refresh_from_db()
    assert task.project_id == target.pk
    assert Deliverable.objects.get(pk=task.deliverable_id).project_id == target.pk


def test_services_derive_milestone_and_project_from_the_deliverable(member):
    deliverable = deliverable_in(member.org, member)
    task = services.create_task(
        actor=member, deliverable=deliverable, name="Survey", owner=member,
        start_date=D(2026, 8, 1), end_date=D(2026, 8, 10),
    )  # fmt: skip
    assert (task.milestone_id, task.project_id) == (deliverable.milestone_id, deliverable.project_id)
    assert task.duration_days == 10 and task.fy_allocation == 2027  # July-start FY: Aug 2026 is FY2027
    entry = AuditLog.objects.get(table_name="task", record_id=str(task.pk))
    assert entry.action == "CREATE" and entry.after_state["name"] == "Survey"


def test_reparenting_a_task_through_the_service_follows_the_new_deliverable(member):
    task = task_in(member.org, member)
    other = DeliverableFactory(milestone__project=task.project, milestone__owner=member, owner=member)
    services.update(actor=member, obj=task, deliverable=other)
    task.refresh_from_db()
    assert (task.deliverable_id, task.milestone_id) == (other.pk, other.milestone_id)
    entry = AuditLog.objects.get(table_name="task", action="UPDATE")
    assert entry.before_state["deliverable_id"] != entry.after_state["deliverable_id"] == other.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": D(2026, 6, 1)}, "end_date", "The end date must be on or after the start date."),
        ({"start_date": D(2026, 6, 30)}, "start_date", "Starts before its deliverable"),
        ({"end_date": D(2027, 7, 1)}, "end_date", "Ends after its deliverable"),
        ({"progress_percent": 120}, "progress_percent", "less than or equal to 100"),
        ({"capex_cost": -5}, "capex_cost", "greater than or equal to 0"),
        ({"status": "blocked"}, "blocked_reason", "Say why the task is blocked."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(member, changes, field, message):
    task = task_in(member.org, member)
    with pytest.raises(ValidationError) as error:
        services.update(actor=member, obj=task, **changes)
    assert any(message in m for m in error.value.message_dict[field])
    assert Task.objects.get(pk=task.pk).end_date == task.end_date
    assert not AuditLog.objects.filter(action="UPDATE").exists()


def test_owner_must_belong_to_the_organisation(member, other_org):
    deliverable = deliverable_in(member.org, member)
    outsider = UserFactory(org=other_org)
    with pytest.raises(ValidationError) as error:
        services.create_task(
            actor=member, deliverable=deliverable, name="x", owner=outsider,
            start_date=deliverable.start_date, end_date=deliverable.start_date,
        )  # fmt: skip
    assert error.value.message_dict["owner"] == ["Choose someone from this organisation."]
    assert not Task.objects.exists()


def test_a_mismatched_hierarchy_is_explained_before_the_database_refuses_it():
    task = TaskFactory()
    task.milestone = MilestoneFactory(project=task.project, owner=task.owner)
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "belongs to another milestone" in error.value.message_dict["milestone"][0]

"""changes_since: add, remove and each kind of change at a chosen past moment, and nothing from before it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.permissions import Role
from activity.changes import changes_since
from activity.tests.factories import plan
from pit.enums import TaskStatus
from projects import jobs, services
from projects.models import Task

pytestmark = pytest.mark.django_db


def by_name(changeset):
    return {change.name: change for change in changeset.changes}


def test_nothing_changed_since_now(org, manager):
    project, _, _, _ = plan(org, manager)
    assert changes_since(project, timezone.now()).changes == []


def test_catches_each_kind_of_change_after_the_moment_only(org, manager, make_user):
    ana = make_user(Role.MEMBER, name="Ana Doyle")
    project, milestone, deliverable, tasks = plan(org, manager, tasks=6)
    before_moment = tasks[5]
    services.update(actor=manager, obj=before_moment, name="Renamed early")  # before T: never reported
    services.update(actor=manager, obj=tasks[0], progress_percent=10)
    moment = timezone.now()

    start = tasks[0].start_date + datetime.timedelta(days=7)
    services.update(actor=manager, obj=tasks[0], start_date=start, end_date=start + datetime.timedelta(days=9))
    services.set_task_status(actor=manager, task=tasks[1], status=TaskStatus.BLOCKED, blocked_reason="No crane")
    services.update(actor=manager, obj=tasks[2], owner=ana)
    services.set_task_progress(actor=manager, task=tasks[3], progress_percent=60)
    services.update(actor=manager, obj=tasks[4], capex_cost=Decimal("1500.00"))
    services.soft_delete(actor=manager, obj=before_moment)
    added = services.create_task(actor=manager, deliverable=deliverable, name="Pour slab", owner=manager,
                                 start_date=deliverable.start_date, end_date=deliverable.start_date)  # fmt: skip

    changes = changes_since(project, moment)
    found = by_name(changes)
    assert found["Pour slab"].state == "added" and found["Pour slab"].id == added.pk
    assert found["Renamed early"].state == "removed"
    moved = found[tasks[0].name]
    assert moved.fields == [
        ("start_date", tasks[0].start_date.isoformat(), start.isoformat()),
        ("end_date", tasks[0].end_date.isoformat(), (start + datetime.timedelta(days=9)).isoformat()),
    ]  # progress 10 was set before the moment: not reported
    assert moved.kinds == ["dates"]
    assert found[tasks[1].name].fields[0][0] == "status" and found[tasks[1].name].fields[0][2] == "blocked"
    assert found[tasks[2].name].fields == [("owner_id", manager.pk, ana.pk)]
    assert changes.people[ana.pk] == "Ana Doyle"
    assert found[tasks[3].name].fields == [("progress_percent", 0, 60)]
    assert found[tasks[4].name].fields == [("capex_cost", Decimal("0.00"), Decimal("1500.00"))]
    # the roll-ups of the deliverable and milestone moved with their tasks
    assert found[deliverable.name].kinds == ["costs", "progress"]
    assert found[milestone.name].kinds == ["costs", "progress"]
    assert changes.counts() == {"added": 1, "removed": 1, "changed": 7}
    assert changes.highlight[f"t:{added.pk}"] == "added" and changes.highlight[f"d:{deliverable.pk}"] == "changed"
    assert f"t:{before_moment.pk}" not in changes.highlight


def test_a_past_moment_sees_the_state_then(org, manager):
    project, _, _, tasks = plan(org, manager, tasks=1)
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=20)
    first = timezone.now()
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=40)
    second = timezone.now()
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=70)
    assert by_name(changes_since(project, first))[tasks[0].name].fields[0] == ("progress_percent", 20, 70)
    assert by_name(changes_since(project, second))[tasks[0].name].fields[0] == ("progress_percent", 40, 70)


def test_changed_back_is_no_change(org, manager):
    project, _, _, tasks = plan(org, manager, tasks=1)
    moment = timezone.now()
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=30)
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=0)
    assert changes_since(project, moment).changes == []


def test_added_and_removed_after_the_moment_is_not_reported(org, manager):
    project, _, deliverable, _ = plan(org, manager, tasks=1)
    moment = timezone.now()
    brief = services.create_task(actor=manager, deliverable=deliverable, name="Brief", owner=manager,
                                 start_date=deliverable.start_date, end_date=deliverable.start_date)  # fmt: skip
    services.soft_delete(actor=manager, obj=brief)
    assert changes_since(project, moment).changes == []


def test_deleted_before_the_moment_is_not_reported(org, manager):
    project, _, _, tasks = plan(org, manager, tasks=2)
    services.soft_delete(actor=manager, obj=tasks[0])
    moment = timezone.now()
    assert changes_since(project, moment).changes == []


def test_status_engine_changes_count_at_their_time(org, manager):
    """The nightly status engine writes no history; its audit rows date its status changes."""
    project, _, _, tasks = plan(org, manager, tasks=1)
    task = tasks[0]
    jobs.recompute_statuses(orgs=[org], today=task.end_date + datetime.timedelta(days=3))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OVERDUE
    moment = timezone.now()
    assert changes_since(project, moment).changes == []  # it was overdue already at the moment
    jobs.recompute_statuses(orgs=[org], today=task.start_date)
    change = by_name(changes_since(project, moment))[task.name]
    assert change.fields == [("status", "overdue", "active")]


def test_only_this_project(org, manager):
    project, _, _, _ = plan(org, manager, tasks=1)
    moment = timezone.now()
    _, _, other_deliverable, _ = plan(org, manager, tasks=1)
    services.create_task(actor=manager, deliverable=other_deliverable, name="Elsewhere", owner=manager,
                         start_date=other_deliverable.start_date, end_date=other_deliverable.start_date)  # fmt: skip
    assert changes_since(project, moment).changes == []


def test_two_queries_whatever_the_size(org, manager, django_assert_num_queries):
    project, _, _, tasks = plan(org, manager, tasks=2)
    moment = timezone.now()
    services.set_task_progress(actor=manager, task=tasks[0], progress_percent=50)
    big, _, _, many = plan(org, manager, tasks=20)
    big_moment = timezone.now()
    for task in many:
        services.set_task_progress(actor=manager, task=task, progress_percent=50)
    with django_assert_num_queries(1):  # no owner changed: no people to name
        changes_since(project, moment)
    with django_assert_num_queries(1):
        assert len(changes_since(big, big_moment).changes) == 22

"""The events whose domain exists: task assignment (projects/services.py) and overdue tasks (projects/jobs.py)."""

import datetime

from notifications.models import Notification
from pit.enums import TaskStatus
from projects import services
from projects.jobs import recompute_statuses
from projects.models import Task
from projects.tests.factories import task_in


def inbox(event):
    return Notification.objects.filter(event=event, type="internal_message")


def test_assigning_a_task_notifies_only_the_newly_assigned(org, manager, member, make_user):
    task = task_in(org, manager, name="Lay pipes")
    old, new = make_user(name="Old Hand"), make_user(name="New Hand")
    services.update(actor=manager, obj=task, assignees=[old.pk])
    services.update(actor=manager, obj=task, assignees=[old.pk, new.pk], owner=member)
    assert sorted(inbox("task_assigned").values_list("user__name", flat=True)) == ["Mia Member", "New Hand", "Old Hand"]
    services.update(actor=manager, obj=task, name="Lay more pipes")  # no new people: nobody told
    assert inbox("task_assigned").count() == 3


def test_creating_a_task_for_someone_notifies_them(org, manager, member):
    deliverable = task_in(org, manager).deliverable
    services.create_task(
        actor=manager, deliverable=deliverable, name="Fresh", owner=member,
        start_date=deliverable.start_date, end_date=deliverable.start_date,
    )  # fmt: skip
    assert list(inbox("task_assigned").values_list("user", "title")) == [(member.pk, "Task assigned to you: Fresh")]


def test_the_status_engine_tells_owners_once_when_their_tasks_turn_overdue(org, manager, member):
    late = task_in(org, member, name="Late one")
    fine = task_in(org, member, name="Fine one")
    Task.objects.filter(pk=late.pk).update(end_date=datetime.date(2026, 7, 2), status=TaskStatus.ACTIVE)
    today = datetime.date(2026, 7, 10)
    Task.objects.filter(pk=fine.pk).update(end_date=datetime.date(2026, 12, 1))
    recompute_statuses(orgs=[org], today=today)
    assert list(inbox("task_overdue").values_list("user", "title")) == [(member.pk, "Overdue: Late one")]
    Task.objects.filter(pk=late.pk).update(status=TaskStatus.ACTIVE)  # e.g. reopened, then late again
    recompute_statuses(orgs=[org], today=today)
    assert inbox("task_overdue").count() == 1

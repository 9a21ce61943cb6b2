import pytest
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.services import notify
from projects.tests.factories import task_in


@pytest.fixture
def task(org, manager):
    return task_in(org, manager, name="Pour the slab")


def test_notify_records_one_inbox_notification_per_recipient(task, manager, member, org):
    notify("task_assigned", [member, member, manager], task, actor=manager)
    rows = list(Notification.objects.for_org(org))
    assert [(n.user, n.event, n.title, n.link) for n in rows] == [
        (member, "task_assigned", "Task assigned to you: Pour the slab", f"/tasks/{task.pk}/")
    ]
    assert (rows[0].subject_table, rows[0].subject_id, rows[0].read_at) == ("task", task.pk, None)


def test_people_outside_the_organisation_and_inactive_people_are_not_told(task, member, other_org, make_user):
    stranger = UserFactory(org=other_org)
    gone = make_user(is_active=False)
    notify("task_overdue", [stranger, gone, member], task)
    assert list(Notification.objects.values_list("user", flat=True)) == [member.pk]


def test_a_rolled_back_change_notifies_nobody(task, member):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify("task_assigned", [member], task)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()


def test_an_unknown_event_is_refused_and_records_nothing(task, member):
    with pytest.raises(ValueError, match="unknown notification event 'task_exploded'"):
        notify("task_exploded", [member], task)
    assert not Notification.objects.exists()

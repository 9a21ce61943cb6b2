import pytest
from django.db import transaction

from accounts.tests.factories import UserFactory
from notifications import preferences
from notifications.models import ChannelSetting, Delivery, Notification, Preference
from notifications.services import notify, notify_each
from projects.tests.factories import task_in

INBOX, EMAIL = "internal_message", "email"


def channels_of(user):
    return sorted(Notification.objects.filter(user=user).values_list("type", "delivery"))


def test_notify_records_one_notification_per_recipient_and_channel(task, manager, member, org):
    notify("task_assigned", [member, member, manager], task, actor=manager)
    rows = list(Notification.objects.for_org(org).order_by("type"))
    assert [(n.user, n.type, n.event, n.title, n.link) for n in rows] == [
        (member, EMAIL, "task_assigned", "Task assigned to you: Pour the slab", f"/tasks/{task.pk}/"),
        (member, INBOX, "task_assigned", "Task assigned to you: Pour the slab", f"/tasks/{task.pk}/"),
    ]
    inbox, email = rows[1], rows[0]
    assert (inbox.subject_table, inbox.subject_id, inbox.read_at) == ("task", task.pk, None)
    assert inbox.delivery == Delivery.SENT and inbox.delivered_at is not None  # in the inbox once committed
    assert email.delivery == Delivery.PENDING and email.delivered_at is None  # not yet sent


def test_preferences_choose_the_channels_person_over_organisation_over_built_in(task, org, member, make_user):
    keen, quiet = make_user(name="Kim Keen"), make_user(name="Quinn Quiet")
    Preference.objects.create(org=org, event="task_assigned", channel=EMAIL, enabled=False)  # org default: no email
    Preference.objects.create(org=org, user=keen, event="task_assigned", channel=EMAIL, enabled=True)
    Preference.objects.create(org=org, user=quiet, event="task_assigned", channel=INBOX, enabled=False)
    notify("task_assigned", [member, keen, quiet], task)
    assert channels_of(member) == [(INBOX, "sent")]
    assert channels_of(keen) == [(EMAIL, "pending"), (INBOX, "sent")]
    assert channels_of(quiet) == []


def test_a_digest_channel_holds_the_notification_for_the_daily_digest(task, org, member):
    ChannelSetting.objects.create(org=org, user=member, channel=EMAIL, digest=True)
    notify("task_overdue", [member], task)
    assert channels_of(member) == [(EMAIL, "held"), (INBOX, "sent")]


def test_push_is_not_recorded_when_no_provider_is_configured(task, member):
    assert preferences.channels_offered() == [INBOX, EMAIL]
    notify("task_assigned", [member], task)
    assert "push" not in {kind for kind, _ in channels_of(member)}


def test_people_outside_the_organisation_and_inactive_people_are_not_told(task, member, other_org, make_user):
    stranger = UserFactory(org=other_org)
    gone = make_user(is_active=False)
    notify("task_overdue", [stranger, gone, member], task)
    assert set(Notification.objects.values_list("user", flat=True)) == {member.pk}


def test_a_rolled_back_change_notifies_nobody_and_sends_nothing(task, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify("task_assigned", [member], task)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert callbacks == []


def test_delivery_is_enqueued_only_after_commit(task, member, django_capture_on_commit_callbacks, monkeypatch):
    handed = []
    monkeypatch.setattr("notifications.tasks.enqueue", handed.extend)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify("task_assigned", [member], task)
    assert handed == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert handed == list(Notification.objects.filter(type=EMAIL).values_list("pk", flat=True))


def test_an_unknown_event_is_refused_and_records_nothing(task, member):
    with pytest.raises(ValueError, match="unknown notification event 'task_exploded'"):
        notify("task_exploded", [member], task)
    assert not Notification.objects.exists()


def test_notify_each_records_many_subjects_at_once_and_once_per_subject(org, manager, member):
    tasks = [task_in(org, member, name=f"Task {i}") for i in range(3)]
    notify_each("task_overdue", [(t, [t.owner]) for t in tasks], once=True)
    notify_each("task_overdue", [(t, [t.owner]) for t in tasks], once=True)  # a second run tells nobody again
    inbox = Notification.objects.filter(user=member, type=INBOX)
    assert sorted(inbox.values_list("title", flat=True)) == ["Overdue: Task 0", "Overdue: Task 1", "Overdue: Task 2"]


def test_fan_out_costs_the_same_few_queries_for_many_recipients(task, org, make_user, django_assert_max_num_queries):
    people = [make_user(name=f"Person {i}") for i in range(60)]
    with django_assert_max_num_queries(8):
        notify("task_assigned", people, task)
    assert Notification.objects.filter(type=INBOX).count() == 60

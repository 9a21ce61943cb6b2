from datetime import datetime, timedelta

from django.utils import timezone

from notifications import jobs
from notifications.models import ChannelSetting, Delivery, Notification
from notifications.services import notify
from pit.models import JobRun
from projects.tests.factories import task_in


def test_the_digest_runs_at_the_organisations_local_morning(org, other_org, settings):
    settings.NOTIFICATIONS_DIGEST_HOUR = 7
    other_org.time_zone = "Europe/London"
    other_org.save()
    sydney_seven = datetime(2026, 11, 27, 7, 20, tzinfo=org.tz)  # 20:20 UTC the day before
    assert [o.slug for o in jobs.organisations_at_digest_hour(sydney_seven)] == ["harbour"]
    london_seven = datetime(2026, 11, 27, 7, 5, tzinfo=other_org.tz)
    assert [o.slug for o in jobs.organisations_at_digest_hour(london_seven)] == ["inland"]
    assert jobs.organisations_at_digest_hour(sydney_seven + timedelta(hours=1)) == []


def test_the_digest_gathers_the_days_items_into_one_email(org, manager, member, make_user, mail_sink):
    ChannelSetting.objects.create(org=org, user=member, channel="email", digest=True)
    other = make_user(name="Otto Other")  # no digest: one email each, not in the digest
    for name in ("Pour the slab", "Cure the slab"):
        notify("task_assigned", [member, other], task_in(org, manager, name=name))
    assert Notification.objects.filter(user=member, type="email", delivery=Delivery.HELD).count() == 2
    morning = datetime(2026, 11, 27, 7, 0, tzinfo=org.tz)
    with timezone.override(org.tz):
        Notification.objects.update(created_at=morning - timedelta(hours=10))
    run = jobs.send_digests(now=morning + timedelta(minutes=3))
    assert (run.name, run.rows_changed) == ("notification-digest", 1)
    [message] = mail_sink.messages()
    assert message["To"] == member.email and message["Subject"] == "PIT: 2 notifications for 27 Nov 2026"
    text = message.get_body(("plain",)).get_content()
    assert "Task assigned to you: Pour the slab" in text and "Task assigned to you: Cure the slab" in text
    rows = Notification.objects.filter(user=member, type="email")
    assert set(rows.values_list("delivery", flat=True)) == {Delivery.SENT}
    assert all(row.delivered_at for row in rows)
    assert jobs.send_digests(now=morning + timedelta(minutes=30)).rows_changed == 0  # nothing twice
    assert len(mail_sink.messages()) == 1
    assert Notification.objects.filter(user=other, type="email", delivery=Delivery.PENDING).count() == 2


def test_no_digest_outside_the_digest_hour(org, manager, member, mail_sink):
    ChannelSetting.objects.create(org=org, user=member, channel="email", digest=True)
    notify("task_assigned", [member], task_in(org, manager, name="Later"))
    run = jobs.send_digests(now=datetime(2026, 11, 27, 15, 0, tzinfo=org.tz))
    assert run.rows_changed == 0 and mail_sink.messages() == []
    assert Notification.objects.get(user=member, type="email").delivery == Delivery.HELD


def test_a_digest_that_cannot_be_sent_is_held_for_the_next_one(org, manager, member, tmp_path, settings):
    from notifications.tests.conftest import smtp_mailers
    from pit.mailsink import MailSink

    settings.MAILERS = smtp_mailers(MailSink(tmp_path / "m").port)  # nobody listens
    ChannelSetting.objects.create(org=org, user=member, channel="email", digest=True)
    notify("task_assigned", [member], task_in(org, manager, name="Held"))
    run = jobs.send_digests(orgs=[org])
    assert run.detail == {"digests_sent": 0, "digests_failed": 1}
    row = Notification.objects.get(user=member, type="email")
    assert row.delivery == Delivery.HELD and "Connection" in row.last_error


def test_retention_purges_read_notifications_older_than_180_days(org, manager, member):
    notify("task_assigned", [member], task_in(org, manager, name="Old news"))
    inbox = Notification.objects.get(user=member, type="internal_message")
    email = Notification.objects.get(user=member, type="email")
    now = timezone.now()
    Notification.objects.filter(pk=inbox.pk).update(read_at=now - timedelta(days=181), is_read=True)
    Notification.objects.filter(pk=email.pk).update(delivery=Delivery.SENT, created_at=now - timedelta(days=181))
    unread_old = Notification.objects.create(user=member, event="mentioned", title="Unread but old")
    Notification.objects.filter(pk=unread_old.pk).update(created_at=now - timedelta(days=400))
    recent = Notification.objects.create(user=member, event="mentioned", title="Read lately")
    Notification.objects.filter(pk=recent.pk).update(read_at=now - timedelta(days=179), is_read=True)
    run = jobs.purge_read(now)
    assert run.rows_changed == 2 and JobRun.objects.filter(name="notification-retention").count() == 1
    assert set(Notification.objects.values_list("title", flat=True)) == {"Unread but old", "Read lately"}

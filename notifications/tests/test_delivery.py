"""Email delivery through a real SMTP server (aiosmtpd on loopback), stopped and started inside the tests."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from notifications import delivery, jobs
from notifications.models import Delivery, DeliveryAttempt, Notification
from notifications.services import notify
from pit.mailsink import MailSink


def email_of(task, member) -> Notification:
    notify("task_assigned", [member], task, message="Pour before the rain.")
    return Notification.objects.get(user=member, type="email")


def test_an_email_arrives_with_text_and_html_and_the_row_says_when(task, member, mail_sink):
    row = email_of(task, member)
    assert delivery.deliver(row.pk) == "sent"
    [message] = mail_sink.messages()
    assert message["To"] == member.email
    assert message["Subject"] == "Task assigned to you: Pour the slab"
    assert message["Message-ID"] == f"<notification-{row.pk}-email@pit.localhost>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Pour before the rain." in text and f"http://127.0.0.1:8000/tasks/{task.pk}/" in text
    assert f'href="http://127.0.0.1:8000/tasks/{task.pk}/"' in html
    row.refresh_from_db()
    assert row.delivery == Delivery.SENT and row.delivered_at is not None and row.attempts == 0
    assert list(row.attempts_made.values_list("outcome", flat=True)) == ["sent"]


def test_a_line_break_in_a_title_does_not_break_the_subject(org, manager, member, mail_sink):
    from projects.tests.factories import task_in

    row = email_of(task_in(org, manager, name="Pour\nthe slab"), member)
    assert delivery.deliver(row.pk) == "sent"
    assert mail_sink.messages()[0]["Subject"] == "Task assigned to you: Pour the slab"


def test_a_duplicate_celery_delivery_sends_one_email(task, member, mail_sink):
    row = email_of(task, member)
    assert delivery.deliver(row.pk) == "sent"
    assert delivery.deliver(row.pk) is None  # the same message handed to a worker again
    assert len(mail_sink.messages()) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_notification_send_one_email(org, manager, member, mail_sink):
    from projects.tests.factories import task_in

    row = email_of(task_in(org, manager, name="Race"), member)
    outcomes = []

    def worker():
        try:
            outcomes.append(delivery.deliver(row.pk))
        finally:
            connection.close()  # each thread has its own database connection

    workers = [threading.Thread(target=worker) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes, key=str) == [None, None, None, "sent"]
    assert len(mail_sink.messages()) == 1


def test_smtp_down_then_up_delivers_exactly_once(task, member, tmp_path, settings):
    from notifications.tests.conftest import smtp_mailers

    row = email_of(task, member)
    down = MailSink(tmp_path / "mail")  # its port is free: nothing listens yet
    settings.MAILERS = smtp_mailers(down.port)
    now = timezone.now()
    assert delivery.deliver(row.pk, now=now) == "retry"
    row.refresh_from_db()
    assert (row.delivery, row.attempts, row.delivered_at) == (Delivery.PENDING, 1, None)
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert "ConnectionRefusedError" in row.last_error
    assert delivery.deliver(row.pk, now=now) is None  # not due yet: no early retry

    later = row.next_attempt_at
    assert delivery.deliver(row.pk, now=later) == "retry"  # still down: the wait doubles
    row.refresh_from_db()
    assert row.next_attempt_at == later + timedelta(seconds=60)

    up = MailSink(tmp_path / "mail", port=down.port).start()
    try:
        assert delivery.deliver(row.pk, now=row.next_attempt_at) == "sent"
        assert delivery.deliver(row.pk, now=row.next_attempt_at + timedelta(hours=1)) is None
        assert len(up.messages()) == 1
    finally:
        up.stop()
    row.refresh_from_db()
    assert row.delivery == Delivery.SENT and row.delivered_at is not None
    outcomes = list(row.attempts_made.order_by("attempted_at", "pk").values_list("outcome", flat=True))
    assert outcomes == ["retry", "retry", "sent"]


def test_after_the_retry_limit_the_notification_is_failed(task, member, tmp_path, settings):
    from notifications.tests.conftest import smtp_mailers

    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.MAILERS = smtp_mailers(MailSink(tmp_path / "mail").port)  # nobody listens
    row = email_of(task, member)
    when = timezone.now()
    outcomes = []
    for _ in range(3):
        outcomes.append(delivery.deliver(row.pk, now=when))
        row.refresh_from_db()
        when = row.next_attempt_at or when
    assert outcomes == ["retry", "retry", "failed"]
    assert (row.delivery, row.attempts, row.delivered_at) == (Delivery.FAILED, 3, None)
    assert delivery.deliver(row.pk, now=when + timedelta(days=1)) is None  # failed rows wait for a person


def test_backoff_doubles_from_the_base(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_worker_killed_after_claiming_leaves_the_row_to_the_sweeper_which_sends_it_once(
    task, member, mail_sink, monkeypatch
):
    row = email_of(task, member)
    now = timezone.now()
    assert delivery.claim(row.pk, now)  # the worker claimed it and died before reaching the SMTP server
    requeued = []
    monkeypatch.setattr("notifications.tasks.enqueue", requeued.extend)
    assert jobs.sweep(now + timedelta(minutes=2))["released"] == 0  # its lease still runs
    assert jobs.sweep(now + timedelta(minutes=6))["released"] == 1
    assert requeued == [row.pk]  # out again at once
    assert delivery.deliver(row.pk, now=now + timedelta(minutes=6)) == "sent"
    assert len(mail_sink.messages()) == 1


def test_a_worker_killed_mid_send_is_never_resent(task, member, mail_sink, monkeypatch):
    row = email_of(task, member)
    now = timezone.now()
    assert delivery.claim(row.pk, now)
    delivery._handing_over(row.pk)  # the message may have reached the SMTP server when the worker died
    monkeypatch.setattr("notifications.tasks.enqueue", lambda ids: None)
    assert jobs.sweep(now + timedelta(minutes=6))["in_doubt"] == 1
    row.refresh_from_db()
    assert row.delivery == Delivery.FAILED and "not resent" in row.last_error
    assert delivery.deliver(row.pk) is None
    assert mail_sink.messages() == []
    assert row.attempts_made.get().outcome == DeliveryAttempt.Outcome.IN_DOUBT


def test_the_sweeper_enqueues_pending_rows_whose_message_was_lost(task, member, monkeypatch):
    row = email_of(task, member)
    requeued = []
    monkeypatch.setattr("notifications.tasks.enqueue", requeued.extend)
    assert jobs.sweep(timezone.now())["requeued"] == 0  # just written: its message is on its way
    assert jobs.sweep(timezone.now() + timedelta(minutes=5))["requeued"] == 1
    assert requeued == [row.pk]


def test_the_admin_lists_failed_notifications(task, member, admin_client):
    row = email_of(task, member)
    Notification.objects.filter(pk=row.pk).update(delivery=Delivery.FAILED, last_error="boom")
    response = admin_client.get("/admin/notifications/notification/?delivery__exact=failed")
    assert response.status_code == 200
    assert "Task assigned to you: Pour the slab" in response.content.decode()


def test_an_org_admin_resends_failed_notifications(
    task, member, client, org_admin, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    row = email_of(task, member)
    Notification.objects.filter(pk=row.pk).update(delivery=Delivery.FAILED, attempts=8, last_error="boom")
    handed = []
    monkeypatch.setattr("notifications.admin.enqueue", handed.extend)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/notification/", {"action": "retry", "_selected_action": [row.pk]}, follow=True
        )
    assert "1 notification(s) queued again." in response.content.decode()
    row.refresh_from_db()
    assert (row.delivery, row.attempts) == (Delivery.PENDING, 0) and handed == [row.pk]


def test_a_chunk_of_emails_shares_one_connection_and_reconnects_after_a_failure(org, manager, make_user, mail_sink):
    from notifications.tasks import deliver_many_task
    from projects.tests.factories import task_in

    people = [make_user(name=f"Reader {i}") for i in range(3)]
    notify("task_assigned", people, task_in(org, manager, name="Chunk"))
    ids = list(Notification.objects.filter(type="email").order_by("pk").values_list("pk", flat=True))
    assert deliver_many_task(ids) == {"sent": 3, "skipped": 0, "of": 3}
    assert deliver_many_task(ids) == {"sent": 0, "skipped": 3, "of": 3}  # the chunk delivered again: nothing
    assert sorted(m["To"] for m in mail_sink.messages()) == sorted(p.email for p in people)

    def mail(person, subject):
        return delivery.email_message(person, subject, "notification", {}, f"<{subject}@pit.localhost>")

    with delivery.Mailer() as mailer:
        mailer.send(mail(people[0], "one"), on_hand_over=lambda: None)
        mailer.connection.connection.close()  # the server drops the connection between two messages
        with pytest.raises(smtplib.SMTPServerDisconnected):
            mailer.send(mail(people[1], "two"), on_hand_over=lambda: None)
        assert mailer.connection is None  # dropped: the next message opens a new one
        mailer.send(mail(people[2], "three"), on_hand_over=lambda: None)
    assert [m["Subject"] for m in mail_sink.messages()][-2:] == ["one", "three"]


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_send_never_produces_a_second_email(org, manager, member, tmp_path):
    """A real worker process is killed (SIGKILL) after the SMTP server stored its message but before the worker
    heard so. The row stays `sending`; the sweeper marks it in doubt; no later delivery sends it again."""
    import asyncio
    import os
    import signal
    import subprocess
    import sys

    from pit.mailsink import Handler
    from projects.tests.factories import task_in

    class SlowHandler(Handler):
        received = threading.Event()

        async def handle_DATA(self, server, session, envelope):
            answer = await super().handle_DATA(server, session, envelope)  # stored...
            self.received.set()
            await asyncio.sleep(1.5)  # ...but the worker dies before it hears "250 accepted"
            return answer

    sink = MailSink(tmp_path / "mail")
    sink.handler = sink.controller.handler = SlowHandler(tmp_path / "mail")
    sink.start()
    row = email_of(task_in(org, manager, name="Killed"), member)
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": database, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)}
    env.pop("EMAIL_URL", None)
    code = "import sys, django; django.setup(); from notifications import delivery; delivery.deliver(int(sys.argv[1]))"
    worker = subprocess.Popen([sys.executable, "-c", code, str(row.pk)], env=env)
    try:
        assert SlowHandler.received.wait(60), "the worker never reached the SMTP server"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        row.refresh_from_db()
        assert row.delivery == Delivery.SENDING and row.delivered_at is None
        time = timezone.now() + timedelta(minutes=6)  # past the lease
        assert jobs.sweep(time) == {"released": 0, "in_doubt": 1, "requeued": 0}
        assert delivery.deliver(row.pk, now=time) is None
        assert len(sink.messages()) == 1  # the server got it once, and nobody sent it again
    finally:
        worker.kill()
        sink.stop()
    row.refresh_from_db()
    assert row.delivery == Delivery.FAILED and row.attempts_made.get().outcome == DeliveryAttempt.Outcome.IN_DOUBT


@pytest.mark.django_db(transaction=True)
def test_through_a_real_celery_worker_a_message_handed_over_twice_is_one_email(
    org, manager, member, make_user, tmp_path
):
    """notify → commit → Redis → a Celery worker process → SMTP; then the same task handed to Celery twice more."""
    import os
    import subprocess
    import sys
    import time

    from notifications.tasks import deliver_task
    from projects.tests.factories import task_in

    sink = MailSink(tmp_path / "mail").start()
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": database, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)}
    env.pop("EMAIL_URL", None)
    args = [sys.executable, "-m", "celery", "-A", "pit", "worker", "--pool", "solo", "--loglevel", "WARNING"]
    worker = subprocess.Popen(args, env=env)

    def arrived(count: int) -> bool:
        deadline = time.monotonic() + 60
        while len(sink.messages()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return len(sink.messages()) == count

    try:
        row = email_of(task_in(org, manager, name="Twice"), member)  # committed: enqueued on commit
        assert arrived(1)
        deliver_task.delay(row.pk)
        deliver_task.delay(row.pk)
        other = make_user(name="Sentinel Person")
        notify("task_assigned", [other], task_in(org, manager, name="Sentinel"))  # queued after the duplicates
        assert arrived(2)
    finally:
        worker.terminate()
        worker.wait(30)
        sink.stop()
    assert sorted(m["To"] for m in sink.messages()) == sorted([member.email, other.email])
    row.refresh_from_db()
    assert row.delivery == Delivery.SENT and list(row.attempts_made.values_list("outcome", flat=True)) == ["sent"]

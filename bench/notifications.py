"""Notifications benchmarks: fan-out, the bell's unread count, the inbox page and email throughput.

    python -m pit.embedded test -- .venv/bin/python bench/notifications.py               # the issue's sizes
    python -m pit.embedded test -- .venv/bin/python bench/notifications.py --rows 100000 # a quick look

Email goes to the SMTP server the embedded stack started (EMAIL_HOST/EMAIL_PORT), through Django's SMTP backend
and the real delivery path (claim, hand over, send, record), one connection per message as the workers do.
"""

import argparse
import statistics
import time

from harness import HEADER, measure, migrate, signed_in_client


def seed_people(count: int):
    from accounts.models import User
    from pit import demo
    from projects.models import Task

    orgs = demo.seed_organisations(1, extra_staff=count)
    demo.seed_projects(orgs, projects=2, tasks=20, seed=1)
    admin = User.objects.get(email="admin@demo.pit.example")
    people = list(User.objects.filter(org=orgs[0], is_system=False))
    return admin, people, Task.objects.filter(project__org=orgs[0]).order_by("pk")


def fan_out(people, task, runs: int) -> None:
    from django.db import transaction

    from notifications.models import Notification
    from notifications.services import notify

    times, totals = [], []
    for _ in range(runs):
        started = time.perf_counter()
        with transaction.atomic():
            notify("task_assigned", people, task)
            times.append(time.perf_counter() - started)
        totals.append(time.perf_counter() - started)  # + commit and handing the outbox to Celery
        written = Notification.objects.filter(subject_id=task.pk, event="task_assigned").count()
        Notification.objects.filter(subject_id=task.pk, event="task_assigned").delete()
    print(
        f"fan-out of one event to {len(people):,} people: {written:,} notifications (in-app + email) recorded in "
        f"{statistics.median(times):.2f} s median of {runs} (best {min(times):.2f} s); with commit and enqueue "
        f"{statistics.median(totals):.2f} s"
    )


def fill(rows: int, people) -> None:
    """Set-based: `rows` notifications spread over everyone, 90 % of them read, as a long-lived PIT has."""
    from django.db import connection

    started = time.perf_counter()
    ids = [person.pk for person in people]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO notification (user_id, type, event, title, message, link, subject_table, is_read, read_at,
                                      delivered_at, created_at, delivery, attempts, last_error)
            SELECT (%s::bigint[])[1 + (n %% cardinality(%s::bigint[]))], 'internal_message', 'task_overdue',
                   'Overdue: task ' || n, '', '/tasks/1/', 'task', n %% 10 <> 0,
                   CASE WHEN n %% 10 <> 0 THEN now() END, now(), now() - (n || ' seconds')::interval,
                   'sent', 0, ''
            FROM generate_series(1, %s) AS n
            """,
            [ids, ids, rows],
        )
        cursor.execute("ANALYZE notification")
    print(f"filled {rows:,} notifications in {time.perf_counter() - started:.1f} s")


def bell(user, runs: int) -> None:
    from django.db import connection

    from notifications.selectors import unread_count

    unread_count(user)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        count = unread_count(user)
        times.append((time.perf_counter() - started) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT COUNT(*) FROM notification"
            " WHERE user_id = %s AND type = 'internal_message' AND read_at IS NULL",
            [user.pk],
        )
        plan = cursor.fetchone()[0][0]
    nodes, indexes = [plan["Plan"]], []
    while nodes:
        node = nodes.pop()
        indexes += [f"{node['Node Type']} on {node['Index Name']}"] if "Index Name" in node else []
        nodes += node.get("Plans", [])
    print(
        f"bell unread count ({count} unread): {statistics.median(times):.2f} ms median round trip, "
        f"{plan['Execution Time']:.3f} ms in PostgreSQL ({', '.join(indexes)})"
    )


def email(count: int) -> None:
    from django.conf import settings
    from django.utils import timezone

    from notifications import delivery
    from notifications.models import Notification

    options = settings.MAILERS["default"].get("OPTIONS", {})
    pending = Notification.objects.filter(type="email", delivery="pending").order_by("pk")
    ids = list(pending.values_list("pk", flat=True)[:count])
    if len(ids) < count:
        print(f"email throughput: only {len(ids)} pending emails to send")
    now = timezone.now()
    started = time.perf_counter()
    outcomes = [delivery.deliver(pk, now=now) for pk in ids[: count // 2]]
    single = time.perf_counter() - started
    started = time.perf_counter()
    with delivery.Mailer() as mailer:
        outcomes += [delivery.deliver(pk, now=now, mailer=mailer) for pk in ids[count // 2 :]]
    shared = time.perf_counter() - started
    elapsed = single + shared
    print(
        f"email throughput to the local SMTP server {options.get('host')}:{options.get('port')}: "
        f"{outcomes.count('sent')} of {len(ids)} sent in {elapsed:.1f} s = {outcomes.count('sent') / elapsed:.0f} "
        f"messages/s; one connection per message {count // 2 / single:.0f}/s, one connection per chunk "
        f"(as deliver_many does) {(count - count // 2) / shared:.0f}/s; one worker process"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=1_000_000, help="notifications in the table for the bell")
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    migrate()
    admin, people, tasks = seed_people(args.people)
    fan_out(people, tasks[0], runs=3)
    from django.db import transaction

    from notifications.services import notify

    with transaction.atomic():  # the emails to send, and an inbox for the page below
        notify("task_overdue", people[: args.emails], tasks[1])
        for task in tasks[2:20]:
            notify("task_assigned", [admin], task)
    fill(args.rows, people)
    bell(admin, args.runs * 3)
    client = signed_in_client(admin)
    print(HEADER)
    print(measure(client, "inbox /notifications/", "/notifications/", args.runs).row(), flush=True)
    print(measure(client, "inbox, unread only", "/notifications/?show=unread", args.runs).row(), flush=True)
    print(measure(client, "notification settings", "/notifications/settings/", args.runs).row(), flush=True)
    email(args.emails)


if __name__ == "__main__":
    main()

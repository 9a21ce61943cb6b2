"""Scheduled work of the notifications domain: the outbox sweeper, the daily digest and retention.

Each is set-based over the small partial index of rows still on their way (or, for retention, of read rows), and
the digest and retention runs are recorded in `job_run` like the projects jobs.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from notifications import delivery
from notifications.models import Delivery, DeliveryAttempt, Notification
from pit.enums import NotificationType
from pit.models import JobRun

RETENTION_DAYS = 180
PURGE_CHUNK = 5000


def sweep(now: datetime | None = None) -> dict:
    """Repair the outbox: rows a dead worker had claimed go back to pending and out again (a digest interrupted
    that early goes out as single messages); rows it was sending are in doubt and marked failed (never resent, so
    never doubled); pending rows whose Celery message was lost are enqueued again."""
    from notifications.tasks import enqueue

    now = now or timezone.now()
    lease = now - timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    with transaction.atomic():
        released = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(delivery=Delivery.CLAIMED, claimed_at__lt=lease)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=released).update(
            delivery=Delivery.PENDING, claimed_at=None, next_attempt_at=now
        )
        doubtful = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(delivery=Delivery.SENDING, claimed_at__lt=lease)
            .values_list("pk", "type")
        )
        error = "the worker stopped while handing the message over; not resent in case it arrived"
        in_doubt = Notification.objects.filter(pk__in=[pk for pk, _ in doubtful])
        in_doubt.update(delivery=Delivery.FAILED, last_error=error)
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(notification_id=pk, channel=kind, outcome=DeliveryAttempt.Outcome.IN_DOUBT, error=error)
            for pk, kind in doubtful
        )
    overdue = now - timedelta(seconds=settings.NOTIFICATIONS_LOST_AFTER_SECONDS)
    lost = list(
        Notification.objects.filter(delivery=Delivery.PENDING, next_attempt_at__lt=overdue)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_SWEEP_LIMIT]
    )
    enqueue(released + lost)
    return {"released": len(released), "in_doubt": len(doubtful), "requeued": len(lost)}


def organisations_at_digest_hour(now: datetime | None = None) -> list[Organisation]:
    """Organisations where it is now the digest hour (their local morning)."""
    now = now or timezone.now()
    hour = settings.NOTIFICATIONS_DIGEST_HOUR
    return [org for org in Organisation.objects.all() if now.astimezone(org.tz).hour == hour]


def _take_held(org, now: datetime) -> dict:
    """Claim every held row of the organisation (skipping rows another run holds): {(user, channel): [rows]}."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(user__org=org, delivery=Delivery.HELD, created_at__lte=now)
            .select_related("user__org")
            .order_by("created_at")
        )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(delivery=Delivery.CLAIMED, claimed_at=now)
    groups = defaultdict(list)
    for row in rows:
        groups[(row.user, row.type)].append(row)
    return groups


def send_digests(*, orgs=None, now: datetime | None = None) -> JobRun:
    """One digest per person and channel with everything held for it since the last one: one email, or one push
    summary."""
    now = now or timezone.now()
    run = JobRun(name="notification-digest", started_at=timezone.now())
    sent = failed = 0
    for org in organisations_at_digest_hour(now) if orgs is None else orgs:
        for (user, channel), rows in _take_held(org, now).items():
            ok = _send_digest(user, channel, rows, now)
            sent, failed = sent + ok, failed + (not ok)
    run.rows_changed = sent
    run.detail = {"digests_sent": sent, "digests_failed": failed}
    run.finished_at = timezone.now()
    run.save()
    return run


def _send_digest(user, channel: str, rows: list[Notification], now: datetime) -> bool:
    ids = [row.pk for row in rows]
    claimed = Notification.objects.filter(pk__in=ids, delivery=Delivery.CLAIMED)
    try:
        if channel == NotificationType.EMAIL:
            _digest_email(user, rows, claimed)
        else:
            summary = {
                "title": f"{len(rows)} notifications today",
                "body": rows[-1].title,
                "url": delivery.absolute("/notifications/"),
            }
            delivery.push_to_devices(user, summary, on_hand_over=lambda: claimed.update(delivery=Delivery.SENDING))
    except Exception as error:  # held again for the next digest, and recorded
        message = f"{type(error).__name__}: {error}"
        with transaction.atomic():
            Notification.objects.filter(pk__in=ids).update(delivery=Delivery.HELD, claimed_at=None, last_error=message)
            _attempts(rows, DeliveryAttempt.Outcome.RETRY, message)
        return False
    with transaction.atomic():
        done = {"delivery": Delivery.SENT, "delivered_at": timezone.now(), "last_error": ""}
        Notification.objects.filter(pk__in=ids).update(**done)
        _attempts(rows, DeliveryAttempt.Outcome.SENT, "in the daily digest")
    return True


def _digest_email(user, rows, claimed) -> None:
    day = timezone.now().astimezone(user.org.tz).date()
    items = [{"notification": row, "url": delivery.absolute(row.link)} for row in rows]
    message_id = f"<digest-{user.pk}-{rows[0].pk}-{rows[-1].pk}@{settings.NOTIFICATIONS_MAIL_DOMAIN}>"
    subject = f"PIT: {len(rows)} notification{'s' if len(rows) != 1 else ''} for {day:%d %b %Y}"
    message = delivery.email_message(user, subject, "digest", {"items": items, "day": day}, message_id)
    with delivery.Mailer() as mailer:
        mailer.send(message, on_hand_over=lambda: claimed.update(delivery=Delivery.SENDING))


def _attempts(rows, outcome: str, error: str) -> None:
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(notification=row, channel=row.type, outcome=outcome, error=error) for row in rows
    )


def purge_read(now: datetime | None = None) -> JobRun:
    """Delete notifications read more than 180 days ago (seed 003's retention), and the email and push copies
    finished that long ago (they are never "read"), in chunks; record the run."""
    started = timezone.now()
    cutoff = (now or started) - timedelta(days=RETENTION_DAYS)
    finished_copies = Notification.objects.filter(
        type__in=[NotificationType.EMAIL, NotificationType.PUSH],
        delivery__in=[Delivery.SENT, Delivery.FAILED],
        created_at__lt=cutoff,
    )
    purged = sum(_purge(rows) for rows in [Notification.objects.filter(read_at__lt=cutoff), finished_copies])
    return JobRun.objects.create(
        name="notification-retention", started_at=started, finished_at=timezone.now(), rows_changed=purged,
        detail={"before": cutoff.isoformat(), "retention_days": RETENTION_DAYS},
    )  # fmt: skip


def _purge(rows) -> int:
    purged = 0
    while ids := list(rows.values_list("pk", flat=True)[:PURGE_CHUNK]):
        with transaction.atomic():
            DeliveryAttempt.objects.filter(notification_id__in=ids).delete()
            purged += Notification.objects.filter(pk__in=ids).delete()[0]
    return purged

"""Sending a notification on its channel, exactly once, whatever happens to workers, brokers and providers.

Each (notification, channel) row is its own idempotency key. A worker first *claims* the row with a conditional
UPDATE (pending → claimed); a duplicate Celery delivery finds nothing to claim and does nothing. Just before the
message leaves for the provider the row moves to `sending`; afterwards to `sent` (or back to `pending` with
exponential backoff when the provider refused or was unreachable). A worker killed while the row is `claimed`
never reached the provider, so the sweeper hands the row back; one killed while `sending` may have delivered, so
the sweeper marks it failed (in doubt) rather than risk a second copy. Every try is a `DeliveryAttempt` row.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications import push
from notifications.models import ChannelSetting, Delivery, DeliveryAttempt, Device, Notification
from pit.enums import NotificationType

log = logging.getLogger(__name__)
Outcome = DeliveryAttempt.Outcome


class Unreachable(Exception):
    """The channel has nowhere to deliver (no live device); retrying will not help."""


def backoff(attempts: int) -> timedelta:
    """Seconds before try number `attempts + 1`: base, 2 × base, 4 × base, ..."""
    return timedelta(seconds=settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def claim(pk: int, now: datetime) -> bool:
    """Take the row for this worker; only one worker ever wins it."""
    due = Notification.objects.filter(pk=pk, delivery=Delivery.PENDING, next_attempt_at__lte=now)
    return due.update(delivery=Delivery.CLAIMED, claimed_at=now) == 1


def _handing_over(pk: int) -> None:
    Notification.objects.filter(pk=pk, delivery=Delivery.CLAIMED).update(delivery=Delivery.SENDING)


def deliver(pk: int, *, now: datetime | None = None, mailer: "Mailer | None" = None) -> str | None:
    """Send notification `pk` on its channel if it is due and nobody else is. Returns the attempt's outcome, or
    None when there was nothing to do (already sent, taken by another worker, not due yet). A `Mailer` shared by
    several calls keeps one SMTP connection for all of them."""
    now = now or timezone.now()
    if not claim(pk, now):
        return None
    row = Notification.objects.select_related("user__org").get(pk=pk)
    if row.type == NotificationType.PUSH:
        quiet_until = _quiet_until(row, now)
        if quiet_until:
            _release(row, quiet_until)
            return "quiet"
    try:
        if row.type == NotificationType.EMAIL:
            _send_email(row, mailer)
        else:
            _send_push(row)
    except Unreachable as error:
        return _give_up(row, str(error))
    except Exception as error:  # any failure of the provider is recorded and retried, never lost
        return _failed(row, f"{type(error).__name__}: {error}", now)
    return _sent(row)


def _release(row: Notification, when: datetime) -> None:
    Notification.objects.filter(pk=row.pk, delivery=Delivery.CLAIMED).update(
        delivery=Delivery.PENDING, next_attempt_at=when, claimed_at=None
    )
    _schedule(row.pk, when)


def _sent(row: Notification) -> str:
    with transaction.atomic():
        done = {"delivery": Delivery.SENT, "delivered_at": timezone.now(), "last_error": ""}
        Notification.objects.filter(pk=row.pk).update(**done)
        DeliveryAttempt.objects.create(notification=row, channel=row.type, outcome=Outcome.SENT)
    return Outcome.SENT


def _failed(row: Notification, error: str, now: datetime) -> str:
    attempts = row.attempts + 1
    if attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        return _give_up(row, error, attempts=attempts)
    when = now + backoff(attempts)
    with transaction.atomic():
        Notification.objects.filter(pk=row.pk).update(
            delivery=Delivery.PENDING, attempts=attempts, next_attempt_at=when, claimed_at=None, last_error=error
        )
        DeliveryAttempt.objects.create(notification=row, channel=row.type, outcome=Outcome.RETRY, error=error)
    log.warning("notification %s: %s; retry %s at %s", row.pk, error, attempts, when.isoformat())
    _schedule(row.pk, when)
    return Outcome.RETRY


def _give_up(row: Notification, error: str, *, attempts: int | None = None) -> str:
    with transaction.atomic():
        Notification.objects.filter(pk=row.pk).update(
            delivery=Delivery.FAILED, attempts=attempts or row.attempts + 1, last_error=error
        )
        DeliveryAttempt.objects.create(notification=row, channel=row.type, outcome=Outcome.FAILED, error=error)
    log.error("notification %s failed for good: %s", row.pk, error)
    return Outcome.FAILED


def _schedule(pk: int, when: datetime) -> None:
    from notifications.tasks import deliver_task

    countdown = max((when - timezone.now()).total_seconds(), 0)
    transaction.on_commit(lambda: deliver_task.apply_async((pk,), countdown=countdown))


def absolute(link: str) -> str:
    return settings.NOTIFICATIONS_BASE_URL.rstrip("/") + link if link.startswith("/") else link


def email_message(user, subject: str, template: str, context: dict, message_id: str) -> EmailMultiAlternatives:
    context = {"user": user, "base_url": settings.NOTIFICATIONS_BASE_URL, **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    # The Message-ID names the (notification, channel): a receiving system can spot a copy by it.
    subject = " ".join(subject.split())  # a line break in a task's name must not break the header
    msg = EmailMultiAlternatives(subject, text, to=[user.email], headers={"Message-ID": message_id})
    msg.attach_alternative(html, "text/html")
    return msg


class Mailer:
    """One SMTP connection for a run of messages, opened on first use and dropped after any failure (the next
    message opens a fresh one). The connection is opened before the row is marked as handed over, so a server that
    is down fails the attempt before anything could have left."""

    def __init__(self):
        self.connection = None

    def send(self, message: EmailMultiAlternatives, *, on_hand_over) -> None:
        if self.connection is None:
            connection = mailers.default
            connection.open()
            self.connection = connection
        on_hand_over()
        try:
            self.connection.send_messages([message])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            connection.close()

    def __enter__(self) -> "Mailer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _send_email(row: Notification, mailer: Mailer | None) -> None:
    context = {"notification": row, "url": absolute(row.link)}
    message_id = f"<notification-{row.pk}-email@{settings.NOTIFICATIONS_MAIL_DOMAIN}>"
    message = email_message(row.user, row.title, "notification", context, message_id)
    if mailer is not None:
        mailer.send(message, on_hand_over=lambda: _handing_over(row.pk))
        return
    with Mailer() as own:
        own.send(message, on_hand_over=lambda: _handing_over(row.pk))


def payload_of(row: Notification) -> dict:
    return {"title": row.title, "body": row.message or row.title, "url": absolute(row.link), "id": row.pk}


def push_to_devices(user, payload: dict, *, on_hand_over) -> None:
    """Push to every live device of the person that a configured provider serves; retire the ones the provider
    says are gone. Raises Unreachable when no device is left, PushFailed when none took it but may later."""
    from notifications.services import retire_device

    devices = list(Device.objects.filter(user=user, retired_at__isnull=True).select_related("user__org"))
    served = [(device, push.provider_for(device.platform)) for device in devices]
    served = [(device, provider) for device, provider in served if provider]
    if not served:
        raise Unreachable("no live device served by a configured push provider")
    on_hand_over()
    delivered, errors = 0, []
    for device, provider in served:
        try:
            provider.send(device, payload)
            delivered += 1
        except push.TokenGone as error:
            retire_device(device=device, reason=str(error))
            errors.append(f"retired device {device.pk}: {error}")
        except push.PushFailed as error:
            errors.append(f"device {device.pk}: {error}")
    if not delivered:
        retired_all = all(e.startswith("retired") for e in errors)
        raise (Unreachable if retired_all else push.PushFailed)("; ".join(errors))


def _send_push(row: Notification) -> None:
    push_to_devices(row.user, payload_of(row), on_hand_over=lambda: _handing_over(row.pk))


def _quiet_until(row: Notification, now: datetime) -> datetime | None:
    """The end of the person's quiet hours for push if `now` falls inside them (organisation time), else None."""
    org = row.user.org
    settings_rows = ChannelSetting.objects.filter(org=org, channel=NotificationType.PUSH).filter(
        user=row.user
    ) or ChannelSetting.objects.filter(org=org, user__isnull=True, channel=NotificationType.PUSH)
    setting = next(iter(settings_rows), None)
    if not setting or setting.quiet_start is None:
        return None
    return quiet_end(now, org.tz, setting.quiet_start, setting.quiet_end)


def quiet_end(now: datetime, tz, start, end) -> datetime | None:
    local = now.astimezone(tz)
    clock = local.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    until = datetime.combine(local.date(), end, tzinfo=tz)
    return until if until > local else until + timedelta(days=1)

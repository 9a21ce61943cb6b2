"""Reaching people. Every domain calls `notify`; delivery happens after commit (DESIGN.md section 6, seams)."""

import json
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from notifications import preferences
from notifications.events import EVENTS, event_of
from notifications.models import ChannelSetting, Delivery, Device, Notification, Preference
from notifications.outbox import Batch
from pit import audit
from pit.enums import NotificationType
from pit.tenancy import org_of


def link_of(subject) -> str:
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if get_url else ""


def _audience(recipients: Iterable, org, actor) -> list:
    """The people to tell: active, not a system account, of the subject's organisation, not the actor."""
    people = {user.pk: user for user in recipients if user is not None}
    return [
        user
        for user in people.values()
        if user.is_active and not user.is_system and user.org_id == org.pk and (actor is None or user.pk != actor.pk)
    ]


def _add_rows(batch: Batch, kind, subject, people, wanted, *, link: str, context: dict) -> None:
    number = batch.subject(
        title=kind.title.format(subject=str(subject), **context),
        link=link or link_of(subject),
        subject_table=subject._meta.db_table,
        subject_id=subject.pk,
    )
    for user in people:
        for want in wanted[user.pk]:
            if want.channel == NotificationType.INTERNAL_MESSAGE:
                state = Delivery.SENT  # in the inbox as soon as it commits
            else:
                state = Delivery.HELD if want.digest else Delivery.PENDING
            batch.add(user.pk, want.channel, state, number)


@transaction.atomic
def notify_each(
    event: str, items: Iterable[tuple], *, actor=None, message: str = "", once: bool = False, **context
) -> QuerySet:
    """`notify` for many subjects at once: `items` are (subject, recipients) pairs of one organisation or several;
    preferences are resolved once per organisation and every row is written in bulk. With `once`, a subject that
    already caused this event is skipped (e.g. a task turning overdue a second time)."""
    kind = event_of(event)
    batch = Batch(kind.code, message, timezone.now())
    items = list(items)
    told = _already_told(kind.code, [subject for subject, _ in items]) if once else set()
    by_org: dict = {}
    for subject, recipients in items:
        if (subject._meta.db_table, subject.pk) in told:
            continue
        org = org_of(subject)
        by_org.setdefault(org.pk, (org, []))[1].append((subject, _audience(recipients, org, actor)))
    for org, pairs in by_org.values():
        everyone = list({user.pk: user for _, people in pairs for user in people}.values())
        wanted = preferences.resolve(org, everyone, kind.code)
        for subject, people in pairs:
            _add_rows(batch, kind, subject, people, wanted, link="", context=context)
    return _record(batch)


def _already_told(event: str, subjects: list) -> set:
    tables = {subject._meta.db_table for subject in subjects}
    rows = Notification.objects.filter(
        event=event, subject_table__in=tables, subject_id__in=[subject.pk for subject in subjects]
    )
    return set(rows.values_list("subject_table", "subject_id").distinct())


@transaction.atomic
def notify(
    event: str, recipients: Iterable, subject, *, actor=None, message: str = "", link: str = "", **context
) -> QuerySet:
    """Record `event` about `subject` for each recipient and each channel they want, in the caller's transaction
    (an outbox: a change that rolls back notifies nobody); email and push go out from Celery after commit. The actor
    is not told of their own action; people outside the subject's organisation, inactive people and system
    accounts are never told. Returns the notifications recorded (a queryset)."""
    kind = event_of(event)
    org = org_of(subject)
    people = _audience(recipients, org, actor)
    wanted = preferences.resolve(org, people, kind.code)
    batch = Batch(kind.code, message, timezone.now())
    _add_rows(batch, kind, subject, people, wanted, link=link, context=context)
    return _record(batch)


def _record(batch: Batch) -> QuerySet:
    """Write the rows, hand the outbox to the workers after commit; returns the new rows (a lazy queryset)."""
    ids, outbox = batch.write()
    if outbox:
        from notifications.tasks import enqueue

        transaction.on_commit(lambda: enqueue(outbox))
    return Notification.objects.filter(pk__in=ids)


def inbox_of(user):
    return Notification.objects.for_org(user.org).filter(user=user, type=NotificationType.INTERNAL_MESSAGE)


@transaction.atomic
def mark_read(*, user, notification: Notification) -> bool:
    """Mark one of the person's own notifications read; False when it already was."""
    now = timezone.now()
    changed = inbox_of(user).filter(pk=notification.pk, read_at__isnull=True).update(read_at=now, is_read=True)
    if changed:
        after = {"read_at": now.isoformat()}
        audit.record(actor=user, org=user.org, action="NOTIFICATION_READ", instance=notification, after=after)
    return bool(changed)


@transaction.atomic
def mark_all_read(*, user) -> int:
    now = timezone.now()
    ids = list(inbox_of(user).filter(read_at__isnull=True).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(read_at=now, is_read=True)
    if ids:
        audit.record(
            actor=user, org=user.org, action="NOTIFICATIONS_READ", table_name="notification", record_id=user.pk,
            after={"read": len(ids), "read_at": now.isoformat()},
        )  # fmt: skip
    return len(ids)


@transaction.atomic
def save_preferences(*, actor, org, user, cells: dict, channels: dict) -> None:
    """Store a person's choices (or, `user` None, the organisation's defaults): `cells` maps (event, channel) to
    on/off, `channels` maps a channel to {digest, quiet_start, quiet_end}. Only choices that differ from the
    default are stored, so a person who never changed a cell follows later changes of the organisation's default."""
    before = preferences.table(org, user)
    defaults = preferences.table(org, None)["cells"] if user else {}
    offered = {channel for _, channel in cells}
    Preference.objects.filter(org=org, user=user, channel__in=offered).delete()
    Preference.objects.bulk_create(
        Preference(org=org, user=user, event=event, channel=channel, enabled=enabled)
        for (event, channel), enabled in cells.items()
        if event in EVENTS and enabled != defaults.get((event, channel), preferences.BUILT_IN[channel])
    )
    ChannelSetting.objects.filter(org=org, user=user, channel__in=list(channels)).delete()
    ChannelSetting.objects.bulk_create(ChannelSetting(org=org, user=user, channel=c, **v) for c, v in channels.items())
    audit.record(
        actor=actor, org=org, action="NOTIFICATION_PREFERENCES", table_name="notification_preference",
        record_id=user.pk if user else f"org-{org.pk}", before=_as_json(before["cells"]), after=_as_json(cells),
    )  # fmt: skip


def _as_json(cells: dict) -> dict:
    return {f"{event}:{channel}": enabled for (event, channel), enabled in cells.items()}


@transaction.atomic
def register_device(*, user, platform: str, token: str, name: str = "") -> Device:
    """Register (or refresh) where a person's push notifications go. A token seen again is the same device:
    its owner becomes whoever registered it last (a shared browser signs in as someone else) and it lives again."""
    if platform not in Device.Platform.values:
        raise ValueError(f"unknown platform {platform!r}; use one of {', '.join(Device.Platform.values)}")
    if not token.strip():
        raise ValueError("the device token is empty")
    token = _web_subscription(token) if platform == Device.Platform.WEB else token.strip()
    now = timezone.now()
    device, created = Device.objects.update_or_create(
        platform=platform,
        token=token,
        defaults={"user": user, "name": name[:200], "last_seen_at": now, "retired_at": None, "retired_reason": ""},
    )
    audit.record(
        actor=user, org=user.org, action="DEVICE_REGISTERED" if created else "DEVICE_SEEN", instance=device,
        after={"platform": platform, "name": device.name},
    )  # fmt: skip
    return device


def _web_subscription(token: str) -> str:
    """A browser's PushSubscription as JSON (endpoint and keys), stored in one canonical form so the same
    subscription registered twice is one device."""
    try:
        subscription = json.loads(token)
        endpoint, keys = subscription["endpoint"], subscription["keys"]
        canonical = {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}
    except (ValueError, KeyError, TypeError):
        raise ValueError("a browser token is its push subscription: JSON with endpoint and keys p256dh, auth") from None
    if not str(endpoint).startswith(("https://", "http://")):
        raise ValueError("the push subscription's endpoint must be an http(s) address")
    return json.dumps(canonical, sort_keys=True)


@transaction.atomic
def retire_device(*, device: Device, reason: str, actor=None) -> None:
    """The provider says the token will never work again (or its owner removed it): push no more to it."""
    changed = Device.objects.filter(pk=device.pk, retired_at__isnull=True).update(
        retired_at=timezone.now(), retired_reason=reason[:500]
    )
    if changed:
        from accounts.services import system_user

        org = device.user.org
        audit.record(
            actor=actor or system_user(org), org=org, action="DEVICE_RETIRED", instance=device,
            after={"reason": reason[:500]},
        )  # fmt: skip

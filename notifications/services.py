"""Reaching people. Every domain calls `notify`; delivery happens after commit (DESIGN.md section 6, seams)."""

from collections.abc import Iterable

from django.db import transaction

from notifications.events import event_of
from notifications.models import Notification
from pit.enums import NotificationType
from pit.tenancy import org_of


def link_of(subject) -> str:
    get_url = getattr(subject, "get_absolute_url", None)
    return get_url() if get_url else ""


@transaction.atomic
def notify(event: str, recipients: Iterable, subject, *, actor=None, message: str = "", link: str = "", **context):
    """Record `event` about `subject` for each recipient, in the caller's transaction (an outbox: a change that
    rolls back notifies nobody). The actor is not told of their own action; people outside the subject's
    organisation, inactive people and system accounts are never told. Returns the notifications recorded."""
    kind = event_of(event)
    org = org_of(subject)
    people = {user.pk: user for user in recipients if user is not None}
    wanted = [
        user
        for user in people.values()
        if user.is_active and not user.is_system and user.org_id == org.pk and (actor is None or user.pk != actor.pk)
    ]
    title = kind.title.format(subject=str(subject), **context)
    rows = [
        Notification(
            user=user,
            event=kind.code,
            type=NotificationType.INTERNAL_MESSAGE,
            title=title,
            message=message,
            link=link or link_of(subject),
            subject_table=subject._meta.db_table,
            subject_id=subject.pk,
        )
        for user in wanted
    ]
    return Notification.objects.bulk_create(rows, batch_size=2000)

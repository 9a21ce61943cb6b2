"""Reads of the notifications pages."""

from notifications.models import Notification
from pit.enums import NotificationType

PAGE_SIZE = 25


def unread_count(user) -> int:
    """Matches the partial index notification_inbox_unread_idx exactly (user, unread, in-app)."""
    return Notification.objects.filter(user=user, type=NotificationType.INTERNAL_MESSAGE, read_at__isnull=True).count()


def inbox(user, *, unread_only: bool, page: str | int | None):
    """A page of the person's in-app notifications, newest first. No COUNT(*) over a long history: the page
    fetches one row past its end to know whether a next page exists."""
    rows = Notification.objects.for_org(user.org).filter(user=user, type=NotificationType.INTERNAL_MESSAGE)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    number = _page_number(page)
    window = list(rows.order_by("-created_at", "-pk")[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1])
    return {
        "notifications": window[:PAGE_SIZE],
        "number": number,
        "has_previous": number > 1,
        "has_next": len(window) > PAGE_SIZE,
    }


def _page_number(page) -> int:
    try:
        return max(int(page or 1), 1)
    except (TypeError, ValueError):
        return 1

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def bell(request):
    """The unread count in the top bar of every page: one count on the partial unread index, run only when a page
    draws the bell (admin pages and JSON answers do not)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}

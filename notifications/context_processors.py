from notifications.selectors import unread_count


def bell(request):
    """The unread count in the top bar of every page: one count on the partial unread index."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}

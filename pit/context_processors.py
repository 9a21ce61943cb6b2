from django.urls import NoReverseMatch, reverse

from accounts.permissions import ADMINISTER, has_perm

# (label, url name): sections whose pages are not built yet are shown but not linked.
SECTIONS = [
    ("Dashboard", "dashboard"),
    ("Projects", "projects:list"),
    ("Timeline", "projects:portfolio_gantt"),
    ("My work", "projects:my_work"),
    ("Quick wins", "projects:board"),
    ("Reviews", "evidence:review_queue"),
    ("Alerts", "watchdog:alerts"),
    ("Decisions", "decisions:list"),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    path = request.path
    items = []
    for label, name in SECTIONS:
        url = _url(name)
        active = url is not None and (path == url if url == "/" else path.startswith(url))
        items.append({"label": label, "url": url, "active": active})
    if has_perm(request.user, ADMINISTER):
        items.append({"label": "Admin", "url": reverse("admin:index"), "active": path.startswith("/admin/")})
        if activity := _url("activity:org"):  # the organisation-wide activity feed
            items.append({"label": "Activity", "url": activity, "active": path.startswith(activity)})
    return {"nav_items": items}

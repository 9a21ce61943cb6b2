"""One project's Gantt rows in tree order with their bar geometry at one zoom, cached in `timeline_cache`.

A cached chart is stamped with the project's `timeline_version`, which every change that can move a bar bumps in
its own transaction (projects.rollups). The version and the project's dates are read in one query before the rows,
so a chart built from rows older than the current version is labelled older and never served: a stale cache cannot
be shown. Owner names are not cached (a person can be renamed without touching any project): they are looked up
when the chart is drawn.
"""

from datetime import date

from django.utils import timezone

from accounts.models import User
from calendars.selectors import calendar_for_project
from projects import dependencies
from projects.gantt import schedule
from projects.gantt.scale import px_per_day
from projects.models import Project, TimelineCache

# Row layout in the cache (lists keep 20,000 rows compact):
KIND, ID, MILESTONE, NAME, OWNER, START, END, X, W, PROGRESS, STATUS, CRITICAL, LATE = range(13)
MILESTONE_ROW, DELIVERABLE_ROW, TASK_ROW = "m", "d", "t"
COLUMNS = ("id", "name", "start_date", "end_date", "progress_percent", "owner_id")


def row(kind, item, milestone_id, origin: date, ppd: float, status="", critical=0, late=None) -> list:
    start, end = item["start_date"], item["end_date"]
    x, width = (start - origin).days * ppd, ((end - start).days + 1) * ppd
    return [kind, item["id"], milestone_id, item["name"], item["owner_id"], start.isoformat(), end.isoformat(),
            round(x, 1), round(width, 1), item["progress_percent"], status, critical, late or 0]  # fmt: skip


def build(project: Project, zoom: str, version: int) -> dict:
    """Read the project's plan and calendar (five queries) and lay it out at `zoom`."""
    ppd, origin = px_per_day(zoom), project.start_date
    milestones = list(project.milestones.order_by("order_index", "start_date", "pk").values(*COLUMNS))
    deliverables = list(
        project.deliverables.order_by("order_index", "start_date", "pk").values(*COLUMNS, "milestone_id")
    )
    tasks = list(project.tasks.order_by("order_index", "start_date", "pk").values(*COLUMNS, "status", "deliverable_id"))
    links = dependencies.links_of(project.pk, live_only=True)
    spans = {t["id"]: (t["start_date"], t["end_date"]) for t in tasks}
    calendar = calendar_for_project(project)
    late = schedule.violations(spans, links, calendar)
    critical = schedule.critical_tasks(spans, links, project.end_date, calendar)
    tasks_of, deliverables_of = {}, {}
    for task in tasks:
        tasks_of.setdefault(task["deliverable_id"], []).append(task)
    for deliverable in deliverables:
        deliverables_of.setdefault(deliverable["milestone_id"], []).append(deliverable)
    rows = []
    for milestone in milestones:
        mid = milestone["id"]
        rows.append(row(MILESTONE_ROW, milestone, mid, origin, ppd))
        for deliverable in deliverables_of.get(mid, []):
            rows.append(row(DELIVERABLE_ROW, deliverable, mid, origin, ppd))
            for t in tasks_of.get(deliverable["id"], []):
                breaks = [[pred, allowed.isoformat()] for pred, allowed in late.get(t["id"], [])]
                rows.append(row(TASK_ROW, t, mid, origin, ppd, t["status"], int(t["id"] in critical), breaks))
    return {
        "version": version,
        "zoom": zoom,
        "ppd": ppd,
        "origin": origin.isoformat(),
        "rows": rows,
        "links": [[link.predecessor, link.successor, link.lag_days] for link in links],
    }


def current(project: Project) -> Project:
    """The project as it is now: its timeline version and dates, read together."""
    return Project.all_objects.only("timeline_version", "start_date", "end_date", "org_id").get(pk=project.pk)


def with_owners(data: dict) -> dict:
    owner_ids = {row[OWNER] for row in data["rows"]}
    return {**data, "owners": dict(User.objects.filter(pk__in=owner_ids).values_list("pk", "name"))}


def chart(project: Project, zoom: str) -> tuple[dict, bool]:
    """The project's chart at `zoom` with owner names, and whether it came from the cache (rebuilt when stale)."""
    data, cached = chart_data(current(project), zoom)
    return with_owners(data), cached


def chart_data(project: Project, zoom: str) -> tuple[dict, bool]:
    """The chart of the project as `current` read it, without owner names; and whether it came from the cache."""
    version = project.timeline_version
    cached = TimelineCache.objects.filter(project=project, zoom_level=zoom).values_list("data", flat=True).first()
    if cached is not None and cached.get("version") == version:
        return cached, True
    data = build(project, zoom, version)
    stored = TimelineCache.objects.filter(project=project, zoom_level=zoom).update(data=data, updated_at=timezone.now())
    if not stored:
        TimelineCache.objects.bulk_create(
            [TimelineCache(project=project, zoom_level=zoom, data=data)], ignore_conflicts=True
        )
    return data, False

"""The portfolio Gantt: one row per project or operational stream (filtered like the dashboard), each expandable to
its milestones. Its zoom and viewport live in the URL. Like a project's chart, the page draws the first window of
rows and the browser brings the others in as the person scrolls (`first`)."""

from datetime import date, timedelta

from accounts.models import User
from calendars.selectors import calendar_for_org
from projects.gantt import chart as c
from projects.gantt.scale import Viewport, fit_zoom, viewable
from projects.gantt.state import SHIFTS
from projects.gantt.svg import PROJECT_ROW, window_markup
from projects.gantt.svg import render as render_svg
from projects.gantt.window import SIZE
from projects.models import Milestone, ZoomLevel

MAX_PROJECTS = 1000


def expanded_ids(raw: str) -> set[int]:
    return {int(part) for part in raw.split(",") if part.strip().isdigit()}


def query_without(params, *keys) -> str:
    query = params.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


def _item(project) -> dict:
    return {"id": project.pk, "name": project.name, "start_date": project.start_date, "end_date": project.end_date,
            "progress_percent": project.progress_percent, "owner_id": project.owner_id}  # fmt: skip


def _data(projects, expanded: set[int], zoom: str, origin: date) -> dict:
    ppd = Viewport(zoom, origin).ppd
    milestones = {}
    opened = [p.pk for p in projects if p.pk in expanded]
    for milestone in Milestone.objects.filter(project_id__in=opened).values(*c.COLUMNS, "project_id"):
        milestones.setdefault(milestone["project_id"], []).append(milestone)
    rows = []
    for project in projects:
        rows.append(c.row(PROJECT_ROW, _item(project), project.pk, origin, ppd, project.status))
        rows += [c.row(c.MILESTONE_ROW, m, project.pk, origin, ppd) for m in milestones.get(project.pk, [])]
    owners = {project.owner_id: project.owner.name for project in projects}
    owners |= dict(User.objects.filter(pk__in={r[c.OWNER] for r in rows} - owners.keys()).values_list("pk", "name"))
    return {"ppd": ppd, "origin": origin.isoformat(), "rows": rows, "links": [], "owners": owners}


def _viewport(projects, params, today: date) -> Viewport:
    first = min((p.start_date for p in projects), default=today) - timedelta(days=2)
    last = max((p.end_date for p in projects), default=today)
    zoom = params.get("zoom") if params.get("zoom") in ZoomLevel.values else fit_zoom(first, last)
    try:
        start = date.fromisoformat(params["start"]) if params.get("start") else first
    except ValueError:
        start = first
    viewport = Viewport(zoom, start if viewable(start) else first)
    shift = params.get("shift")
    if shift in SHIFTS:
        return viewport.shifted(SHIFTS[shift])
    return viewport.around(today) if shift == "today" else viewport


def _window(data: dict, first: int) -> dict:
    rows = data["rows"]
    return {**data, "rows": rows[first : first + SIZE], "first": first, "total": len(rows), "tasks": 0, "arrows": [],
            "version": 0}  # fmt: skip


def rows_query(params, viewport: Viewport) -> str:
    """The query of the portfolio's rows endpoint: the page's filters and expansions at the page's viewport."""
    query = params.copy()
    for key in ("shift", "first", "v"):
        query.pop(key, None)
    query["zoom"], query["start"] = viewport.zoom, viewport.start.isoformat()
    return query.urlencode()


def render(request, projects, expanded: set[int], params, *, first: int | None = 0) -> tuple[str, Viewport]:
    """The chart's first window of rows (or, `first=None`, every row) as SVG, and its viewport."""
    today = request.org.today()
    viewport = _viewport(projects, params, today)
    data = _data(projects, expanded, viewport.zoom, viewport.start)
    if first is not None:
        data = _window(data, first)
    toggles = _toggles(projects, expanded, params, viewport)
    svg = render_svg(data, viewport, today, project_id=0, title=f"Portfolio of {request.org.name}", toggles=toggles,
                     calendar=calendar_for_org(request.org))  # fmt: skip
    return svg, viewport


def _toggles(projects, expanded: set[int], params, viewport: Viewport) -> dict:
    toggles = {}
    for project in projects:
        query = params.copy()
        query["expand"] = ",".join(str(i) for i in sorted(expanded ^ {project.pk}))
        query["zoom"], query["start"] = viewport.zoom, viewport.start.isoformat()
        for key in ("shift", "first", "v", "all"):
            query.pop(key, None)
        toggles[(PROJECT_ROW, project.pk)] = (f"?{query.urlencode()}", project.pk in expanded)
    return toggles


def rows(request, projects, expanded: set[int], params, first: int) -> dict | None:
    """A window of the portfolio's rows for the browser to add (None past the last row)."""
    viewport = _viewport(projects, params, request.org.today())
    data = _data(projects, expanded, viewport.zoom, viewport.start)
    if first % SIZE or (first and first >= len(data["rows"])):
        return None
    toggles = _toggles(projects, expanded, params, viewport)
    return window_markup(_window(data, first), viewport, project_id=0, toggles=toggles)

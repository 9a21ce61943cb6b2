"""Windows of a chart's visible rows: what the browser draws first, and what it brings in as the person scrolls.

A 20,000-task chart is 20,000 rows, but a person sees forty at a time: the page sends the first window and the
browser asks for the others (views.gantt.gantt_rows) as they come near the viewport. The windows of a chart at one
zoom, with some milestones folded, are cut once from the cached chart (projects.gantt.chart) and kept in the cache
under a key holding the project's timeline version, so any change to the plan makes new keys and old windows are
never served. The dependency arrows are drawn with their successor's window; owner names are looked up when a
window is drawn, as for the whole chart.
"""

from contextlib import suppress

from django.core.cache import cache
from redis import RedisError

from accounts.models import User
from projects.gantt import chart
from projects.gantt import chart as c
from projects.gantt.svg import arrow_paths, visible_rows
from projects.models import Project

SIZE = 50  # rows a window: a screen and a half (the fewer the page draws, the sooner it is painted)
SECONDS = 24 * 3600  # a version's windows outlive a working day's scrolling; new versions make new keys


def _key(project: Project, zoom: str, collapsed) -> str:
    folded = ",".join(str(pk) for pk in sorted(collapsed))
    return f"gantt-window:{project.pk}:{project.timeline_version}:{zoom}:{folded}"


def _cut(data: dict, collapsed) -> dict:
    """Every window of the chart's visible rows, and the chart's row and task counts."""
    rows = visible_rows(data, set(collapsed))
    paths = arrow_paths(rows, data["links"])
    windows = {"rows": len(rows), "tasks": sum(1 for row in rows if row[c.KIND] == c.TASK_ROW)}
    for first in range(0, max(len(rows), 1), SIZE):
        arrows = [path for index in range(first, first + SIZE) for path in paths.get(index, ())]
        windows[str(first)] = {"rows": rows[first : first + SIZE], "arrows": arrows}
    return windows


def _get(*keys) -> dict:
    try:
        return cache.get_many(keys)
    except RedisError:  # the cache is a shortcut: without it the windows are cut from the chart each time
        return {}


def _set(values: dict) -> None:
    with suppress(RedisError):
        cache.set_many(values, SECONDS)


def window(project: Project, zoom: str, collapsed, first: int = 0) -> dict | None:
    """The chart's visible rows from `first` (a multiple of SIZE), with what svg.render needs to draw them as part
    of the whole chart; None when the chart has no such row. Four queries, or the chart's own when it is rebuilt."""
    project = chart.current(project)
    key = _key(project, zoom, collapsed)
    found = _get(f"{key}:meta", f"{key}:{first}")
    meta = found.get(f"{key}:meta")
    if meta is None or (f"{key}:{first}" not in found and first < meta["rows"]):  # new, or evicted
        data, _ = chart.chart_data(project, zoom)
        windows = _cut(data, collapsed)
        meta = {"origin": data["origin"], "ppd": data["ppd"], "rows": windows.pop("rows"),
                "tasks": windows.pop("tasks")}  # fmt: skip
        _set({f"{key}:meta": meta} | {f"{key}:{start}": part for start, part in windows.items()})
        found = {f"{key}:{first}": windows.get(str(first))}
    part = found.get(f"{key}:{first}")
    if part is None or first % SIZE:
        return None
    owners = {row[c.OWNER] for row in part["rows"]}
    return {
        "version": project.timeline_version,
        "zoom": zoom,
        "origin": meta["origin"],
        "ppd": meta["ppd"],
        "rows": part["rows"],
        "arrows": part["arrows"],
        "first": first,
        "total": meta["rows"],
        "tasks": meta["tasks"],
        "owners": dict(User.objects.filter(pk__in=owners).values_list("pk", "name")),
    }

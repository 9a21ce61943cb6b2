"""The SVG drawing of a chart: header, grid, labels, bars, milestones, dependency arrows and the today line.

Written as strings in Python (every text escaped): a 5,000-task chart is 5,000 bars, and a template loop would cost
ten times more. Status is told by shape and glyph as well as colour: overdue bars are hatched and marked "!",
blocked bars are hatched with a dashed outline and marked "■", critical bars have a heavy outline and late starts a "⚠".
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape  # the stdlib one: Django's lazy wrapper costs 3x on 5,000-row charts
from pathlib import Path

from django.conf import settings

from calendars.workdays import WorkingCalendar
from pit.enums import TaskStatus
from projects.gantt import chart as c
from projects.gantt.scale import (
    CHART_WIDTH,
    HEADER_HEIGHT,
    LABEL_WIDTH,
    ROW_HEIGHT,
    Viewport,
    header_units,
    non_working_days,
    short_date,
)
from projects.models import ProjectStatus
from projects.status import LABELS

BAR_HEIGHT = 14
MARKS = {TaskStatus.OVERDUE: "!", TaskStatus.BLOCKED: "■"}
STATUS_LABELS = LABELS | dict(ProjectStatus.choices)
PROJECT_ROW = "p"  # portfolio rows
CHANGE_FILLS = {"added": "#e3f4e6", "changed": "#fff3d6"}
INDENT = {PROJECT_ROW: 6, c.MILESTONE_ROW: 6, c.DELIVERABLE_ROW: 22, c.TASK_ROW: 38}
HREF = {PROJECT_ROW: "/projects/{id}/gantt/", c.MILESTONE_ROW: "/projects/{project}/#milestone-{id}",
        c.DELIVERABLE_ROW: "/deliverables/{id}/", c.TASK_ROW: "/tasks/{id}/"}  # fmt: skip


@cache
def stylesheet() -> str:
    """The chart's own CSS, inlined into the standalone SVG export."""
    return (Path(settings.BASE_DIR) / "static" / "css" / "gantt.css").read_text()


@cache  # a chart repeats the same few hundred dates thousands of times
def _day(iso: str) -> str:
    return short_date(date.fromisoformat(iso))


@dataclass
class Frame:
    """Where things go: the viewport, and the x offset of the chart's origin within it."""

    viewport: Viewport
    origin: date
    ppd: float

    @property
    def offset(self) -> float:
        return (self.origin - self.viewport.start).days * self.ppd

    def visible(self, x: float, width: float) -> bool:
        return x + width + self.offset >= 0 and x + self.offset <= CHART_WIDTH


def visible_rows(data: dict, collapsed: set[int]) -> list:
    return [row for row in data["rows"] if row[c.KIND] == c.MILESTONE_ROW or row[c.MILESTONE] not in collapsed]


def _title(row, owner: str) -> str:
    status = f" · {STATUS_LABELS[row[c.STATUS]]}" if row[c.STATUS] else ""
    extra = " · critical path" if row[c.CRITICAL] else ""
    if row[c.LATE]:
        extra += " · starts before its predecessor allows (earliest " + _day(row[c.LATE][0][1]) + ")"
    dates = f"{_day(row[c.START])} – {_day(row[c.END])}"
    return escape(f"{row[c.NAME]} · {dates} · {row[c.PROGRESS]} % · {owner}{status}{extra}")


def _task_bar(row, y: float, href: str, owner: str) -> str:
    x, w = row[c.X], row[c.W]
    status = row[c.STATUS]
    classes = f"b s-{status}" + (" crit" if row[c.CRITICAL] else "") + (" late" if row[c.LATE] else "")
    mark = MARKS.get(status, "") + ("⚠" if row[c.LATE] else "")
    glyph = f'<text class="mk" x="{x + w + 3:.1f}" y="{y + 11:.0f}">{mark}</text>' if mark else ""
    done = w * row[c.PROGRESS] / 100
    return (
        f'<a href="{href}" class="{classes}" data-id="{row[c.ID]}" data-s="{row[c.START]}" data-e="{row[c.END]}">'
        f"<title>{_title(row, owner)}</title>"
        f'<rect x="{x}" y="{y:.0f}" width="{w}" height="{BAR_HEIGHT}"/>'
        f'<rect class="p" x="{x}" y="{y:.0f}" width="{done:.1f}" height="{BAR_HEIGHT}"/>'
        f'<rect class="h" x="{x + w - 5:.1f}" y="{y:.0f}" width="5" height="{BAR_HEIGHT}"/>{glyph}</a>'
    )


def _ghost(row, y: float, finish: date, frame: "Frame") -> str:
    """The watchdog's forecast (watchdog.forecast): a dashed ghost bar from the planned end to the projected finish."""
    x, end = row[c.X] + row[c.W], ((finish - frame.origin).days + 1) * frame.ppd
    return (
        f'<rect class="ghost" x="{x:.1f}" y="{y + 2:.0f}" width="{end - x:.1f}" height="{BAR_HEIGHT - 4}" fill="none" '
        f'stroke="#6b6b80" stroke-dasharray="3 2"><title>Forecast finish {finish:%d %b %Y} at its rate so far'
        "</title></rect>"
    )


def _baseline(shadows: dict, rows: list, frame: "Frame", first: int = 0) -> list[str]:
    """A baseline (baselines.selectors.gantt_overlay): a thin bar under each row it has (one path for them all, so a
    5,000-row chart gains one element, not 5,000) and a drift label after each row whose finish moved."""
    offset, bars, labels = frame.offset, [], []
    for index, row in enumerate(rows, start=first):
        shadow = shadows.get((row[c.KIND], row[c.ID]))
        if shadow is None:
            continue
        start, end, x, w, label = shadow
        y = HEADER_HEIGHT + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        seen = x + w + offset >= 0 and x + offset <= CHART_WIDTH
        if seen:
            bars.append(f"M{x} {y + BAR_HEIGHT + 1}h{w}v3H{x}z")
        if label and (seen or frame.visible(row[c.X], row[c.W])):
            after = round(max(x + w, row[c.X] + row[c.W])) + (16 if MARKS.get(row[c.STATUS]) or row[c.LATE] else 4)
            labels.append(f'<text class="bl-d {"bl-late" if label[0] == "+" else "bl-early"}" x="{after}" '
                          f'y="{y + 11}" font-size="10"><title>Baseline {_day(start)} – {_day(end)}</title>{label}'
                          "</text>")  # fmt: skip
    return ['<path class="bl" fill="#8a8aa0" pointer-events="none" d="', *bars, '"/>', *labels]


def _decision(marker: dict, frame: "Frame", height: int, ys: dict) -> str:
    """An undecided decision (decisions.selectors.gantt_markers): a dashed line and a flag at its due date, and a tick
    on each task of this chart it blocks (they cannot complete until it is taken)."""
    x = (marker["due"] - frame.origin).days * frame.ppd + frame.ppd / 2
    blocked = [ys[task] for task in marker["tasks"] if task in ys]
    note = f" It blocks {len(blocked)} task{'s' if len(blocked) != 1 else ''} here." if blocked else ""
    ticks = "".join(f'<path d="M{x - 5:.1f} {y + BAR_HEIGHT / 2:.0f}h10"/>' for y in blocked)
    return (
        f'<a href="/decisions/{marker["id"]}/" class="decision" stroke="#9a5b00" fill="#9a5b00">'
        f"<title>{escape(f'Decision due {marker["due"]:%d %b %Y}: {marker["title"]}.{note}')}</title>"
        f'<line x1="{x:.1f}" y1="{HEADER_HEIGHT}" x2="{x:.1f}" y2="{height}" stroke-dasharray="4 3"/>'
        f'<path d="M{x:.1f} {HEADER_HEIGHT}h10l-3 4 3 4h-10z"/>{ticks}</a>'
    )


def _decision_ticks(markers: list, frame: "Frame", ys: dict) -> str:
    """The ticks of undecided decisions on the tasks of a window of rows (the decision's line and flag came with the
    page)."""
    parts = []
    for marker in markers:
        x = (marker["due"] - frame.origin).days * frame.ppd + frame.ppd / 2
        ticks = "".join(f'<path d="M{x - 5:.1f} {ys[task] + BAR_HEIGHT / 2:.0f}h10"/>' for task in marker["tasks"]
                        if task in ys)  # fmt: skip
        if ticks:
            parts.append(f'<g class="decision" stroke="#9a5b00">{ticks}</g>')
    return "".join(parts)


def _summary_bar(row, y: float, href: str, owner: str) -> str:
    x, w = row[c.X], row[c.W]
    if row[c.KIND] == c.MILESTONE_ROW:  # a diamond on the end date
        cx, cy = x + w, y + BAR_HEIGHT / 2
        shape = f'<path d="M{cx:.1f} {cy - 7:.0f}l7 7-7 7-7-7z"/>'
        return f'<a href="{href}" class="ms"><title>{_title(row, owner)}</title>{shape}</a>'
    done = w * row[c.PROGRESS] / 100
    kind = f"pr r-{row[c.STATUS]}" if row[c.KIND] == PROJECT_ROW else "sd"
    return (
        f'<a href="{href}" class="{kind}"><title>{_title(row, owner)}</title><rect x="{x}" y="{y + 3:.0f}" width="{w}" '
        f'height="8"/><rect class="p" x="{x}" y="{y + 3:.0f}" width="{done:.1f}" height="8"/></a>'
    )


def _changed_band(y: float, state: str) -> str:
    """A row added or changed since the moment the page compares with (activity.selectors.gantt_highlight)."""
    top, fill = y - (ROW_HEIGHT - BAR_HEIGHT) / 2, CHANGE_FILLS[state]
    return (
        f'<rect class="chg-row chg-{state}" x="0" y="{top:.0f}" width="{LABEL_WIDTH}" height="{ROW_HEIGHT}" '
        f'fill="{fill}"><title>{state} since the chosen moment</title></rect>'
    )


def _header(viewport: Viewport, height: int) -> list[str]:
    upper, lower = header_units(viewport)
    parts = [
        '<g class="hdr">',
        f'<rect class="hb" x="{LABEL_WIDTH}" y="0" width="{CHART_WIDTH}" height="{HEADER_HEIGHT}"/>',
    ]
    for row, (units, top) in enumerate(((upper, 0), (lower, HEADER_HEIGHT // 2))):
        for first, following, label in units:
            x0 = max(viewport.x(first), 0) + LABEL_WIDTH
            x1 = min(viewport.x(following), CHART_WIDTH) + LABEL_WIDTH
            bottom = height if row else HEADER_HEIGHT
            parts.append(f'<line class="gl{row}" x1="{x1:.1f}" y1="{top}" x2="{x1:.1f}" y2="{bottom}"/>')
            if x1 - x0 >= 6 * len(label) + 4:
                parts.append(f'<text x="{x0 + 4:.1f}" y="{top + 15}">{label}</text>')
    parts.append("</g>")
    return parts


def _non_working(viewport: Viewport, calendar: WorkingCalendar, height: int) -> list[str]:
    return [
        f'<rect class="we" x="{LABEL_WIDTH + viewport.x(first):.1f}" y="{HEADER_HEIGHT}" '
        f'width="{days * viewport.ppd:.1f}" height="{height - HEADER_HEIGHT}"/>'
        for first, days in non_working_days(viewport, calendar)
    ]


def _label(row, y: float, toggles: dict, owner: str) -> str:
    """The row's name and owner; a row that folds (milestones here, projects in the portfolio) is a toggle link."""
    kind = row[c.KIND]
    text = escape(row[c.NAME][:40] + ("…" if len(row[c.NAME]) > 40 else ""))
    owner = escape(owner)
    x, baseline = INDENT[kind], f"{y + 11:.0f}"
    toggle = toggles.get((kind, row[c.ID]))
    if toggle is None:
        return f'<text class="l{kind}" x="{x}" y="{baseline}">{text} <tspan class="o">{owner}</tspan></text>'
    url, expanded = toggle
    return (
        f'<a href="{escape(url)}" class="tg" data-row="{row[c.ID]}" aria-expanded="{"true" if expanded else "false"}">'
        f'<text class="l{kind}" x="{x}" y="{baseline}">{"▾" if expanded else "▸"} {text} '
        f'<tspan class="o">{owner}</tspan></text></a>'
    )


def arrow_paths(rows: list, links: list) -> dict[int, list[str]]:
    """The dependency arrows between the visible `rows`, by the index of the successor's row (an arrow is drawn
    with its successor, so a window of rows brings the arrows that end in it)."""
    index = {row[c.ID]: i for i, row in enumerate(rows) if row[c.KIND] == c.TASK_ROW}
    critical = {row[c.ID] for row in rows if row[c.KIND] == c.TASK_ROW and row[c.CRITICAL]}
    paths = {}
    for predecessor, successor, *_ in links:
        if predecessor not in index or successor not in index:
            continue
        start, end = rows[index[predecessor]], rows[index[successor]]
        x1, y1 = start[c.X] + start[c.W], row_y(index[predecessor]) + BAR_HEIGHT / 2
        x2, y2 = end[c.X], row_y(index[successor]) + BAR_HEIGHT / 2
        late = any(pred == predecessor for pred, _ in (end[c.LATE] or []))
        kind = "ar late" if late else "ar crit" if {predecessor, successor} <= critical else "ar"
        path = f'<path class="{kind}" d="M{x1:.1f} {y1:.0f}h5V{y2:.0f}H{x2 - 1:.1f}" marker-end="url(#ah)"/>'
        paths.setdefault(index[successor], []).append(path)
    return paths


def row_y(index: int) -> float:
    """The top of the bar of the visible row at `index`."""
    return HEADER_HEIGHT + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2


def draw_row(row, y: float, frame: Frame, *, project_id: int, toggles: dict, owner: str, ghost=None) -> tuple:
    """One row: its label (left pane) and, when it is in view, its bar (and the forecast's ghost bar)."""
    label = _label(row, y, toggles, owner)
    if not frame.visible(row[c.X], row[c.W]):
        return label, ""
    href = HREF[row[c.KIND]].format(project=project_id or row[c.MILESTONE], id=row[c.ID])
    if row[c.KIND] != c.TASK_ROW:
        return label, _summary_bar(row, y, href, owner)
    bar = _task_bar(row, y, href, owner)
    return label, bar + (_ghost(row, y, ghost, frame) if ghost else "")


def draw_rows(data: dict, frame: Frame, *, project_id: int, toggles: dict, ghosts: dict,
              highlight: dict) -> tuple[list, list, dict]:  # fmt: skip
    """Labels and bars of the chart's rows (all of them, or a window starting at visible row `data["first"]`) and
    the y of each task's bar; rows in `highlight` get a band behind their label."""
    labels, bars, ys = [], [], {}
    for index, row in enumerate(data["rows"], start=data.get("first", 0)):
        y = row_y(index)
        if row[c.KIND] == c.TASK_ROW:
            ys[row[c.ID]] = y
        ghost = ghosts.get(row[c.ID]) if row[c.KIND] == c.TASK_ROW else None
        owner = data["owners"].get(row[c.OWNER], "")
        label, bar = draw_row(row, y, frame, project_id=project_id, toggles=toggles, owner=owner, ghost=ghost)
        if changed := highlight.get(f"{row[c.KIND]}:{row[c.ID]}"):
            label = _changed_band(y, changed) + label
        labels.append(label)
        bars.append(bar)
    return labels, bars, ys


def background(viewport: Viewport, height: int, calendar: WorkingCalendar) -> tuple[list[str], list[str]]:
    """What is behind the rows: the time axis with its grid lines, and the shading of the calendar's days off."""
    return _header(viewport, height), _non_working(viewport, calendar, height)


def chart_height(rows: int) -> int:
    return HEADER_HEIGHT + rows * ROW_HEIGHT + 6


def render(data: dict, viewport: Viewport, today: date, *, project_id: int, title: str, collapsed=frozenset(),
           toggles: dict | None = None, standalone: bool = False, ghosts: dict | None = None,
           decisions: list | None = None, calendar: WorkingCalendar | None = None,
           highlight: dict | None = None, baseline: dict | None = None) -> str:  # fmt: skip
    """The chart as SVG. `toggles` maps (row kind, id) to (url, expanded) for rows that fold and unfold; `ghosts`
    maps task ids to their forecast finish when it is after their end; `decisions` are undecided decisions' markers;
    `calendar` says which days are shaded as non-working (Monday to Friday work when it is not given); `highlight`
    maps row keys ("t:12") to "added" or "changed" (what changed since a moment); `baseline` maps (row kind, id) to a
    baseline's (start, end, x, width, drift label), drawn as thin bars under the rows.

    `data` holds every row of the chart, or a window of its visible rows (projects.gantt.window: `first`, `total`,
    `tasks` and the window's `arrows`); the SVG is then as tall as the whole chart and the browser brings the other
    rows in as the person scrolls (static/js/gantt-rows.js)."""
    frame = Frame(viewport, date.fromisoformat(data["origin"]), data["ppd"])
    if "first" in data:
        window, total, tasks, paths = True, data["total"], data["tasks"], data["arrows"]
    else:
        data = {**data, "rows": visible_rows(data, set(collapsed))}
        window, total = False, len(data["rows"])
        tasks = sum(1 for row in data["rows"] if row[c.KIND] == c.TASK_ROW)
        paths = [path for found in arrow_paths(data["rows"], data["links"]).values() for path in found]
    height = chart_height(total)
    width = LABEL_WIDTH + CHART_WIDTH
    labels, bars, ys = draw_rows(
        data, frame, project_id=project_id, toggles=toggles or {}, ghosts=ghosts or {}, highlight=highlight or {}
    )
    header, shading = background(viewport, height, calendar or WorkingCalendar())
    shadows = _baseline(baseline, data["rows"], frame, data.get("first", 0)) if baseline else []
    today_x = (today - frame.origin).days * frame.ppd + frame.ppd / 2
    windowed = f' data-rows="{total}" data-version="{data["version"]}"' if window else ""
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="group" aria-labelledby="gantt-title gantt-desc" '
        f'data-ppd="{frame.ppd}" data-zoom="{viewport.zoom}" data-project="{project_id}"{windowed}>',
        f'<title id="gantt-title">{escape(title)}</title>',
        f'<desc id="gantt-desc">{tasks} tasks from {viewport.start:%d %b %Y} to {viewport.end:%d %b %Y}, '
        f"{viewport.zoom} zoom. The table view lists the same rows.</desc>",
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="3" height="6" class="hl"/></pattern>'
        '<marker id="ah" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto">'
        '<path d="M0 0L6 3 0 6z"/></marker>'
        f'<clipPath id="gc"><rect x="{LABEL_WIDTH}" y="0" width="{CHART_WIDTH}" height="{height}"/></clipPath></defs>',
    ]
    if standalone:
        head.append(f"<style>{stylesheet()}</style>")
    body = [
        *header,
        '<g class="labels" id="gantt-labels">',
        *chunked(labels, data.get("first", 0), window),
        "</g>",
        '<g clip-path="url(#gc)">',
        *shading,
        f'<g class="bars" transform="translate({LABEL_WIDTH + frame.offset:.1f} 0)"><g id="gantt-bars">',
        *chunked(shadows + bars, data.get("first", 0), window, paths),
        "</g>",
    ]
    if frame.visible(today_x, 0):
        body.append(
            f'<line id="gantt-today" class="today" x1="{today_x:.1f}" y1="{HEADER_HEIGHT}" x2="{today_x:.1f}" '
            f'y2="{height}"><title>Today, {today:%d %b %Y}</title></line>'
        )
    for marker in decisions or []:
        if frame.visible((marker["due"] - frame.origin).days * frame.ppd, 0):
            body.append(_decision(marker, frame, height, ys))
    body.append("</g></g></svg>")
    return "".join(head + body)


def chunked(parts: list[str], first: int, window: bool, extra=()) -> list[str]:
    """A window's rows go in a group named by its first row, so the browser can drop and bring back whole windows."""
    if not window:
        return [*parts, *extra]
    return [f'<g data-first="{first}">', *parts, *extra, "</g>"]


def window_markup(data: dict, viewport: Viewport, *, project_id: int, toggles: dict, ghosts=None,
                  decisions=(), highlight=None, baseline=None) -> dict:  # fmt: skip
    """A window of rows for the browser to add to the chart it shows: labels, and bars with their arrows and the
    ticks of the decisions that block them."""
    frame = Frame(viewport, date.fromisoformat(data["origin"]), data["ppd"])
    labels, bars, ys = draw_rows(
        data, frame, project_id=project_id, toggles=toggles, ghosts=ghosts or {}, highlight=highlight or {}
    )
    shadows = _baseline(baseline, data["rows"], frame, data["first"]) if baseline else []
    extra = [*data["arrows"], _decision_ticks(decisions, frame, ys)]
    first = data["first"]
    return {
        "labels": "".join(chunked(labels, first, True)),
        "bars": "".join(chunked(shadows + bars, first, True, extra)),
    }

"""Each person's zoom, viewport and folded milestones per project (`gantt_state`), and the controls that change them.

The state is a preference of the viewer, not project data: it is saved without an audit row.
"""

from datetime import date, timedelta

from projects.gantt.scale import EARLIEST, LATEST, Viewport, fit_zoom, viewable
from projects.models import GanttState, ZoomLevel

SHIFTS = {"earlier": -0.8, "later": 0.8}
MARGIN = timedelta(days=2)


def fitted(project) -> Viewport:
    return Viewport(fit_zoom(project.start_date - MARGIN, project.end_date + MARGIN), project.start_date - MARGIN)


def load(user, project) -> GanttState:
    state = GanttState.objects.filter(user=user, project=project).first()
    if state is None:
        viewport = fitted(project)
        state = GanttState(user=user, project=project, zoom_level=viewport.zoom, viewport_start=viewport.start,
                           viewport_end=viewport.end, collapsed=[])  # fmt: skip
    return state


def viewport_of(state: GanttState) -> Viewport:
    return Viewport(state.zoom_level, state.viewport_start)


def apply(state: GanttState, params, project, today: date) -> list[str]:
    """Change the state as the query asks (zoom, shift, start, toggle); returns what could not be understood, and
    then changes nothing."""
    problems, viewport = [], viewport_of(state)
    zoom = params.get("zoom")
    if zoom:
        if zoom in ZoomLevel.values:
            centre = viewport.start + (viewport.end - viewport.start) / 2
            viewport = Viewport(zoom, viewport.start).centred_on(centre) if zoom != viewport.zoom else viewport
        else:
            problems.append(f"Unknown zoom “{zoom}”: choose day, week, month, quarter or year.")
    shift = params.get("shift")
    if shift in SHIFTS:
        viewport = viewport.shifted(SHIFTS[shift])
    elif shift == "today":
        viewport = viewport.around(today)
    elif shift == "fit":
        viewport = fitted(project)
    elif shift:
        problems.append(f"Unknown move “{shift}”: choose earlier, later, today or fit.")
    if params.get("start"):
        try:
            viewport = Viewport(viewport.zoom, date.fromisoformat(params["start"]))
        except ValueError:
            problems.append(f"“{params['start']}” is not a date (use YYYY-MM-DD).")
    if params.get("toggle"):
        milestone = str(params["toggle"])
        if milestone.isdigit() and project.milestones.filter(pk=int(milestone)).exists():
            state.collapsed = sorted(set(state.collapsed) ^ {int(milestone)})
        else:
            problems.append("Choose a milestone of this project to fold or unfold.")
    if not viewable(viewport.start):
        problems.append(f"The timeline shows dates from {EARLIEST:%Y} to {LATEST:%Y}.")
    if not problems:
        state.zoom_level, state.viewport_start, state.viewport_end = viewport.zoom, viewport.start, viewport.end
    return problems


def save(state: GanttState) -> None:
    GanttState.objects.update_or_create(
        user=state.user, project=state.project,
        defaults={"zoom_level": state.zoom_level, "viewport_start": state.viewport_start,
                  "viewport_end": state.viewport_end, "collapsed": state.collapsed},
    )  # fmt: skip

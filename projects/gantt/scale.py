"""Zoom levels, the viewport and the time axis: which dates the chart shows and where they are drawn."""

from dataclasses import dataclass
from datetime import date, timedelta

from calendars.workdays import WorkingCalendar
from projects.models import ZoomLevel

CHART_WIDTH = 1100  # px of timeline; the label pane is drawn to its left
LABEL_WIDTH = 300
ROW_HEIGHT = 22
HEADER_HEIGHT = 44
MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
EARLIEST, LATEST = date(1970, 1, 1), date(2199, 12, 31)  # beyond these a viewport is a typo, not a plan

# px per day at each zoom, and the (upper, lower) header units
ZOOMS = {
    ZoomLevel.DAY: (28.0, ("month", "day")),
    ZoomLevel.WEEK: (8.0, ("month", "week")),
    ZoomLevel.MONTH: (2.5, ("year", "month")),
    ZoomLevel.QUARTER: (1.0, ("year", "quarter")),
    ZoomLevel.YEAR: (0.3, ("year", "quarter")),
}


def px_per_day(zoom: str) -> float:
    return ZOOMS[zoom][0]


def viewport_days(zoom: str) -> int:
    return int(CHART_WIDTH / px_per_day(zoom))


def short_date(day: date, *, year: bool = True) -> str:
    """en-AU short dates ("3 Mar 2027"), written out directly: thousands of rows call this per page."""
    return f"{day.day} {MONTHS[day.month]} {day.year}" if year else f"{day.day} {MONTHS[day.month]}"


def viewable(start: date) -> bool:
    """Can a viewport start here (and end, at any zoom, before the calendar does)?"""
    return EARLIEST <= start <= LATEST - timedelta(days=viewport_days(ZoomLevel.YEAR))


def fit_zoom(start: date, end: date) -> str:
    """The most detailed zoom that shows the whole span."""
    days = (end - start).days + 1
    for zoom in ZoomLevel.values:
        if viewport_days(zoom) >= days:
            return zoom
    return ZoomLevel.YEAR


@dataclass(frozen=True)
class Viewport:
    zoom: str
    start: date

    @property
    def ppd(self) -> float:
        return px_per_day(self.zoom)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=viewport_days(self.zoom) - 1)

    def x(self, day: date) -> float:
        """Pixels from the viewport's left edge to the start of `day`."""
        return (day - self.start).days * self.ppd

    def shifted(self, fraction: float) -> "Viewport":
        return Viewport(self.zoom, self.start + timedelta(days=round(viewport_days(self.zoom) * fraction)))

    def centred_on(self, day: date) -> "Viewport":
        return Viewport(self.zoom, day - timedelta(days=viewport_days(self.zoom) // 2))

    def around(self, day: date) -> "Viewport":
        """The viewport with `day` a fifth of the way in."""
        return Viewport(self.zoom, day - timedelta(days=viewport_days(self.zoom) // 5))


def _next(day: date, unit: str) -> date:
    if unit == "day":
        return day + timedelta(days=1)
    if unit == "week":
        return day + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _floor(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def _label(day: date, unit: str, upper: bool) -> str:
    if unit == "day":
        return str(day.day)
    if unit == "week":
        return f"W{day.isocalendar().week}"
    if unit == "month":
        return f"{MONTHS[day.month]} {day.year}" if upper else MONTHS[day.month]
    if unit == "quarter":
        return f"Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def units(viewport: Viewport, unit: str, *, upper: bool = False) -> list[tuple[date, date, str]]:
    """(first day, first day of the next, label) of each `unit` overlapping the viewport."""
    found, day = [], _floor(viewport.start, unit)
    while day <= viewport.end:
        following = _next(day, unit)
        found.append((day, following, _label(day, unit, upper)))
        day = following
    return found


def header_units(viewport: Viewport) -> tuple[list, list]:
    upper, lower = ZOOMS[viewport.zoom][1]
    return units(viewport, upper, upper=True), units(viewport, lower)


def non_working_days(viewport: Viewport, calendar: WorkingCalendar) -> list[tuple[date, int]]:
    """(first day, length) of each run of non-working days in view (weekends and holidays of the calendar); only the
    day and week zooms shade them."""
    if viewport.zoom not in (ZoomLevel.DAY, ZoomLevel.WEEK):
        return []
    runs, day = [], viewport.start
    while day <= viewport.end:
        if calendar.is_working(day):
            day += timedelta(days=1)
            continue
        first = day
        while day <= viewport.end and not calendar.is_working(day):
            day += timedelta(days=1)
        runs.append((first, (day - first).days))
    return runs

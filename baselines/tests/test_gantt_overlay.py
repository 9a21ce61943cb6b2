"""The Gantt overlay as plain data (baselines.selectors._overlay) and as drawn (projects.gantt.svg), without a
database: shadow geometry, drift labels in working days across a holiday, and rows out of view left out."""

import re
from datetime import date as D

from baselines.selectors import _overlay
from calendars.workdays import WorkingCalendar
from projects.gantt import chart as c
from projects.gantt.scale import Viewport
from projects.gantt.svg import render

ORIGIN, PPD = D(2027, 3, 1), 8.0


def _task(pk, start, end) -> list:
    item = {"id": pk, "name": f"T{pk}", "start_date": start, "end_date": end, "progress_percent": 0, "owner_id": 1}
    return c.row(c.TASK_ROW, item, 9, ORIGIN, PPD, "not_started")


def _data(*rows) -> dict:
    return {"origin": ORIGIN.isoformat(), "ppd": PPD, "rows": list(rows), "links": [], "owners": {1: "Ann"}}


def _span(start: D, end: D) -> tuple:
    return (start.isoformat(), end.isoformat(), start.toordinal(), end.toordinal())


def test_overlay_places_the_baseline_and_counts_the_drift_in_working_days():
    data = _data(_task(1, D(2027, 3, 1), D(2027, 3, 5)), _task(2, D(2027, 3, 10), D(2027, 3, 17)))
    spans = {
        (c.TASK_ROW, 1): _span(D(2027, 3, 1), D(2027, 3, 5)),
        (c.TASK_ROW, 2): _span(D(2027, 3, 8), D(2027, 3, 12)),
    }
    holiday = WorkingCalendar(closed=(D(2027, 3, 15),))
    overlay = _overlay(spans, data, holiday)
    # Task 2 was 8–12 Mar (x = 7 days × 8 px, 5 days wide); its finish Fri 12 → Wed 17 Mar skips Mon 15: +2 d.
    assert overlay[(c.TASK_ROW, 2)] == ("2027-03-08", "2027-03-12", 56, 40, "+2 d")
    assert overlay[(c.TASK_ROW, 1)][4] == ""  # on plan: no label
    assert _overlay(spans, data, WorkingCalendar())[(c.TASK_ROW, 2)][4] == "+3 d"


def test_renderer_draws_one_shadow_path_and_labels_only_what_is_in_view():
    far = _task(3, D(2029, 1, 1), D(2029, 1, 5))  # years after the viewport
    data = _data(_task(1, D(2027, 3, 1), D(2027, 3, 5)), _task(2, D(2027, 3, 10), D(2027, 3, 17)), far)
    overlay = {(c.TASK_ROW, 1): ("2027-03-01", "2027-03-05", 0, 40, ""),
               (c.TASK_ROW, 2): ("2027-03-08", "2027-03-12", 56, 40, "+2 d"),
               (c.TASK_ROW, 3): ("2028-12-01", "2028-12-05", 5400, 40, "+20 d")}  # fmt: skip
    svg = render(data, Viewport("week", ORIGIN), ORIGIN, project_id=1, title="G", baseline=overlay)
    path = re.search(r'<path class="bl"[^>]* d="([^"]*)"', svg).group(1)
    assert path == "M0 63h40v3H0zM56 85h40v3H56z"  # rows 1 and 2 (y = 44 + 22 × index + 4, under the 14 px bar)
    assert re.findall(r'class="bl-d bl-late" x="(\d+)"', svg) == ["140"]  # after task 2's current end (136) + 4
    assert "Baseline 8 Mar 2027 – 12 Mar 2027" in svg and "+20 d" not in svg
    assert 'class="bl"' not in render(data, Viewport("week", ORIGIN), ORIGIN, project_id=1, title="G")

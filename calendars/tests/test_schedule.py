"""The schedule, the critical path and the forecast in working days, hand-checked, across Christmas.

Christmas 2026: Fri 25 Dec and Mon 28 Dec (Boxing Day observed) are holidays, 26–27 Dec a weekend, and Fri 1 Jan
2027 New Year's Day: Thu 24 Dec is followed by the working days Tue 29, Wed 30, Thu 31 Dec, then Mon 4 Jan.
"""

import datetime

from calendars.workdays import WorkingCalendar
from projects.gantt import schedule
from projects.gantt.schedule import Link
from watchdog import forecast

D = datetime.date
XMAS = WorkingCalendar(closed=(D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)))


def test_a_successor_starts_on_the_first_working_day_after_its_predecessor_plus_the_lag():
    assert schedule.earliest_start(D(2026, 12, 24), 0, XMAS) == D(2026, 12, 29)
    assert schedule.earliest_start(D(2026, 12, 24), 2, XMAS) == D(2026, 12, 31)  # 29, 30, then 31 Dec
    assert schedule.earliest_start(D(2026, 12, 24), -1, XMAS) == D(2026, 12, 24)  # a one-day lead: same day
    assert schedule.earliest_start(D(2026, 12, 24), 0) == D(2026, 12, 25)  # without a calendar, every day counts
    spans = {1: (D(2026, 12, 21), D(2026, 12, 24)), 2: (D(2026, 12, 28), D(2026, 12, 30))}
    assert schedule.violations(spans, [Link(1, 2, 0)], XMAS) == {2: [(1, D(2026, 12, 29))]}
    spans[2] = (D(2026, 12, 29), D(2026, 12, 30))
    assert schedule.violations(spans, [Link(1, 2, 0)], XMAS) == {}


def test_the_holidays_take_the_float_away_from_the_critical_path():
    """A (Mon 21 – Thu 24 Dec) → B (Tue 29 – Thu 31 Dec), C (Mon 21 – Tue 22 Dec) alone; the project ends 31 Dec.

    In working days A ends on the last working day before B may start: no float, critical with B. C could slip
    22, 23, 24, 29 and 30 Dec: 5 working days of float. Counting calendar days A had 4 days to spare (25–28 Dec).
    """
    spans = {"A": (D(2026, 12, 21), D(2026, 12, 24)), "B": (D(2026, 12, 29), D(2026, 12, 31)),
             "C": (D(2026, 12, 21), D(2026, 12, 22))}  # fmt: skip
    links = [Link("A", "B", 0)]
    assert schedule.critical_tasks(spans, links, D(2026, 12, 31), XMAS) == {"A", "B"}
    assert schedule.critical_tasks(spans, links, D(2026, 12, 31)) == {"B"}


def test_the_forecast_counts_working_days():
    """Mon 21 – Thu 31 Dec is 7 working days. Half done on Thu 24 Dec after 4 working days, it needs 8: the 8th
    working day from 21 Dec is Mon 4 Jan (1 Jan is a holiday), 1 working day after its end. In calendar days the
    same task looked 3 days ahead (4 of 11 days gone, so 8 days: 28 Dec)."""
    start, end, today = D(2026, 12, 21), D(2026, 12, 31), D(2026, 12, 24)
    assert forecast.task_finish(start, end, 50, today, calendar=XMAS) == D(2027, 1, 4)
    assert forecast.task_finish(start, end, 50, today) == D(2026, 12, 28)
    # Still at 0 % on 24 Dec: its 7 working days from today are 24, 29, 30, 31 Dec and 4, 5, 6 Jan
    assert forecast.task_finish(start, end, 0, today, calendar=XMAS) == D(2027, 1, 6)


def test_a_forecast_says_how_many_working_days_late():
    class Task:
        start_date, end_date, progress_percent, status = D(2026, 12, 21), D(2026, 12, 31), 50, "in_progress"

    late = forecast.for_task(Task, D(2026, 12, 24), XMAS)
    assert (late.finish, late.days_late) == (D(2027, 1, 4), 1)
    assert forecast.for_task(Task, D(2026, 12, 24)).days_late == -3

"""Variance figures on hand-checked cases, in working days, across a public holiday (Monday 15 March 2027)."""

from datetime import date as D
from decimal import Decimal

from baselines import variance
from baselines.variance import Item
from calendars.workdays import WorkingCalendar
from projects.gantt.schedule import Link

HOLIDAY = D(2027, 3, 15)  # a Monday
CAL = WorkingCalendar(closed=(HOLIDAY,))


def task(pk, start, end, *, progress=0, capex="0", name=None) -> Item:
    return Item("task", pk, 1, 2, name or f"T{pk}", start, end, progress, Decimal(capex), Decimal(0), pk)


def test_slip_counts_working_days_and_skips_the_holiday():
    # Fri 12 Mar → Wed 17 Mar: Mon 15 is the holiday, so Tue 16 and Wed 17 count: 2 (3 without the holiday).
    assert variance.slip(CAL, D(2027, 3, 12), D(2027, 3, 17)) == 2
    assert variance.slip(WorkingCalendar(), D(2027, 3, 12), D(2027, 3, 17)) == 3
    # Back again: Fri 12 (counted), Mon 15 (holiday), Tue 16 (counted) lie between: −2.
    assert variance.slip(CAL, D(2027, 3, 17), D(2027, 3, 12)) == -2
    # Friday to Saturday is no working day later; Friday to the next Monday (a working one) is one.
    assert variance.slip(CAL, D(2027, 3, 5), D(2027, 3, 6)) == 0
    assert variance.slip(CAL, D(2027, 3, 5), D(2027, 3, 8)) == 1
    assert [variance.drift_label(n) for n in (4, 0, -2)] == ["+4 d", "", "−2 d"]


def test_rows_slip_progress_cost_and_state():
    then = [task(1, D(2027, 3, 1), D(2027, 3, 12), progress=10, capex="100.00"), task(2, D(2027, 3, 1), D(2027, 3, 2)),
            task(3, D(2027, 3, 3), D(2027, 3, 4))]  # fmt: skip
    now = [task(1, D(2027, 3, 4), D(2027, 3, 17), progress=40, capex="150.50"), task(2, D(2027, 3, 1), D(2027, 3, 2)),
           task(4, D(2027, 3, 1), D(2027, 3, 1))]  # fmt: skip
    rows = {row.item.id: row for row in variance.compare(then, now, CAL)}
    moved = rows[1]
    # Start Mon 1 → Thu 4 Mar: Tue 2, Wed 3, Thu 4 = +3; finish Fri 12 → Wed 17 across the holiday = +2.
    assert (moved.start_slip, moved.finish_slip, moved.progress_change, moved.cost_change) == (
        3,
        2,
        30,
        Decimal("50.50"),
    )
    assert moved.state == "changed"
    assert (rows[2].state, rows[2].finish_slip) == ("unchanged", 0)
    assert (rows[3].state, rows[3].finish_slip, rows[4].state) == ("removed", None, "added")


def test_project_slip_and_critical_path_change_across_the_holiday():
    # Baseline: A (1–7 Mar, to the Sunday) → B (8–12 Mar) is the critical chain to the end on Fri 12 Mar (no float
    # whether the schedule counts calendar or working days); C (1–3 Mar) has float.
    a, b = task(1, D(2027, 3, 1), D(2027, 3, 7)), task(2, D(2027, 3, 8), D(2027, 3, 12))
    c = task(3, D(2027, 3, 1), D(2027, 3, 3))
    links = [Link(1, 2, 0)]
    # Now C runs to Fri 19 Mar and the project's end moved with it: C alone is critical.
    c_now = task(3, D(2027, 3, 1), D(2027, 3, 19))
    rows = variance.compare([a, b, c], [a, b, c_now], CAL)
    summary = variance.summarise(rows, CAL, then_links=links, now_links=links, then_end=D(2027, 3, 12),
                                 now_end=D(2027, 3, 19))  # fmt: skip
    assert (summary.finish_then, summary.finish_now) == (D(2027, 3, 12), D(2027, 3, 19))
    # Fri 12 → Fri 19 Mar: Mon 15 is the holiday; 16, 17, 18, 19 count: +4 (5 without the holiday).
    assert summary.total_slip == 4
    assert variance.summarise(rows, WorkingCalendar(), then_links=links, now_links=links, then_end=D(2027, 3, 12),
                              now_end=D(2027, 3, 19)).total_slip == 5  # fmt: skip
    assert [item.id for item in summary.critical_then] == [1, 2]
    assert [item.id for item in summary.critical_now] == [3]
    assert ([item.id for item in summary.joined], [item.id for item in summary.left]) == ([3], [1, 2])
    assert summary.counts == {"added": 0, "removed": 0, "changed": 1, "unchanged": 2, "slipped": 1}


def test_tree_order_puts_each_task_under_its_deliverable_under_its_milestone():
    m2 = Item("milestone", 20, 20, None, "M2", D(2027, 1, 1), D(2027, 1, 9), 0, Decimal(0), Decimal(0), 1)
    m1 = Item("milestone", 10, 10, None, "M1", D(2027, 1, 1), D(2027, 1, 9), 0, Decimal(0), Decimal(0), 0)
    d1 = Item("deliverable", 11, 10, 11, "D1", D(2027, 1, 1), D(2027, 1, 9), 0, Decimal(0), Decimal(0), 0)
    d2 = Item("deliverable", 21, 20, 21, "D2", D(2027, 1, 1), D(2027, 1, 9), 0, Decimal(0), Decimal(0), 0)
    t2 = Item("task", 5, 20, 21, "T2", D(2027, 1, 1), D(2027, 1, 2), 0, Decimal(0), Decimal(0), 0)
    t1 = Item("task", 6, 10, 11, "T1", D(2027, 1, 1), D(2027, 1, 2), 0, Decimal(0), Decimal(0), 0)
    rows = variance.compare([t2, d2, m2], [t1, d1, m1, t2, d2, m2], CAL)
    assert [row.item.name for row in rows] == ["M1", "D1", "T1", "M2", "D2", "T2"]

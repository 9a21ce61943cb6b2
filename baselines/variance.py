"""Baseline against today's plan, item by item, in working days. Pure: the calendar is passed in, so the figures
can be checked by hand against any calendar (holidays included).

Slip is `calendar.working_days_between(baseline date, current date)`: a finish moved from a Friday to the next
Monday slipped 1 working day, and a public holiday in between is not counted. Positive is later, negative earlier.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from calendars.workdays import WorkingCalendar
from projects.gantt import schedule

KIND_ORDER = {"milestone": 0, "deliverable": 1, "task": 2}


class Item(NamedTuple):
    """One milestone, deliverable or task of a plan, then or now (a named tuple: a plan has thousands)."""

    kind: str
    id: int
    milestone_id: int
    deliverable_id: int | None
    name: str
    start: date
    end: date
    progress: int
    capex: Decimal
    opex: Decimal
    order: int = 0

    @property
    def cost(self) -> Decimal:
        return self.capex + self.opex


class Row(NamedTuple):
    then: Item | None
    now: Item | None
    state: str  # added, removed, changed or unchanged
    start_slip: int | None = None
    finish_slip: int | None = None

    @property
    def item(self) -> Item:
        return self.now or self.then

    @property
    def progress_change(self) -> int | None:
        return self.now.progress - self.then.progress if self.then and self.now else None

    @property
    def cost_change(self) -> Decimal | None:
        return self.now.cost - self.then.cost if self.then and self.now else None


def slip(calendar: WorkingCalendar, planned: date, current: date) -> int:
    return calendar.working_days_between(planned, current)


def drift_label(days: int) -> str:
    """How the Gantt and the table write a slip: "+4 d", "−2 d" (a real minus), or nothing when on plan."""
    if days == 0:
        return ""
    return f"+{days} d" if days > 0 else f"−{-days} d"


def _state(then: Item, now: Item) -> str:
    same = (then.start, then.end, then.progress, then.capex, then.opex, then.name) == (
        now.start, now.end, now.progress, now.capex, now.opex, now.name)  # fmt: skip
    return "unchanged" if same else "changed"


def compare(then: list[Item], now: list[Item], calendar: WorkingCalendar) -> list[Row]:
    """Every item of either plan, in tree order (milestone, its deliverables, their tasks; each by its order)."""
    before = {(item.kind, item.id): item for item in then}
    after = {(item.kind, item.id): item for item in now}
    slips, rows = {}, []

    def counted(planned: date, current: date) -> int:  # plans share dates: each pair is counted once
        if (planned, current) not in slips:
            slips[planned, current] = slip(calendar, planned, current)
        return slips[planned, current]

    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old and new:
            rows.append(Row(old, new, _state(old, new), counted(old.start, new.start), counted(old.end, new.end)))
        else:
            rows.append(Row(old, new, "removed" if new is None else "added"))
    return tree_order(rows)


def tree_order(rows: list[Row]) -> list[Row]:
    items = [row.item for row in rows]
    milestones = {item.id: (item.order, item.start, item.id) for item in items if item.kind == "milestone"}
    deliverables = {item.id: (item.order, item.start, item.id) for item in items if item.kind == "deliverable"}
    last = (float("inf"),)  # a parent the plans no longer have: after the others

    def key(row: Row) -> tuple:
        item = row.item
        deliverable = () if item.kind == "milestone" else deliverables.get(item.deliverable_id, last)
        return (milestones.get(item.milestone_id, last), item.milestone_id, deliverable, item.deliverable_id or 0,
                KIND_ORDER[item.kind], item.order, item.start, item.id)  # fmt: skip

    return sorted(rows, key=key)


def plan_finish(items: list[Item]) -> date | None:
    """A plan's finish: its latest task end (its latest item end when it has no tasks)."""
    tasks = [item.end for item in items if item.kind == "task"]
    return max(tasks or [item.end for item in items], default=None)


@dataclass
class Summary:
    finish_then: date | None
    finish_now: date | None
    total_slip: int | None
    critical_then: list[Item] = field(default_factory=list)
    critical_now: list[Item] = field(default_factory=list)
    joined: list[Item] = field(default_factory=list)  # on the critical path now, not in the baseline
    left: list[Item] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    cost_then: Decimal = Decimal(0)
    cost_now: Decimal = Decimal(0)


def critical(items: list[Item], links: list[schedule.Link], project_end: date, calendar: WorkingCalendar) -> list[Item]:
    """The critical tasks of a plan, with durations, lags and float in the calendar's working days."""
    tasks = {item.id: item for item in items if item.kind == "task"}
    live = [link for link in links if link.predecessor in tasks and link.successor in tasks]
    ids = schedule.critical_tasks({i: (t.start, t.end) for i, t in tasks.items()}, live, project_end, calendar)
    return sorted((tasks[i] for i in ids), key=lambda item: (item.start, item.id))


def summarise(rows: list[Row], calendar: WorkingCalendar, *, then_links, now_links, then_end: date,
              now_end: date) -> Summary:  # fmt: skip
    """The project's total slip (its finish), the critical path then and now, and what changed."""
    then = [row.then for row in rows if row.then]
    now = [row.now for row in rows if row.now]
    finish_then, finish_now = plan_finish(then), plan_finish(now)
    total = slip(calendar, finish_then, finish_now) if finish_then and finish_now else None
    critical_then = critical(then, then_links, then_end, calendar)
    critical_now = critical(now, now_links, now_end, calendar)
    ids_then, ids_now = {item.id for item in critical_then}, {item.id for item in critical_now}
    counts = dict.fromkeys(("added", "removed", "changed", "unchanged"), 0)
    for row in rows:
        counts[row.state] += 1
    counts["slipped"] = sum(1 for row in rows if row.finish_slip and row.finish_slip > 0)
    return Summary(
        finish_then, finish_now, total, critical_then, critical_now,
        joined=[item for item in critical_now if item.id not in ids_then],
        left=[item for item in critical_then if item.id not in ids_now], counts=counts,
        cost_then=sum((item.cost for item in then if item.kind == "task"), Decimal(0)),
        cost_now=sum((item.cost for item in now if item.kind == "task"), Decimal(0)),
    )  # fmt: skip

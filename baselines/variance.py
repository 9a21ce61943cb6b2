"""Baseline against today's plan, item by item, in working days. Pure: the calendar is passed in, so the figures
can be checked by hand against any calendar (holidays included).

Slip is `calendar.working_days_between(baseline date, current date)`: a finish moved from a Friday to the next
Monday slipped 1 working day, and a public holiday in between is not counted. Positive is later, negative earlier.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from calendars.workdays import WorkingCalendar
from projects.gantt import schedule

KIND_ORDER = {"milestone": 0, "deliverable": 1, "task": 2}


@dataclass(frozen=True)
class Item:
    """One milestone, deliverable or task of a plan, then or now."""

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


@dataclass(frozen=True)
class Row:
    then: Item | None
    now: Item | None
    start_slip: int | None = None
    finish_slip: int | None = None

    @property
    def item(self) -> Item:
        return self.now or self.then

    @property
    def state(self) -> str:
        if self.then is None:
            return "added"
        if self.now is None:
            return "removed"
        same = (self.then.start, self.then.end, self.then.progress, self.then.cost, self.then.name) == (
            self.now.start, self.now.end, self.now.progress, self.now.cost, self.now.name)  # fmt: skip
        return "unchanged" if same else "changed"

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


def compare(then: list[Item], now: list[Item], calendar: WorkingCalendar) -> list[Row]:
    """Every item of either plan, in tree order (milestone, its deliverables, their tasks; each by its order)."""
    before = {(item.kind, item.id): item for item in then}
    after = {(item.kind, item.id): item for item in now}
    rows = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old and new:
            rows.append(Row(old, new, slip(calendar, old.start, new.start), slip(calendar, old.end, new.end)))
        else:
            rows.append(Row(old, new))
    return tree_order(rows)


def tree_order(rows: list[Row]) -> list[Row]:
    milestones = {row.item.id: row.item for row in rows if row.item.kind == "milestone"}
    deliverables = {row.item.id: row.item for row in rows if row.item.kind == "deliverable"}

    def position(item: Item | None) -> tuple:
        return (1, 0, 0) if item is None else (0, item.order, item.start.toordinal(), item.id)

    def key(row: Row) -> tuple:
        item = row.item
        return (position(milestones.get(item.milestone_id)), item.milestone_id,
                position(deliverables.get(item.deliverable_id)) if item.kind != "milestone" else (),
                item.deliverable_id or 0, KIND_ORDER[item.kind], position(item))  # fmt: skip

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


def critical(items: list[Item], links: list[schedule.Link], project_end: date) -> list[Item]:
    tasks = {item.id: item for item in items if item.kind == "task"}
    live = [link for link in links if link.predecessor in tasks and link.successor in tasks]
    ids = schedule.critical_tasks({i: (t.start, t.end) for i, t in tasks.items()}, live, project_end)
    return sorted((tasks[i] for i in ids), key=lambda item: (item.start, item.id))


def summarise(rows: list[Row], calendar: WorkingCalendar, *, then_links, now_links, then_end: date,
              now_end: date) -> Summary:  # fmt: skip
    """The project's total slip (its finish), the critical path then and now, and what changed."""
    then = [row.then for row in rows if row.then]
    now = [row.now for row in rows if row.now]
    finish_then, finish_now = plan_finish(then), plan_finish(now)
    total = slip(calendar, finish_then, finish_now) if finish_then and finish_now else None
    critical_then, critical_now = critical(then, then_links, then_end), critical(now, now_links, now_end)
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

"""What a project's finish-to-start dependencies imply for its planned dates.

A successor may start on the first working day after its predecessor ends, plus the lag in working days. A task
starting earlier than that is a violation. The critical path is the classic one (forward and backward pass, total
float = latest start - earliest start), with durations, lags and floats in working days of the project's calendar
(calendars.selectors.calendar_for_project); the tasks with the least float are critical: any delay to them delays
the project's end first. Without a calendar every day counts.
"""

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date

from calendars.workdays import WorkingCalendar

EVERY_DAY = WorkingCalendar(weekdays=frozenset(range(7)))


@dataclass(frozen=True)
class Link:
    predecessor: int
    successor: int
    lag_days: int


def earliest_start(pred_end: date, lag_days: int, calendar: WorkingCalendar | None = None) -> date:
    """The first working day after `pred_end`, then `lag_days` working days on (a negative lag is a lead)."""
    return (calendar or EVERY_DAY).add_working_days(pred_end, 1 + lag_days)


def violations(
    spans: dict[int, tuple[date, date]], links: list[Link], calendar: WorkingCalendar | None = None
) -> dict[int, list[tuple[int, date]]]:
    """Successor id → [(predecessor id, earliest allowed start)] for each link its start breaks."""
    found = defaultdict(list)
    for link in links:
        allowed = earliest_start(spans[link.predecessor][1], link.lag_days, calendar)
        if spans[link.successor][0] < allowed:
            found[link.successor].append((link.predecessor, allowed))
    return dict(found)


def _topological(ids, links: list[Link]) -> list[int]:
    successors, incoming = defaultdict(list), dict.fromkeys(ids, 0)
    for link in links:
        successors[link.predecessor].append(link.successor)
        incoming[link.successor] += 1
    queue, order = deque(i for i in ids if incoming[i] == 0), []
    while queue:
        node = queue.popleft()
        order.append(node)
        for nxt in successors[node]:
            incoming[nxt] -= 1
            if incoming[nxt] == 0:
                queue.append(nxt)
    return order


def critical_tasks(
    spans: dict[int, tuple[date, date]], links: list[Link], project_end: date, calendar: WorkingCalendar | None = None
) -> set[int]:
    """Ids of the tasks with the least total float (the graph is acyclic: the service refuses loops).

    Forward pass: a task starts at its planned start or when its predecessors allow, whichever is later. Backward
    pass: it must finish by the project's end or in time for its successors' latest starts. A task's length is the
    working days from its start to its end.
    """
    if not spans:
        return set()
    cal = calendar or EVERY_DAY
    incoming, outgoing = defaultdict(list), defaultdict(list)
    for link in links:
        incoming[link.successor].append(link)
        outgoing[link.predecessor].append(link)
    order = _topological(spans, links)
    length = {task: cal.working_days_between(*spans[task]) for task in spans}
    early_start = {}
    for task in order:
        allowed = [
            earliest_start(cal.add_working_days(early_start[k.predecessor], length[k.predecessor]), k.lag_days, cal)
            for k in incoming[task]
        ]
        early_start[task] = max([spans[task][0], *allowed])
    late_start = {}
    for task in reversed(order):
        latest = (cal.add_working_days(late_start[k.successor], -1 - k.lag_days) for k in outgoing[task])
        late_start[task] = cal.add_working_days(min([project_end, *latest]), -length[task])
    floats = {task: cal.working_days_between(early_start[task], late_start[task]) for task in spans}
    least = min(floats.values())
    return {task for task, slack in floats.items() if slack == least}


def reaches(links: list[Link], start: int, target: int) -> bool:
    """Is `target` reachable from `start` along predecessor → successor links?"""
    successors = defaultdict(list)
    for link in links:
        successors[link.predecessor].append(link.successor)
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == target:
            return True
        for nxt in successors[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False

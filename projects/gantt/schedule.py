"""What a project's finish-to-start dependencies imply for its planned dates.

A successor may start on the day after its predecessor ends, plus the lag. A task starting earlier than that is a
violation. The critical path is found with a backward pass over the plan: each task's latest finish is the
project's end date, or the latest date that still lets every successor start by its own latest start. A task's
float is its latest finish minus its planned end; the tasks with the least float are critical (they set the end).
"""

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Link:
    predecessor: int
    successor: int
    lag_days: int


def earliest_start(pred_end: date, lag_days: int) -> date:
    return pred_end + timedelta(days=1 + lag_days)


def violations(spans: dict[int, tuple[date, date]], links: list[Link]) -> dict[int, list[tuple[int, date]]]:
    """Successor id → [(predecessor id, earliest allowed start)] for each link its start breaks."""
    found = defaultdict(list)
    for link in links:
        allowed = earliest_start(spans[link.predecessor][1], link.lag_days)
        if spans[link.successor][0] < allowed:
            found[link.successor].append((link.predecessor, allowed))
    return dict(found)


def _reverse_topological(ids, links: list[Link]) -> list[int]:
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
    return order[::-1]


def critical_tasks(spans: dict[int, tuple[date, date]], links: list[Link], project_end: date) -> set[int]:
    """Ids of the tasks with the least float (the dependency graph is acyclic: the service refuses loops)."""
    if not spans:
        return set()
    outgoing = defaultdict(list)
    for link in links:
        outgoing[link.predecessor].append(link)
    latest_finish = {}
    for task in _reverse_topological(spans, links):
        finish = project_end
        for link in outgoing[task]:
            start, end = spans[link.successor]
            latest_start = latest_finish[link.successor] - (end - start)
            finish = min(finish, latest_start - timedelta(days=1 + link.lag_days))
        latest_finish[task] = finish
    floats = {task: (latest_finish[task] - spans[task][1]).days for task in spans}
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

"""What a project's finish-to-start dependencies imply for its planned dates.

A successor may start on the day after its predecessor ends, plus the lag. A task starting earlier than that is a
violation. The critical path is the classic one (forward and backward pass, total float = latest start - earliest
start); the tasks with the least float are critical: any delay to them delays the project's end first.
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


def critical_tasks(spans: dict[int, tuple[date, date]], links: list[Link], project_end: date) -> set[int]:
    """Ids of the tasks with the least total float (the graph is acyclic: the service refuses loops).

    Forward pass: a task starts at its planned start or when its predecessors allow, whichever is later. Backward
    pass: it must finish by the project's end or in time for its successors' latest starts.
    """
    if not spans:
        return set()
    incoming, outgoing = defaultdict(list), defaultdict(list)
    for link in links:
        incoming[link.successor].append(link)
        outgoing[link.predecessor].append(link)
    order = _topological(spans, links)
    length = {task: spans[task][1] - spans[task][0] for task in spans}
    early_start = {}
    for task in order:
        allowed = [
            earliest_start(early_start[k.predecessor] + length[k.predecessor], k.lag_days) for k in incoming[task]
        ]
        early_start[task] = max([spans[task][0], *allowed])
    late_start = {}
    for task in reversed(order):
        finish = min([project_end, *(late_start[k.successor] - timedelta(days=1 + k.lag_days) for k in outgoing[task])])
        late_start[task] = finish - length[task]
    floats = {task: (late_start[task] - early_start[task]).days for task in spans}
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

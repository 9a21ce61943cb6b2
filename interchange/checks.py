"""Everything that would stop a plan from being written, found before anything is: each problem with its row.

The checks read the database only to know the organisation's people (one query) and, when importing into an existing
project, that project's dates. The same checks run again at confirmation, under the project's lock, since people and
dates may have changed since the preview.
"""

from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.formats import date_format

from accounts.models import User
from interchange.plan import LAG_LIMIT, MILESTONE, PARENT_LEVEL, TASK, Plan, index_by_ref


@dataclass
class Verdict:
    problems: list = field(default_factory=list)
    owners: dict = field(default_factory=dict)  # lower-cased email → user id

    def add(self, row: int, message: str) -> None:
        self.problems.append({"row": row, "message": message})

    @property
    def ok(self) -> bool:
        return not self.problems


def prune_links(plan: Plan) -> None:
    """Leave out (with a note) links PIT cannot hold: to or from a milestone or deliverable, and repeats."""
    by_ref = index_by_ref(plan)
    for item in plan.items:
        if item.level != TASK:
            for ref, _ in item.preds:
                plan.note(item.row, f"The link from “{ref}” to the {item.level} “{item.name}” is left out: PIT "
                          "links tasks only.")  # fmt: skip
            item.preds = []
            continue
        kept, seen = [], set()
        for ref, lag in item.preds:
            target = by_ref.get(ref)
            if target is not None and plan.items[target].level != TASK:
                plan.note(item.row, f"The link from the {plan.items[target].level} “{plan.items[target].name}” to "
                          f"“{item.name}” is left out: PIT links tasks only.")  # fmt: skip
            elif ref not in seen:
                seen.add(ref)
                kept.append([ref, lag])
        item.preds = kept


def check(plan: Plan, *, org, project=None) -> Verdict:
    verdict = Verdict(problems=list(plan.problems))
    if not plan.items:
        verdict.add(1, "The file has no milestones, deliverables or tasks.")
        return verdict
    _check_items(plan, verdict, project)
    _check_owners(plan, verdict, org)
    _check_links(plan, verdict)
    verdict.problems.sort(key=lambda problem: problem["row"])
    return verdict


def _span(start, finish) -> str:
    return f"{date_format(start, 'j M Y')} – {date_format(finish, 'j M Y')}"


def _check_items(plan: Plan, verdict: Verdict, project) -> None:
    unreadable = {problem["row"] for problem in plan.problems}  # a bad date is not also reported as missing
    for item in plan.items:
        if not item.name:
            verdict.add(item.row, f"This {item.level} has no name.")
        parent = plan.items[item.parent] if item.parent is not None else None
        if item.level in PARENT_LEVEL and (parent is None or parent.level != PARENT_LEVEL[item.level]):
            if item.row not in unreadable:  # the reader said it already
                verdict.add(item.row, f"This {item.level} has no {PARENT_LEVEL[item.level]} above it.")
            continue
        start, finish = item.start_date, item.finish_date
        if (start is None or finish is None) and item.row in unreadable:
            continue
        if start is None or finish is None:
            missing = " and ".join(label for label, day in (("start", start), ("finish", finish)) if day is None)
            verdict.add(item.row, f"“{item.name}” has no {missing} date.")
            continue
        if finish < start:
            verdict.add(item.row, f"“{item.name}” finishes ({finish:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).")
            continue
        bounds = (parent.start_date, parent.finish_date, f"{parent.level} “{parent.name}”") if parent else None
        if item.level == MILESTONE and project is not None:
            bounds = (project.start_date, project.end_date, f"project “{project.name}”")
        if bounds and bounds[0] and bounds[1] and (start < bounds[0] or finish > bounds[1]):
            verdict.add(item.row, f"“{item.name}” ({_span(start, finish)}) lies outside its {bounds[2]} "
                        f"({_span(bounds[0], bounds[1])}).")  # fmt: skip


def _check_owners(plan: Plan, verdict: Verdict, org) -> None:
    emails = {item.owner.lower() for item in plan.items if item.owner}
    people = User.objects.filter(org=org, is_active=True).annotate(lower=Lower("email")).filter(lower__in=emails)
    verdict.owners = dict(people.values_list("lower", "pk"))
    for item in plan.items:
        if item.owner and item.owner.lower() not in verdict.owners:
            verdict.add(item.row, f"Owner “{item.owner}” is not an active person of this organisation.")


def _check_links(plan: Plan, verdict: Verdict) -> None:
    by_ref, first_row = {}, {}
    for index, item in enumerate(plan.items):
        if not item.ref:
            continue
        if item.ref in first_row:
            verdict.add(item.row, f"Id “{item.ref}” is used by row {first_row[item.ref]} already.")
        else:
            by_ref[item.ref], first_row[item.ref] = index, item.row
    successors = defaultdict(list)
    for index, item in enumerate(plan.items):
        for ref, lag in item.preds:
            target = by_ref.get(ref)
            if target is None:
                verdict.add(item.row, f"Predecessor “{ref}” of “{item.name}” is not in the file.")
            elif target == index:
                verdict.add(item.row, f"“{item.name}” cannot depend on itself.")
            elif not -LAG_LIMIT <= lag <= LAG_LIMIT:
                verdict.add(item.row, f"The lag of {lag} days after “{ref}” is outside ±{LAG_LIMIT} days.")
            else:
                successors[target].append(index)
    _check_loops(plan, verdict, successors)


def _check_loops(plan: Plan, verdict: Verdict, successors) -> None:
    """Kahn's algorithm: the tasks it cannot order are in a loop or wait for one; trimming those that lead nowhere
    leaves the loops."""
    incoming = defaultdict(int)
    for targets in successors.values():
        for target in targets:
            incoming[target] += 1
    queue = deque(i for i, item in enumerate(plan.items) if item.level == TASK and not incoming[i])
    while queue:
        for target in successors[queue.popleft()]:
            incoming[target] -= 1
            if not incoming[target]:
                queue.append(target)
    stuck = {i for i, count in incoming.items() if count > 0}
    while sinks := {i for i in stuck if not any(t in stuck for t in successors[i])}:
        stuck -= sinks  # tasks that only wait for a loop are not in it
    rows = sorted(plan.items[i].row for i in stuck)
    for i in sorted(stuck, key=lambda i: plan.items[i].row):
        others = ", ".join(str(row) for row in rows if row != plan.items[i].row)
        verdict.add(plan.items[i].row, f"“{plan.items[i].name}” is in a dependency loop (with rows {others}).")

"""Reads for plan import and export: a project's plan as export rows, a staged import's preview."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator

from interchange.models import PendingImport
from interchange.plan import Plan
from pit.tenancy import get_for_org_or_404
from projects.models import Deliverable, Milestone, Task, TaskDependency


@dataclass
class Row:
    """One item of an exported plan, in outline order."""

    number: int  # ID and UID in MSPDI, the id column of the template
    level: str
    outline: str  # "2.1.3"
    name: str
    start: object
    finish: object
    owner_email: str
    owner_name: str
    progress: int
    capex: object = None
    opex: object = None
    preds: list = field(default_factory=list)  # [(number, lag days)]

    @property
    def depth(self) -> int:
        return self.outline.count(".") + 1


def plan_rows(project) -> list[Row]:
    """The project's live milestones, deliverables and tasks in tree order, numbered 1..n (four queries)."""

    def live(model):
        return model.objects.filter(project=project).select_related("owner").order_by("order_index", "start_date", "pk")

    deliverables, tasks = {}, {}
    for deliverable in live(Deliverable):
        deliverables.setdefault(deliverable.milestone_id, []).append(deliverable)
    for task in live(Task):
        tasks.setdefault(task.deliverable_id, []).append(task)
    rows, number_of = [], {}
    for m_no, milestone in enumerate(live(Milestone), start=1):
        rows.append(_row(len(rows) + 1, "milestone", f"{m_no}", milestone, milestone.progress_percent))
        for d_no, deliverable in enumerate(deliverables.get(milestone.pk, []), start=1):
            rows.append(_row(len(rows) + 1, "deliverable", f"{m_no}.{d_no}", deliverable, deliverable.progress_percent))
            for t_no, task in enumerate(tasks.get(deliverable.pk, []), start=1):
                row = _row(len(rows) + 1, "task", f"{m_no}.{d_no}.{t_no}", task, task.progress_percent)
                row.capex, row.opex = task.capex_cost, task.opex_cost
                number_of[task.pk] = row.number
                rows.append(row)
    by_number = {row.number: row for row in rows}
    links = TaskDependency.objects.filter(project=project).order_by("pk")
    for pred, succ, lag in links.values_list("predecessor_id", "successor_id", "lag_days"):
        if pred in number_of and succ in number_of:  # both live
            by_number[number_of[succ]].preds.append((number_of[pred], lag))
    return rows


def _row(number: int, level: str, outline: str, obj, progress: int) -> Row:
    return Row(number=number, level=level, outline=outline, name=obj.name, start=obj.start_date,
               finish=obj.end_date, owner_email=obj.owner.email, owner_name=obj.owner.name,
               progress=progress)  # fmt: skip


def sheet_rows(rows: list[Row]) -> list[list]:
    """The template's columns for each row (dates as dates, so a spreadsheet shows them as such)."""
    return [
        [str(row.number), row.level, row.name, row.start, row.finish, row.owner_email,
         row.capex if row.level == "task" else None, row.opex if row.level == "task" else None,
         row.progress if row.level == "task" else None,
         ", ".join(f"{n}{lag:+d}d" if lag else str(n) for n, lag in row.preds)]
        for row in rows
    ]  # fmt: skip


def pending_for(request, pk: int) -> PendingImport:
    """A staged import of the person's organisation, made by them, not yet confirmed nor expired (else a 404)."""
    return get_for_org_or_404(
        PendingImport.objects.open().filter(created_by=request.user).select_related("project"), request.org, pk=pk
    )


@dataclass
class Preview:
    plan: Plan
    counts: dict
    problems: list
    notes: list
    page: object  # the items of this page, each with its level, name, dates, owner, parent's name


def preview(pending: PendingImport, page_number) -> Preview:
    plan = Plan.from_json(pending.plan)
    items = [
        {"row": item.row, "level": item.level, "name": item.name, "start": item.start_date,
         "finish": item.finish_date, "owner": item.owner, "progress": item.progress, "capex": item.capex,
         "opex": item.opex, "preds": ", ".join(f"{ref}{lag:+d}d" if lag else ref for ref, lag in item.preds),
         "depth": {"milestone": 0, "deliverable": 1, "task": 2}[item.level]}
        for item in plan.items
    ]  # fmt: skip
    page = Paginator(items, 200).get_page(page_number)
    return Preview(plan=plan, counts=plan.counts(), problems=pending.problems, notes=plan.notes, page=page)

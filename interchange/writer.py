"""Writing a checked plan into a project, set-based: one INSERT per level (with its history rows and its audit rows),
one for the dependencies, one roll-up. The per-item services (projects.services.create_task,
projects.dependencies.add_dependency) lock the project and recompute its roll-ups on every call, which for a
2,000-task plan takes minutes; this does the same validation and bookkeeping once per level (bench/interchange.py).

The caller holds the project's lock (projects.services.settling), inside one transaction.
"""

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from interchange.plan import DELIVERABLE, MILESTONE, TASK, Plan, index_by_ref
from notifications.services import notify_each
from pit import audit
from pit.tenancy import org_of
from projects import services
from projects.models import Deliverable, Milestone, Task, TaskDependency

BATCH = 1000


def write(plan: Plan, *, actor, project, owners: dict) -> dict:
    """Create the plan's items under `project`; returns how many of each were made."""
    people = {user.pk: user for user in User.objects.filter(pk__in=set(owners.values()))}
    made: dict[int, object] = {}  # item index → saved row

    def owner_of(item):
        return people[owners[item.owner.lower()]] if item.owner else actor

    first = services.next_order_index(project.milestones.all())  # after the project's own milestones
    milestones = _rows(plan, MILESTONE, made, lambda item, index: Milestone(
        project=project, name=item.name, owner=owner_of(item), start_date=item.start_date,
        end_date=item.finish_date, order_index=first + index))  # fmt: skip
    _save(actor, project, Milestone, milestones)
    deliverables = _rows(plan, DELIVERABLE, made, lambda item, index: _deliverable(
        made[item.parent], name=item.name, owner=owner_of(item), start_date=item.start_date,
        end_date=item.finish_date, order_index=index))  # fmt: skip
    _save(actor, project, Deliverable, deliverables)
    tasks = _rows(plan, TASK, made, lambda item, index: _task(
        made[item.parent], name=item.name, owner=owner_of(item), start_date=item.start_date,
        end_date=item.finish_date, order_index=index, progress_percent=item.progress,
        capex_cost=item.costs[0], opex_cost=item.costs[1]))  # fmt: skip
    _save(actor, project, Task, tasks)
    links = _links(actor, plan, made, project)
    notify_each("task_assigned", [(task, [task.owner]) for task in tasks], actor=actor)
    return {"milestones": len(milestones), "deliverables": len(deliverables), "tasks": len(tasks),
            "dependencies": len(links)}  # fmt: skip


def _rows(plan: Plan, level: str, made: dict, build) -> list:
    """Build the rows of one level in file order; order_index counts among siblings."""
    rows, siblings = [], {}
    for index, item in enumerate(plan.items):
        if item.level == level:
            position = siblings.get(item.parent, 0)
            siblings[item.parent] = position + 1
            made[index] = build(item, position)
            rows.append(made[index])
    return rows


def _deliverable(milestone, **fields) -> Deliverable:
    return Deliverable(milestone=milestone, project=milestone.project, **fields)  # aligned, with no query


def _task(deliverable, **fields) -> Task:
    task = Task(deliverable=deliverable, milestone=deliverable.milestone, project=deliverable.project, **fields)
    services.fill_task_derived(task, was_status=None)  # duration, financial year, status: as create_task does
    return task


def _save(actor, project, model, rows) -> None:
    """Validate each row as a service would, insert them with their history rows, and audit each."""
    foreign_keys = [field.name for field in model._meta.concrete_fields if field.is_relation]
    for row in rows:  # the rules of the model's clean(); the keys are rows just made, unique and constraints checked
        row.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
    bulk_create_with_history(rows, model, batch_size=BATCH, default_user=actor)
    audit.record_each(
        actor=actor, org=org_of(project), action="CREATE", table_name=model._meta.db_table,
        afters={row.pk: audit.snapshot(row) for row in rows},
    )  # fmt: skip


def _links(actor, plan: Plan, made: dict, project) -> list:
    by_ref = index_by_ref(plan)
    links = [
        TaskDependency(project=project, predecessor=made[by_ref[ref]], successor=made[index], lag_days=lag)
        for index, item in enumerate(plan.items)
        for ref, lag in item.preds
    ]
    TaskDependency.objects.bulk_create(links, batch_size=BATCH)
    audit.record_each(
        actor=actor, org=org_of(project), action="CREATE", table_name=TaskDependency._meta.db_table,
        afters={link.pk: audit.snapshot(link) for link in links},
    )  # fmt: skip
    return links

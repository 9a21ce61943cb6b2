"""Writes to the project hierarchy. One function per use case; each validates, saves and audits in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evidence.models import Evidence
from pit import audit
from pit.tenancy import org_of
from projects.models import Deliverable, Milestone, Project, Task

# What soft-deleting a row takes with it: (model, lookup from that model to the deleted row).
SUBTREE = {
    Project: [(Milestone, "project"), (Deliverable, "project"), (Task, "project"), (Evidence, "task__project")],
    Milestone: [(Deliverable, "milestone"), (Task, "milestone"), (Evidence, "task__milestone")],
    Deliverable: [(Task, "deliverable"), (Evidence, "task__deliverable")],
    Task: [(Evidence, "task")],
    Evidence: [],
}
PARENT = {Milestone: "project", Deliverable: "milestone", Task: "deliverable", Evidence: "task"}


def _save(actor, obj, *, before=None):
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        org=org_of(obj),
        action="UPDATE" if before is not None else "CREATE",
        instance=obj,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


@transaction.atomic
def create_project(*, actor, org, **fields) -> Project:
    return _save(actor, Project(org=org, **fields))


@transaction.atomic
def create_milestone(*, actor, project: Project, **fields) -> Milestone:
    return _save(actor, Milestone(project=project, **fields))


@transaction.atomic
def create_deliverable(*, actor, milestone: Milestone, **fields) -> Deliverable:
    deliverable = Deliverable(milestone=milestone, **fields)
    deliverable.align_to_milestone()
    return _save(actor, deliverable)


@transaction.atomic
def create_task(*, actor, deliverable: Deliverable, **fields) -> Task:
    task = Task(deliverable=deliverable, **fields)
    task.align_to_deliverable()
    fill_task_derived(task)
    return _save(actor, task)


def fill_task_derived(task: Task) -> None:
    """Columns that follow from others: duration in days (inclusive) and the financial year of the cost."""
    if task.start_date and task.end_date:
        task.duration_days = max((task.end_date - task.start_date).days + 1, 1)
        task.fy_allocation = task.deliverable.project.org.financial_year(task.start_date)


@transaction.atomic
def update(*, actor, obj, **changes):
    """Change fields of a hierarchy row; a re-parented child follows its new parent's project/milestone."""
    model = type(obj)
    locked = model.all_objects.select_for_update().get(pk=obj.pk)
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    if isinstance(locked, Deliverable):
        locked.align_to_milestone()
    if isinstance(locked, Task):
        locked.align_to_deliverable()
        fill_task_derived(locked)
    return _save(actor, locked, before=before)


def _subtree(obj):
    return [(model, model.objects.filter(**{lookup: obj})) for model, lookup in SUBTREE[type(obj)]]


@transaction.atomic
def soft_delete(*, actor, obj):
    """Delete a row and everything under it; restoring brings back exactly what this deletion took."""
    if obj.deleted_at is not None:
        raise ValidationError(f"“{obj}” is already deleted.")
    now = timezone.now()
    org = org_of(obj)
    cascade = {}
    for model, rows in _subtree(obj):
        ids = list(rows.values_list("pk", flat=True))
        model.all_objects.filter(pk__in=ids).update(deleted_at=now)
        audit.record_rows(
            actor=actor, org=org, action="DELETE", table_name=model._meta.db_table, record_ids=ids,
            after={"deleted_at": now.isoformat(), "with": f"{type(obj)._meta.db_table}:{obj.pk}"},
        )  # fmt: skip
        cascade[model._meta.db_table] = len(ids)
    before = audit.snapshot(obj)
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=now)
    obj.deleted_at = now
    audit.record(actor=actor, org=org, action="DELETE", instance=obj, before=before, after={"cascade": cascade})
    return cascade


@transaction.atomic
def restore(*, actor, obj):
    if obj.deleted_at is None:
        raise ValidationError(f"“{obj}” is not deleted.")
    parent_field = PARENT.get(type(obj))
    parent = getattr(obj, parent_field) if parent_field else None
    if parent is not None and parent.deleted_at is not None:
        raise ValidationError(f"Restore its {parent_field} “{parent}” first.")
    org = org_of(obj)
    deleted_at = obj.deleted_at
    for model, lookup in SUBTREE[type(obj)]:
        rows = model.all_objects.filter(**{lookup: obj, "deleted_at": deleted_at})
        ids = list(rows.values_list("pk", flat=True))
        model.all_objects.filter(pk__in=ids).update(deleted_at=None)
        audit.record_rows(
            actor=actor, org=org, action="RESTORE", table_name=model._meta.db_table, record_ids=ids,
            after={"with": f"{type(obj)._meta.db_table}:{obj.pk}"},
        )  # fmt: skip
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=None)
    obj.deleted_at = None
    audit.record(actor=actor, org=org, action="RESTORE", instance=obj, before={"deleted_at": deleted_at.isoformat()})
    return obj

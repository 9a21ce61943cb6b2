"""Writes to the project hierarchy. One function per use case; each validates, saves, audits and brings the roll-ups
up to date in one transaction, holding the project's row lock so concurrent edits of a project queue up."""

from contextlib import contextmanager
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from calendars.selectors import calendar_for_project
from decisions import blocking
from decisions.services import links as task_links
from evidence.models import ACCEPTED_Q, Evidence
from notifications.services import notify
from pit import audit
from pit.enums import TaskStatus
from pit.tenancy import org_of
from projects import rollups
from projects.models import Deliverable, Milestone, Project, Task
from projects.status import status_on
from watchdog import tasks as watchdog_tasks

# What soft-deleting a row takes with it: (model, lookup from that model to the deleted row).
SUBTREE = {
    Project: [(Milestone, "project"), (Deliverable, "project"), (Task, "project"), (Evidence, "task__project")],
    Milestone: [(Deliverable, "milestone"), (Task, "milestone"), (Evidence, "task__milestone")],
    Deliverable: [(Task, "deliverable"), (Evidence, "task__deliverable")],
    Task: [(Evidence, "task")],
    Evidence: [],
}
PARENT = {Milestone: "project", Deliverable: "milestone", Task: "deliverable", Evidence: "task"}
EVIDENCE_FIRST = "This task needs accepted evidence before it can be completed: upload evidence and have it reviewed."
REOPEN = "open"  # a person's "not done after all": the status follows the dates again


def project_id_of(obj) -> int:
    if isinstance(obj, Project):
        return obj.pk
    return obj.task.project_id if isinstance(obj, Evidence) else obj.project_id


@contextmanager
def settling(*project_ids):
    """Lock these projects (in id order, so two writers never deadlock), run the write, then recompute roll-ups."""
    ids = sorted({pk for pk in project_ids if pk is not None})
    list(Project.all_objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    yield
    rollups.recompute(ids)
    for pk in ids:  # the watchdog looks at the changed project soon after (debounced, after commit)
        transaction.on_commit(partial(watchdog_tasks.scan_project_soon, pk), robust=True)


def save_and_audit(actor, obj, *, before=None):
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
    project = save_and_audit(actor, Project(org=org, **fields))
    with settling(project.pk):
        return project


def next_order_index(siblings) -> int:
    """A new child goes after its siblings."""
    last = siblings.aggregate(last=Max("order_index"))["last"]
    return 0 if last is None else last + 1


@transaction.atomic
def create_milestone(*, actor, project: Project, **fields) -> Milestone:
    with settling(project.pk):
        fields.setdefault("order_index", next_order_index(project.milestones.all()))
        return save_and_audit(actor, Milestone(project=project, **fields))


@transaction.atomic
def create_deliverable(*, actor, milestone: Milestone, **fields) -> Deliverable:
    with settling(milestone.project_id):
        fields.setdefault("order_index", next_order_index(milestone.deliverables.all()))
        deliverable = Deliverable(milestone=milestone, **fields)
        deliverable.align_to_milestone()
        return save_and_audit(actor, deliverable)


@transaction.atomic
def create_task(*, actor, deliverable: Deliverable, **fields) -> Task:
    with settling(deliverable.project_id):
        fields.setdefault("order_index", next_order_index(deliverable.tasks.all()))
        task = Task(deliverable=deliverable, **fields)
        task.align_to_deliverable()
        fill_task_derived(task, was_status=None)
        save_and_audit(actor, task)
        tell_assigned(actor, task, before=set())
        return task


def tell_assigned(actor, task: Task, *, before: set) -> None:
    """Notify the people a task has just been given to (its owner or an assignee, who were neither before)."""
    if new := {task.owner_id, *(task.assignees or [])} - before:
        notify("task_assigned", User.objects.filter(pk__in=new), task, actor=actor)


def has_accepted_evidence(task: Task) -> bool:
    return Evidence.objects.filter(ACCEPTED_Q, task=task).exists()


def fill_task_derived(task: Task, *, was_status: str | None, was_progress: int | None = None) -> None:
    """What follows from a task's other fields: duration, financial year, and the status rules."""
    if not (task.start_date and task.end_date):
        return
    task.duration_days = max((task.end_date - task.start_date).days + 1, 1)
    org = task.deliverable.project.org
    task.fy_allocation = org.financial_year(task.start_date)
    _apply_completion(task, was_status)
    if task.status != TaskStatus.BLOCKED:
        task.blocked_reason = ""
    task.status = status_on(task, org.today())
    _stamp_changes(task, was_status, was_progress)


def _stamp_changes(task: Task, was_status: str | None, was_progress: int | None) -> None:
    """When progress last moved and since when the task is blocked: what the watchdog's stall rules measure."""
    if task.status != TaskStatus.BLOCKED:
        task.blocked_at = None
    elif was_status != TaskStatus.BLOCKED:
        task.blocked_at = timezone.now()
    if was_progress is not None and task.progress_percent != was_progress:
        task.progress_changed_at = timezone.now()


def _apply_completion(task: Task, was_status: str | None) -> None:
    """Progress 100 means completed and completed means 100; lowering a completed task's progress reopens it, and
    a reopened task is at most 99 % done. Completing a task that requires evidence needs accepted evidence first."""
    done = TaskStatus.COMPLETED
    if was_status == done and (task.status != done or task.progress_percent < 100):
        task.status = TaskStatus.NOT_STARTED if task.status == done else task.status
        task.progress_percent = min(task.progress_percent, 99)
    elif task.progress_percent == 100:
        task.status = done
    if task.status == done:
        if was_status != done and task.requires_evidence and not (task.pk and has_accepted_evidence(task)):
            raise ValidationError({"status": EVIDENCE_FIRST})
        if was_status != done:
            blocking.refuse_completion_while_undecided(task)
        task.progress_percent = 100


@transaction.atomic
def update(*, actor, obj, **changes):
    """Change fields of a hierarchy row; a re-parented child follows its new parent's project/milestone."""
    model = type(obj)
    new_parent = changes.get(PARENT.get(model, ""))
    with settling(project_id_of(obj), new_parent and project_id_of(new_parent)):
        locked = model.all_objects.select_for_update().get(pk=obj.pk)
        before = audit.snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        if isinstance(locked, Deliverable):
            locked.align_to_milestone()
        if isinstance(locked, Task):
            locked.align_to_deliverable()
            fill_task_derived(locked, was_status=before["status"], was_progress=before["progress_percent"])
        saved = save_and_audit(actor, locked, before=before)
        if isinstance(saved, Task):
            tell_assigned(actor, saved, before={before["owner_id"], *(before["assignees"] or [])})
            if saved.status == TaskStatus.COMPLETED and before["status"] != saved.status:
                task_links.award_credit(actor=actor, task=saved)  # its owner's skills credit
        return saved


def reschedule(*, actor, task: Task, start_date) -> Task:
    """Move a task to start on `start_date`, keeping its duration in working days of the project's calendar."""
    calendar = calendar_for_project(task.project)
    end_date = calendar.add_working_days(start_date, calendar.working_days_between(task.start_date, task.end_date))
    return update(actor=actor, obj=task, start_date=start_date, end_date=end_date)


def set_task_status(*, actor, task: Task, status: str, blocked_reason: str = "") -> Task:
    """A person's status change: completed, blocked (with a reason) or REOPEN (back to following the dates)."""
    if status == REOPEN:
        return update(actor=actor, obj=task, status=TaskStatus.NOT_STARTED)
    if status == TaskStatus.COMPLETED:
        return update(actor=actor, obj=task, status=status)
    if status == TaskStatus.BLOCKED:
        if not blocked_reason.strip():
            raise ValidationError({"blocked_reason": "Say why the task is blocked."})
        return update(actor=actor, obj=task, status=status, blocked_reason=blocked_reason.strip())
    raise ValidationError({"status": "Choose completed, blocked or open; the other statuses follow the dates."})


def set_task_progress(*, actor, task: Task, progress_percent) -> Task:
    try:
        value = int(progress_percent)
    except (TypeError, ValueError):
        raise ValidationError({"progress_percent": "Enter progress as a whole number from 0 to 100."}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress_percent": "Progress must be between 0 and 100."})
    return update(actor=actor, obj=task, progress_percent=value)


@transaction.atomic
def move(*, actor, obj, offset: int):
    """Move a milestone, deliverable or task `offset` places among its live siblings (renumbering them 0..n-1)."""
    parent_field = PARENT[type(obj)]
    with settling(obj.project_id):
        siblings = list(
            type(obj).objects.select_for_update()
            .filter(**{f"{parent_field}_id": getattr(obj, f"{parent_field}_id")})
            .order_by("order_index", "start_date", "pk")
        )  # fmt: skip
        index = next(i for i, row in enumerate(siblings) if row.pk == obj.pk)
        target = min(max(index + offset, 0), len(siblings) - 1)
        siblings.insert(target, siblings.pop(index))
        org = org_of(obj)
        for position, row in enumerate(siblings):
            if row.order_index != position:
                before = {"order_index": row.order_index}
                type(obj).objects.filter(pk=row.pk).update(order_index=position, updated_at=timezone.now())
                row.order_index = position
                audit.record(
                    actor=actor, org=org, action="UPDATE", instance=row, before=before, after={"order_index": position}
                )
    return target


def _subtree(obj):
    return [(model, model.objects.filter(**{lookup: obj})) for model, lookup in SUBTREE[type(obj)]]


@transaction.atomic
def soft_delete(*, actor, obj):
    """Delete a row and everything under it; restoring brings back exactly what this deletion took."""
    if obj.deleted_at is not None:
        raise ValidationError(f"“{obj}” is already deleted.")
    with settling(project_id_of(obj)):
        return _soft_delete(actor, obj)


def _soft_delete(actor, obj):
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
    with settling(project_id_of(obj)):
        return _restore(actor, obj)


def _restore(actor, obj):
    parent_field = PARENT.get(type(obj))
    parent = getattr(obj, parent_field) if parent_field else None
    if parent is not None and parent.deleted_at is not None:
        raise ValidationError(f"Restore its {parent_field} “{parent}” first.")
    org = org_of(obj)
    deleted_at, now = obj.deleted_at, timezone.now()
    for model, lookup in SUBTREE[type(obj)]:
        rows = model.all_objects.filter(**{lookup: obj, "deleted_at": deleted_at})
        ids = list(rows.values_list("pk", flat=True))
        model.all_objects.filter(pk__in=ids).update(deleted_at=None, updated_at=now)  # back in sync lists
        audit.record_rows(
            actor=actor, org=org, action="RESTORE", table_name=model._meta.db_table, record_ids=ids,
            after={"with": f"{type(obj)._meta.db_table}:{obj.pk}"},
        )  # fmt: skip
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=None, updated_at=now)
    obj.deleted_at = None
    audit.record(actor=actor, org=org, action="RESTORE", instance=obj, before={"deleted_at": deleted_at.isoformat()})
    return obj

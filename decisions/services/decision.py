"""A decision's life: raised, discussed, assigned, escalated, decided (or deferred, cancelled), implemented.

Every status change asks `machines.DECISION`; every write locks the decision's row, records its audit row with
seed 002's action names and tells the people concerned through `notify`, all in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions import sla
from decisions.enums import UNDECIDED, DecisionStatus
from decisions.machines import DECISION
from decisions.models import Decision, DecisionBlockedTask
from decisions.services import stakeholders
from decisions.services.common import note, now_or, save
from notifications.services import notify
from pit import audit

EDITABLE = ["title", "description", "context", "options", "priority", "decision_type", "owner", "team", "stakeholder",
            "outcome", "hypothesis", "project", "milestone", "deliverable", "task", "sla_hours", "tags"]  # fmt: skip
NEED_CHOICE = "Choose the option you decided on."
NEED_RATIONALE = "Say why: a decision needs its rationale."


def align_to_hierarchy(decision: Decision) -> None:
    """A decision about a task, deliverable or milestone belongs to that item's project (and milestone, ...)."""
    if decision.task_id:
        task = decision.task
        decision.deliverable_id, decision.milestone_id, decision.project_id = (
            task.deliverable_id, task.milestone_id, task.project_id)  # fmt: skip
    elif decision.deliverable_id:
        decision.milestone_id, decision.project_id = decision.deliverable.milestone_id, decision.deliverable.project_id
    elif decision.milestone_id:
        decision.project_id = decision.milestone.project_id


def _lock(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("org").get(pk=decision.pk)


def _set_blocked_tasks(decision: Decision, tasks) -> list[int]:
    wanted = {task.pk for task in tasks}
    for task in tasks:
        if task.project.org_id != decision.org_id:
            raise ValidationError({"blocked_tasks": "Choose tasks of this organisation."})
    DecisionBlockedTask.objects.filter(decision=decision).exclude(task_id__in=wanted).delete()
    have = set(DecisionBlockedTask.objects.filter(decision=decision).values_list("task_id", flat=True))
    DecisionBlockedTask.objects.bulk_create(DecisionBlockedTask(decision=decision, task_id=pk) for pk in wanted - have)
    return sorted(wanted)


@transaction.atomic
def create_decision(*, actor, org, assigned_to=None, blocked_tasks=(), now=None, **fields) -> Decision:
    """Raise a decision: due `sla_hours` (or the organisation's default for its priority) from now."""
    now = now_or(now)
    fields.setdefault("owner", actor)
    decision = Decision(org=org, created_by=actor, assigned_to=assigned_to, **fields)
    align_to_hierarchy(decision)
    decision.full_clean()
    decision.due_at = sla.due_at(decision, now)
    decision.save()
    Decision.objects.filter(pk=decision.pk).update(created_at=now)  # the SLA and response times count from `now`
    decision.created_at = now
    tasks = _set_blocked_tasks(decision, list(blocked_tasks))
    audit.record(actor=actor, org=org, action="CREATE", instance=decision,
                 after=audit.snapshot(decision) | {"blocked_tasks": tasks})  # fmt: skip
    stakeholders.opened(decision.stakeholder_id, decision.status)
    if assigned_to is not None:
        note(actor, decision, "DECISION_ASSIGNED", assigned_to_id=assigned_to.pk)
        notify("decision_assigned", [assigned_to], decision, actor=actor)
    return decision


@transaction.atomic
def update_decision(*, actor, decision: Decision, blocked_tasks=None, **changes) -> Decision:
    """Edit what a decision is about; a new priority or SLA moves its due time (counted from when it was raised)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    locked = _lock(decision)
    before = audit.snapshot(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    if ("task" in changes or "project" in changes) and locked.task_id is None:
        locked.milestone, locked.deliverable = None, None  # what it was about inside the old project no longer holds
    align_to_hierarchy(locked)
    if {"priority", "sla_hours"} & set(changes) and locked.status in UNDECIDED:
        locked.due_at = sla.due_at(locked, locked.created_at)
    extra = {}
    if blocked_tasks is not None:
        extra["blocked_tasks"] = _set_blocked_tasks(locked, list(blocked_tasks))
    save(actor, locked, action="UPDATE", before=before, after_extra=extra)
    if before["stakeholder_id"] != locked.stakeholder_id:
        stakeholders.left(before["stakeholder_id"], locked.status)
        stakeholders.opened(locked.stakeholder_id, locked.status)
    return locked


@transaction.atomic
def assign(*, actor, decision: Decision, assignee) -> Decision:
    """Give the decision to someone to decide (DECISION_ASSIGNED); they are told."""
    locked = _lock(decision)
    if not locked.is_undecided:
        raise ValidationError(f"A {locked.get_status_display().lower()} decision cannot be reassigned.")
    if assignee.org_id != locked.org_id:
        raise ValidationError({"assigned_to": "Choose someone from this organisation."})
    before = {"assigned_to_id": locked.assigned_to_id}
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to", "updated_at"])
    audit.record(actor=actor, org=locked.org_id, action="DECISION_ASSIGNED", instance=locked, before=before,
                 after={"assigned_to_id": assignee.pk})  # fmt: skip
    notify("decision_assigned", [assignee], locked, actor=actor)
    return locked


def _move(actor, decision: Decision, target: str, *, action: str = "STATUS_CHANGE", **after) -> Decision:
    """Change the status (checked by the state machine) and record it; the caller has locked the row."""
    DECISION.check(decision.status, target)
    was = decision.status
    decision.status = target
    decision.full_clean()
    decision.save()
    audit.record(actor=actor, org=decision.org_id, action=action, instance=decision, before={"status": was},
                 after={"status": target, **after})  # fmt: skip
    stakeholders.closed(decision, was)
    return decision


@transaction.atomic
def decide(*, actor, decision: Decision, option_id: str, rationale: str, now=None) -> Decision:
    """Take the decision: the chosen option and why (DECISION_RESOLVED). Its blocked tasks are free to complete."""
    locked = _lock(decision)
    DECISION.check(locked.status, DecisionStatus.DECIDED)
    errors = {}
    option = locked.option(option_id) if option_id else None
    if option is None:
        errors["option_id"] = NEED_CHOICE
    if not (rationale or "").strip():
        errors["rationale"] = NEED_RATIONALE
    if errors:
        raise ValidationError(errors)
    locked.selected_option = option
    locked.decision_rationale = rationale.strip()
    locked.decided_by = actor
    locked.decided_at = now_or(now)
    released = list(locked.blocked_links.values_list("task_id", flat=True))
    _move(actor, locked, DecisionStatus.DECIDED, action="DECISION_RESOLVED", option_id=option_id,
          rationale=locked.decision_rationale, released_tasks=released)  # fmt: skip
    people = [
        locked.owner,
        locked.assigned_to,
        locked.escalated_to,
        *{c.author for c in locked.comments.select_related("author")},
    ]
    notify("decision_decided", people, locked, actor=actor)
    return locked


@transaction.atomic
def defer(*, actor, decision: Decision, reason: str) -> Decision:
    """Park the decision (it stops escalating, and its tasks stay blocked) with a reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the decision is deferred."})
    return _move(actor, _lock(decision), DecisionStatus.DEFERRED, reason=reason.strip())


@transaction.atomic
def transition(*, actor, decision: Decision, status: str, reason: str = "", now=None) -> Decision:
    """Any other status change: start discussing, ask for input, cancel, mark implemented, reopen a deferred one.
    Deciding and deferring have their own services (they need more than a status)."""
    if status == DecisionStatus.DECIDED:
        raise ValidationError(NEED_CHOICE)
    if status == DecisionStatus.DEFERRED:
        return defer(actor=actor, decision=decision, reason=reason)
    locked = _lock(decision)
    if locked.status == DecisionStatus.DEFERRED and status in UNDECIDED:
        # reopened: a fresh SLA from now; whoever it was escalated to keeps it, and it escalates on from there
        locked.due_at = sla.due_at(locked, now_or(now))
    extra = {"reason": reason.strip()} if reason.strip() else {}
    return _move(actor, locked, status, **extra)

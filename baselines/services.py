"""Writes of the baselines domain: capture, name, reference flag and deletion, each audited in its transaction.

Views check the permission (accounts.permissions.PLAN: whoever may edit the plan may baseline it)."""

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from baselines.models import Baseline
from pit import audit
from projects.models import Project

NAME_MAX = 120

# One statement copies the live plan (milestones, deliverables, tasks) into the baseline, one its dependencies.
COPY_ITEMS = """
INSERT INTO baseline_item (baseline_id, kind, item_id, milestone_id, deliverable_id, name, start_date, end_date,
                           progress_percent, capex, opex, status, order_index)
SELECT %(baseline)s, 'milestone', id, id, NULL, name, start_date, end_date, progress_percent, capex_total,
       opex_total, '', order_index
  FROM milestone WHERE project_id = %(project)s AND deleted_at IS NULL
UNION ALL
SELECT %(baseline)s, 'deliverable', id, milestone_id, id, name, start_date, end_date, progress_percent,
       capex_total, opex_total, '', order_index
  FROM deliverable WHERE project_id = %(project)s AND deleted_at IS NULL
UNION ALL
SELECT %(baseline)s, 'task', id, milestone_id, deliverable_id, name, start_date, end_date, progress_percent,
       capex_cost, opex_cost, status::text, order_index
  FROM task WHERE project_id = %(project)s AND deleted_at IS NULL
"""
COPY_DEPENDENCIES = """
INSERT INTO baseline_dependency (baseline_id, predecessor_id, successor_id, lag_days)
SELECT %(baseline)s, link.predecessor_id, link.successor_id, link.lag_days
  FROM task_dependency link
  JOIN task predecessor ON predecessor.id = link.predecessor_id AND predecessor.deleted_at IS NULL
  JOIN task successor ON successor.id = link.successor_id AND successor.deleted_at IS NULL
 WHERE link.project_id = %(project)s
"""
SEAL = """
UPDATE baseline SET sealed = true,
       task_count = (SELECT count(*) FROM baseline_item WHERE baseline_id = %(baseline)s AND kind = 'task')
 WHERE id = %(baseline)s
"""


def _lock(project_id: int) -> Project:
    """The project's row lock: every plan write takes it, so the copy sees one consistent plan."""
    return Project.all_objects.select_for_update().get(pk=project_id)


def _clean_name(project_id: int, name: str, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the baseline a name, e.g. “Approved plan”."})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": f"Keep the name to {NAME_MAX} characters."})
    taken = Baseline.objects.filter(project_id=project_id, name__iexact=name).exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": f"This project already has a baseline called “{name}”."})
    return name


def _unmark_others(baseline: Baseline) -> None:
    Baseline.objects.filter(project_id=baseline.project_id, is_reference=True).exclude(pk=baseline.pk).update(
        is_reference=False
    )


def _summary(baseline: Baseline) -> dict:
    return audit.snapshot(baseline) | {"dependencies": baseline.dependencies.count()}


@transaction.atomic
def capture(*, actor, project: Project, name: str, reference: bool = False) -> Baseline:
    """Capture the project's plan as it is now. The project's first baseline becomes its reference."""
    project = _lock(project.pk)
    if project.deleted_at:
        raise ValidationError("A deleted project cannot be baselined; restore it first.")
    name = _clean_name(project.pk, name)
    reference = reference or not Baseline.objects.filter(project=project).exists()
    if reference:
        Baseline.objects.filter(project=project, is_reference=True).update(is_reference=False)
    baseline = Baseline.objects.create(
        project=project, name=name, is_reference=reference, captured_by=actor, start_date=project.start_date,
        end_date=project.end_date, progress_percent=project.progress_percent, capex_total=project.capex_total,
        opex_total=project.opex_total,
    )  # fmt: skip
    params = {"baseline": baseline.pk, "project": project.pk}
    with connection.cursor() as cursor:
        cursor.execute(COPY_ITEMS, params)
        cursor.execute(COPY_DEPENDENCIES, params)
        cursor.execute(SEAL, params)
    baseline.refresh_from_db()
    audit.record(actor=actor, org=project.org_id, action="CREATE", instance=baseline, after=_summary(baseline))
    return baseline


@transaction.atomic
def set_reference(*, actor, baseline: Baseline, reference: bool = True) -> Baseline:
    """Make this the project's reference baseline (the one before it stops being one), or stop it being one."""
    project = _lock(baseline.project_id)
    baseline = Baseline.objects.select_for_update().get(pk=baseline.pk)
    if baseline.is_reference == reference:
        return baseline
    if reference:
        _unmark_others(baseline)
    Baseline.objects.filter(pk=baseline.pk).update(is_reference=reference)
    audit.record(actor=actor, org=project.org_id, action="UPDATE", instance=baseline,
                 before={"is_reference": baseline.is_reference}, after={"is_reference": reference})  # fmt: skip
    baseline.is_reference = reference
    return baseline


@transaction.atomic
def rename(*, actor, baseline: Baseline, name: str) -> Baseline:
    project = _lock(baseline.project_id)
    baseline = Baseline.objects.select_for_update().get(pk=baseline.pk)
    name = _clean_name(project.pk, name, exclude=baseline.pk)
    before = baseline.name
    Baseline.objects.filter(pk=baseline.pk).update(name=name)
    audit.record(actor=actor, org=project.org_id, action="UPDATE", instance=baseline, before={"name": before},
                 after={"name": name})  # fmt: skip
    baseline.name = name
    return baseline


@transaction.atomic
def delete(*, actor, baseline: Baseline) -> None:
    """Throw a whole baseline away (a capture made by mistake): the database removes its items with it. What it
    was stays in the audit log's before-state."""
    project = _lock(baseline.project_id)
    baseline = Baseline.objects.select_for_update().get(pk=baseline.pk)
    before, pk = _summary(baseline), baseline.pk
    baseline.delete()
    audit.record(actor=actor, org=project.org_id, action="DELETE", instance=baseline, record_id=pk, before=before)

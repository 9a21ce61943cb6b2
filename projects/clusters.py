"""Task clusters: a template's tasks instantiated under a deliverable, in one transaction."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format

from pit import audit
from pit.enums import QuickClass
from projects import services
from projects.cluster_schema import validate_template
from projects.models import Deliverable, Task, TaskCluster, TaskClusterTemplate, TaskType


def _task(cluster: TaskCluster, deliverable: Deliverable, spec: dict, start: date, owner, order: int) -> Task:
    first = start + timedelta(days=spec.get("offset_days", 0))
    task = Task(
        deliverable=deliverable, cluster=cluster, task_type=TaskType.CLUSTER_ITEM, owner=owner,
        name=spec["name"], description=spec.get("description", ""),
        start_date=first, end_date=first + timedelta(days=spec["duration_days"] - 1),
        capex_cost=Decimal(str(spec.get("capex_cost", 0))), opex_cost=Decimal(str(spec.get("opex_cost", 0))),
        requires_evidence=spec.get("requires_evidence", False),
        quick_class=spec.get("quick_class", QuickClass.MEDIUM_TERM), order_index=order,
    )  # fmt: skip
    task.align_to_deliverable()
    services.fill_task_derived(task, was_status=None)
    return task


@transaction.atomic
def instantiate(*, actor, template: TaskClusterTemplate, deliverable: Deliverable, start_date: date, owner=None):
    """Create a task_cluster and its tasks under `deliverable`, all or nothing."""
    validate_template(template.template_json)
    if template.org_id != deliverable.project.org_id:
        raise ValidationError("This template belongs to another organisation.")
    with services.settling(deliverable.project_id):
        cluster = TaskCluster.objects.create(
            project_id=deliverable.project_id, template=template, name=template.name,
            description=template.description, created_by=actor,
        )  # fmt: skip
        audit.record(actor=actor, org=template.org, action="CREATE", instance=cluster, after=audit.snapshot(cluster))
        first_order = services.next_order_index(deliverable.tasks.all())
        for number, spec in enumerate(template.template_json["tasks"], start=1):
            task = _task(cluster, deliverable, spec, start_date, owner or deliverable.owner, first_order + number - 1)
            try:
                services.save_and_audit(actor, task)
            except ValidationError as error:
                raise ValidationError(_explain(number, task, error)) from None
    return cluster


def _explain(number: int, task: Task, error: ValidationError) -> str:
    span = f"{date_format(task.start_date, 'j M Y')} – {date_format(task.end_date, 'j M Y')}"
    return f"Task {number} “{task.name}” ({span}) does not fit: {' '.join(error.messages)} Choose another start date."

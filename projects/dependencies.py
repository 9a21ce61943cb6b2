"""Task dependencies: finish-to-start links between two tasks of one project, never in a loop."""

from django.core.exceptions import ValidationError
from django.db import transaction

from calendars.selectors import calendar_for_project
from pit import audit
from pit.tenancy import org_of
from projects import services
from projects.gantt import schedule
from projects.models import Task, TaskDependency


def links_of(project_id: int, *, live_only: bool = False) -> list[schedule.Link]:
    """The project's dependencies; `live_only` leaves out those of deleted tasks (loops are checked with all of
    them, since a deleted task can be restored)."""
    rows = TaskDependency.objects.filter(project_id=project_id)
    if live_only:
        rows = rows.filter(predecessor__deleted_at__isnull=True, successor__deleted_at__isnull=True)
    return [schedule.Link(*row) for row in rows.values_list("predecessor_id", "successor_id", "lag_days")]


@transaction.atomic
def add_dependency(*, actor, predecessor: Task, successor: Task, lag_days: int = 0) -> TaskDependency:
    """`successor` may start `lag_days` working days after `predecessor` ends."""
    if predecessor.project_id != successor.project_id:
        raise ValidationError({"predecessor": "A task can only depend on a task of the same project."})
    if predecessor.pk == successor.pk:
        raise ValidationError({"predecessor": "A task cannot depend on itself."})
    if not -365 <= lag_days <= 365:
        raise ValidationError({"lag_days": "Lag must be between -365 and 365 days."})
    with services.settling(successor.project_id):
        links = links_of(successor.project_id)
        if any(link.predecessor == predecessor.pk and link.successor == successor.pk for link in links):
            raise ValidationError({"predecessor": f"“{successor}” already depends on “{predecessor}”."})
        if schedule.reaches(links, successor.pk, predecessor.pk):
            raise ValidationError(
                {"predecessor": f"“{predecessor}” already depends on “{successor}” (directly or through other tasks): "
                                "this would make a loop."}
            )  # fmt: skip
        dependency = TaskDependency.objects.create(
            project_id=successor.project_id, predecessor=predecessor, successor=successor, lag_days=lag_days
        )
        audit.record(actor=actor, org=org_of(successor), action="CREATE", instance=dependency,
                     after=audit.snapshot(dependency))  # fmt: skip
    return dependency


@transaction.atomic
def remove_dependency(*, actor, dependency: TaskDependency) -> None:
    with services.settling(dependency.project_id):
        before, pk, org = audit.snapshot(dependency), dependency.pk, org_of(dependency)
        dependency.delete()
        audit.record(actor=actor, org=org, action="DELETE", instance=dependency, record_id=pk, before=before)


def predecessors_of(task: Task):
    links = task.predecessor_links.filter(predecessor__deleted_at__isnull=True)
    return links.select_related("predecessor").order_by("predecessor__start_date")


def late_starts(task: Task) -> list[tuple[Task, object]]:
    """(predecessor, earliest allowed start) for each dependency this task's start date breaks, in working days of
    the project's calendar."""
    calendar = calendar_for_project(task.project)
    return [
        (link.predecessor, allowed)
        for link in predecessors_of(task)
        if task.start_date < (allowed := schedule.earliest_start(link.predecessor.end_date, link.lag_days, calendar))
    ]

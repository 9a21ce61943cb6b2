"""Plans for the interchange tests: a PIT project built through the services, and files to import."""

from datetime import date
from decimal import Decimal

from projects import dependencies, services
from projects.models import Deliverable, Milestone, Task, TaskDependency


def build_project(org, owner, other):
    """Two milestones (the second with an empty deliverable), an empty milestone, tasks with progress and costs,
    owners of two people, dependencies with and without lag, and a deleted task (not exported)."""
    project = services.create_project(actor=owner, org=org, name="Harbour pumps", owner=owner,
                                      start_date=date(2026, 3, 2), end_date=date(2026, 9, 30))  # fmt: skip
    design = services.create_milestone(actor=owner, project=project, name="Design", owner=owner,
                                       start_date=date(2026, 3, 2), end_date=date(2026, 4, 30))  # fmt: skip
    drawings = services.create_deliverable(actor=owner, milestone=design, name="Drawings", owner=other,
                                           start_date=date(2026, 3, 2), end_date=date(2026, 4, 17))  # fmt: skip
    survey = services.create_task(actor=owner, deliverable=drawings, name="Survey the site", owner=other,
                                  start_date=date(2026, 3, 2), end_date=date(2026, 3, 6), progress_percent=100,
                                  opex_cost=Decimal("1200.00"))  # fmt: skip
    draw = services.create_task(actor=owner, deliverable=drawings, name="Draw the pump room", owner=owner,
                                start_date=date(2026, 3, 9), end_date=date(2026, 3, 20), progress_percent=40,
                                capex_cost=Decimal("99.95"), opex_cost=Decimal("4500.00"))  # fmt: skip
    gone = services.create_task(actor=owner, deliverable=drawings, name="Old idea", owner=owner,
                                start_date=date(2026, 3, 9), end_date=date(2026, 3, 10))  # fmt: skip
    build = services.create_milestone(actor=owner, project=project, name="Build", owner=other,
                                      start_date=date(2026, 5, 1), end_date=date(2026, 9, 30))  # fmt: skip
    room = services.create_deliverable(actor=owner, milestone=build, name="Pump room", owner=owner,
                                       start_date=date(2026, 5, 1), end_date=date(2026, 8, 31))  # fmt: skip
    services.create_deliverable(actor=owner, milestone=build, name="Handover papers", owner=owner,
                                start_date=date(2026, 9, 1), end_date=date(2026, 9, 30))  # fmt: skip
    valves = services.create_task(actor=owner, deliverable=room, name="Install valves", owner=other,
                                  start_date=date(2026, 5, 4), end_date=date(2026, 5, 22),
                                  capex_cost=Decimal("18000.00"))  # fmt: skip
    test = services.create_task(actor=owner, deliverable=room, name="=Pressure test", owner=owner,
                                start_date=date(2026, 6, 1), end_date=date(2026, 6, 5))  # fmt: skip
    services.create_milestone(actor=owner, project=project, name="Spare", owner=owner,
                              start_date=date(2026, 9, 1), end_date=date(2026, 9, 30))  # fmt: skip
    dependencies.add_dependency(actor=owner, predecessor=survey, successor=draw)
    dependencies.add_dependency(actor=owner, predecessor=draw, successor=valves, lag_days=5)
    dependencies.add_dependency(actor=owner, predecessor=valves, successor=test, lag_days=-2)
    dependencies.add_dependency(actor=owner, predecessor=gone, successor=test)
    services.soft_delete(actor=owner, obj=gone)
    return project


def tree_of(project) -> list:
    """The project's plan as plain values, in tree order: what a round trip must keep."""
    rows = []
    for milestone in Milestone.objects.filter(project=project).order_by("order_index", "pk"):
        rows.append(("milestone", milestone.name, milestone.start_date, milestone.end_date, milestone.owner.email))
        for deliverable in Deliverable.objects.filter(milestone=milestone).order_by("order_index", "pk"):
            rows.append(("deliverable", deliverable.name, deliverable.start_date, deliverable.end_date,
                         deliverable.owner.email))  # fmt: skip
            for task in Task.objects.filter(deliverable=deliverable).order_by("order_index", "pk"):
                rows.append(("task", task.name, task.start_date, task.end_date, task.owner.email,
                             task.progress_percent, task.capex_cost, task.opex_cost, task.status))  # fmt: skip
    links = TaskDependency.objects.filter(project=project, predecessor__deleted_at__isnull=True,
                                          successor__deleted_at__isnull=True)  # fmt: skip
    rows += sorted(links.values_list("predecessor__name", "successor__name", "lag_days"))
    return rows


def plan_counts() -> tuple:
    """Rows of every table an import writes to."""
    return tuple(model.all_objects.count() if hasattr(model, "all_objects") else model.objects.count()
                 for model in (Milestone, Deliverable, Task, TaskDependency))  # fmt: skip

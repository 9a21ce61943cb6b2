import datetime

import pytest

from projects import dependencies, services

D = datetime.date
DAY = datetime.timedelta(days=1)
START = D(2027, 3, 1)  # a Monday


def build_plan(actor, *, name="Reservoir", tasks=3, start=START):
    """A project with one milestone, one deliverable and `tasks` chained one-week tasks (Mon–Fri)."""
    project = services.create_project(actor=actor, org=actor.org, name=name, owner=actor, start_date=start,
                                      end_date=start + 90 * DAY)  # fmt: skip
    milestone = services.create_milestone(actor=actor, project=project, name="Stage 1", owner=actor,
                                          start_date=project.start_date, end_date=project.end_date)  # fmt: skip
    deliverable = services.create_deliverable(actor=actor, milestone=milestone, name="Output 1", owner=actor,
                                              start_date=project.start_date, end_date=project.end_date)  # fmt: skip
    made = []
    for i in range(tasks):
        first = start + 7 * i * DAY
        made.append(services.create_task(actor=actor, deliverable=deliverable, name=f"Task {i + 1}", owner=actor,
                                         start_date=first, end_date=first + 4 * DAY, capex_cost=100))  # fmt: skip
    for before, after in zip(made, made[1:], strict=False):
        dependencies.add_dependency(actor=actor, predecessor=before, successor=after)
    return project, milestone, deliverable, made


@pytest.fixture
def plan(manager):
    return build_plan(manager)

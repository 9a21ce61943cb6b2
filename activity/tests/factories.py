from projects import services
from projects.tests.factories import START


def plan(org, owner, *, tasks: int = 3):
    """A project with one milestone, one deliverable and `tasks` tasks, made through the services (with history)."""
    project = services.create_project(actor=owner, org=org, name="Harbour pump station", owner=owner,
                                      start_date=START, end_date=START.replace(year=START.year + 1))  # fmt: skip
    window = {"start_date": START, "end_date": START.replace(month=12)}
    milestone = services.create_milestone(actor=owner, project=project, name="Civil works", owner=owner, **window)
    deliverable = services.create_deliverable(actor=owner, milestone=milestone, name="Pump pit", owner=owner, **window)
    made = [
        services.create_task(actor=owner, deliverable=deliverable, name=f"Task {n}", owner=owner, start_date=START,
                             end_date=START.replace(day=10))
        for n in range(tasks)
    ]  # fmt: skip
    return project, milestone, deliverable, made

"""Demo data for the activity pages: a first history row for the bulk-loaded plan, then a day of real edits made
through the services, so "what changed since yesterday" and the feeds are alive after `make run`."""

import random
from datetime import timedelta

from django.db import connection, transaction

from accounts.models import User
from pit.enums import TaskStatus
from projects import services
from projects.models import Deliverable, Milestone, Project, Task

HISTORY_MODELS = (Milestone, Deliverable, Task)
SPECIAL = {"history_type": "'+'", "history_user_id": "NULL", "history_change_reason": "NULL"}


def record_creation_history(project_ids: list[int], *, at: str = "x.created_at") -> None:
    """Give rows loaded in bulk (no save(), so no history) the creation row save() would have written, dated `at`
    (an SQL expression over the row `x`): their state from then on is known. Set-based, one INSERT per table."""
    with connection.cursor() as cursor:
        for model in HISTORY_MODELS:
            history = model.history.model
            columns = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
            values = [SPECIAL.get(c, at if c == "history_date" else f"x.{c}") for c in columns]
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {table}_history ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} x "
                f"WHERE x.project_id = ANY(%s) AND NOT EXISTS (SELECT 1 FROM {table}_history h WHERE h.id = x.id)",
                [project_ids],
            )


def _edit_some(rng: random.Random, project: Project, people: list[User]) -> None:
    """A handful of everyday edits to one project, as its people would make them (no rows added or removed: the demo's
    counts stay as seed_demo promises)."""
    tasks = list(Task.objects.filter(project=project).select_related("deliverable__project__org")[:40])
    if len(tasks) < 5:
        return
    actor = project.owner
    moved, done, handed, progressed = rng.sample(tasks, 4)
    shift = timedelta(days=rng.randint(2, 7))
    end = min(moved.end_date + shift, moved.deliverable.end_date)
    services.update(actor=actor, obj=moved, end_date=max(end, moved.start_date))
    services.set_task_progress(actor=rng.choice(people), task=progressed, progress_percent=rng.randint(10, 90))
    services.update(actor=actor, obj=handed, owner=rng.choice(people))
    if not done.requires_evidence:
        services.set_task_status(actor=actor, task=done, status=TaskStatus.COMPLETED)


def seed(orgs, *, seed: int) -> None:
    rng = random.Random(seed)
    projects = list(Project.objects.filter(org__in=orgs).order_by("pk"))
    with transaction.atomic():
        record_creation_history([p.pk for p in projects], at="x.created_at - interval '2 days'")
    for org in orgs:
        people = list(User.objects.filter(org=org, is_system=False, is_active=True))
        newest = next((p for p in reversed(projects) if p.org_id == org.pk), None)  # seeded last: others stay put
        if newest is not None:
            with transaction.atomic():
                _edit_some(rng, newest, people)

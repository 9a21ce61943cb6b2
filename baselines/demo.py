"""Demo baselines for `seed_demo` (and so `make run`): in each organisation, the busiest project gets a baseline
("Approved plan", its first, so its reference), then some of its tasks slip or finish early through the services,
as weeks of work would, so its variance page and the Gantt's shadow bars have something to show."""

import random
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F

from accounts.models import User
from accounts.permissions import Role
from baselines import services
from baselines.models import Baseline
from pit.enums import TaskStatus
from projects import services as project_services
from projects.models import Project, Task

MOVES = 12
SHIFTS = (-2, 1, 2, 3, 5, 7, 10)  # days; mostly later, as plans go


def _manager(org) -> User | None:
    people = User.objects.filter(org=org, is_active=True, is_system=False)
    return people.filter(role=Role.MANAGER).order_by("pk").first() or people.filter(role=Role.ORG_ADMIN).first()


def _drift(rng: random.Random, actor, project: Project) -> None:
    room = Task.objects.filter(project=project, end_date__lte=F("deliverable__end_date") - timedelta(days=10),
                               start_date__gte=F("deliverable__start_date") + timedelta(days=2))  # fmt: skip
    tasks = list(room.exclude(status=TaskStatus.COMPLETED).order_by("pk")[:200])
    for task in rng.sample(tasks, min(MOVES, len(tasks))):
        days = timedelta(days=rng.choice(SHIFTS))
        try:
            with transaction.atomic():
                project_services.update(actor=actor, obj=task, start_date=task.start_date + days,
                                        end_date=task.end_date + days)  # fmt: skip
        except ValidationError:  # a move the plan's rules refuse is simply not made
            continue


def seed(orgs, *, seed: int) -> None:
    rng = random.Random(seed)
    for org in orgs:
        actor = _manager(org)
        busiest = Project.objects.filter(org=org).annotate(n=Count("tasks")).filter(n__gt=0).order_by("-n", "pk")
        project = busiest.first()
        if actor is None or project is None:
            continue
        earlier = Baseline.objects.filter(project=project).count()  # seeding again adds a re-plan
        services.capture(actor=actor, project=project, name=f"Re-plan {earlier}" if earlier else "Approved plan")
        _drift(rng, actor, project)

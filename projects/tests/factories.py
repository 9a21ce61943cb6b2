import datetime

import factory

from accounts.tests.factories import OrganisationFactory, UserFactory
from projects.models import Deliverable, Milestone, Project, Task

START = datetime.date(2026, 7, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    org = factory.SubFactory(OrganisationFactory)
    owner = factory.SubFactory(UserFactory, org=factory.SelfAttribute("..org"))
    name = factory.Sequence(lambda n: f"Project {n}")
    start_date = START
    end_date = START + datetime.timedelta(days=364)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    owner = factory.SelfAttribute("project.owner")
    name = factory.Sequence(lambda n: f"Milestone {n}")
    start_date = factory.SelfAttribute("project.start_date")
    end_date = factory.SelfAttribute("project.end_date")


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    milestone = factory.SubFactory(MilestoneFactory)
    project = factory.SelfAttribute("milestone.project")
    owner = factory.SelfAttribute("milestone.owner")
    name = factory.Sequence(lambda n: f"Deliverable {n}")
    start_date = factory.SelfAttribute("milestone.start_date")
    end_date = factory.SelfAttribute("milestone.end_date")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    deliverable = factory.SubFactory(DeliverableFactory)
    milestone = factory.SelfAttribute("deliverable.milestone")
    project = factory.SelfAttribute("deliverable.project")
    owner = factory.SelfAttribute("deliverable.owner")
    name = factory.Sequence(lambda n: f"Task {n}")
    start_date = factory.SelfAttribute("deliverable.start_date")
    end_date = factory.LazyAttribute(lambda t: t.start_date + datetime.timedelta(days=9))
    duration_days = 10
    fy_allocation = 2027


def deliverable_in(org, owner, **fields) -> Deliverable:
    project = ProjectFactory(org=org, owner=owner)
    return DeliverableFactory(milestone__project=project, milestone__owner=owner, owner=owner, **fields)


def task_in(org, owner, **fields) -> Task:
    return TaskFactory(deliverable=deliverable_in(org, owner), owner=owner, **fields)


def big_project(org, owner, *, tasks: int, milestones: int = 4, per_deliverable: int = 50) -> Project:
    """A project of `tasks` tasks in bulk (a few queries, not one per task), each task following the one before
    in its deliverable for every tenth task: for charts of thousands of rows."""
    from projects.models import TaskDependency

    project = ProjectFactory(org=org, owner=owner)
    deliverables = []
    for m in range(milestones):
        milestone = MilestoneFactory(project=project, owner=owner, name=f"Stage {m + 1}")
        count = -(-tasks // per_deliverable // milestones)
        deliverables += [DeliverableFactory(milestone=milestone, owner=owner, name=f"Output {m + 1}.{d + 1}")
                         for d in range(count)]  # fmt: skip
    rows = []
    for i in range(tasks):
        deliverable = deliverables[i // per_deliverable]
        start = START + datetime.timedelta(days=(i * 7) % 300)
        end = start + datetime.timedelta(days=6)
        rows.append(TaskFactory.build(deliverable=deliverable, owner=owner, name=f"Job {i + 1}", start_date=start,
                                      end_date=end, duration_days=7, order_index=i))  # fmt: skip
    created = Task.objects.bulk_create(rows, batch_size=1000)
    TaskDependency.objects.bulk_create(
        [TaskDependency(project=project, predecessor=created[i - 1], successor=created[i])
         for i in range(1, tasks) if i % 10 == 0 and created[i - 1].deliverable_id == created[i].deliverable_id]
    )  # fmt: skip
    return project

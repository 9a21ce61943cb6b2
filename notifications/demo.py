"""Demo notifications for `seed_demo`: each demo person has a few tasks assigned and overdue in the inbox (some
read), and the same go out by email, so `make run` shows the bell, the inbox and mail under var/mail/."""

import random

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify_each
from projects.models import Task

PER_PERSON = 4


@transaction.atomic
def seed(orgs, *, seed: int) -> None:
    rng = random.Random(seed)
    for org in orgs:
        people = list(User.objects.filter(org=org, is_system=False, email__contains="@").order_by("pk")[:5])
        for person in people:
            tasks = list(Task.objects.filter(Q(owner=person) | Q(assignees__contains=[person.pk]))[: PER_PERSON * 2])
            notify_each("task_assigned", [(task, [person]) for task in tasks[:PER_PERSON]])
            notify_each("task_overdue", [(task, [person]) for task in tasks[PER_PERSON:]])
        inbox = list(Notification.objects.filter(user__in=people, type="internal_message").values_list("pk", flat=True))
        read = rng.sample(inbox, len(inbox) // 3)
        Notification.objects.filter(pk__in=read).update(read_at=timezone.now(), is_read=True)

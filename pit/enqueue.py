"""Sending Celery jobs from a write: only once the write's transaction commits (a rolled-back change sends nothing,
and a worker never looks for a row that is not there yet), and never further ahead than the broker keeps an
unacknowledged message."""

from django.conf import settings
from django.db import transaction


def enqueue(task, *args, countdown: int = 0, queue: str | None = None, **kwargs) -> None:
    """`task.apply_async(args, kwargs)` once the current transaction commits (at once outside one)."""
    if countdown >= settings.CELERY_VISIBILITY_TIMEOUT:
        raise ValueError(
            f"countdown {countdown}s is not below the broker's visibility timeout "
            f"({settings.CELERY_VISIBILITY_TIMEOUT}s): the job would be delivered twice"
        )
    transaction.on_commit(lambda: task.apply_async(args, kwargs, countdown=countdown or None, queue=queue))

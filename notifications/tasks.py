"""Celery tasks: thin, take ids, and safe to run twice (each send claims its row first; see delivery.py)."""

import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from notifications import delivery, jobs

log = logging.getLogger(__name__)

CHUNK = 500  # notification ids per Celery message: a fan-out to 10,000 people is 20 messages, not 10,000


def enqueue(ids: list[int]) -> None:
    """Hand the outbox rows to the workers (called after commit). With the broker down the rows stay pending and
    the sweeper enqueues them again: nothing is lost, and the change that caused them is not undone."""
    try:
        for start in range(0, len(ids), CHUNK):
            deliver_many_task.delay(ids[start : start + CHUNK])
    except OperationalError as error:
        log.warning("broker unavailable (%s): %s notifications left for the sweeper", error, len(ids))


@shared_task(name="notifications.deliver")
def deliver_task(pk: int) -> str | None:
    return delivery.deliver(pk)


@shared_task(name="notifications.deliver_many")
def deliver_many_task(ids: list[int]) -> dict:
    with delivery.Mailer() as mailer:  # one SMTP connection for the chunk's emails
        outcomes = [delivery.deliver(pk, mailer=mailer) for pk in ids]
    return {"sent": outcomes.count("sent"), "skipped": outcomes.count(None), "of": len(ids)}


@shared_task(name="notifications.sweep")
def sweep_task() -> dict:
    return jobs.sweep()


@shared_task(name="notifications.send_digests")
def send_digests_task() -> dict:
    """Hourly; each run takes the organisations whose local time is the digest hour."""
    run = jobs.send_digests()
    return {"job_run": run.pk, "digests_sent": run.rows_changed}


@shared_task(name="notifications.purge_read")
def purge_read_task() -> dict:
    run = jobs.purge_read()
    return {"job_run": run.pk, "purged": run.rows_changed}

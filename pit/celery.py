import logging
import os
import time

import redis
from celery import Celery
from celery.beat import PersistentScheduler
from celery.schedules import schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pit.settings")

app = Celery("pit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def occurrence_period(entry_schedule) -> float:
    """How long one occurrence of a schedule lasts: its interval, or a minute for crontabs (their resolution)."""
    if isinstance(entry_schedule, schedule):
        return max(entry_schedule.run_every.total_seconds(), 1.0)
    return 60.0


class LockedScheduler(PersistentScheduler):
    """Celery beat that sends each scheduled occurrence once, however many beats run (a redeploy, a second host).

    Before sending, a beat claims the occurrence (entry name and the period it falls in) with one Redis SET NX on the
    broker; a beat that finds it claimed skips it. The claim outlives the period, so a slower beat cannot resend it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = redis.Redis.from_url(self.app.conf.broker_url)

    def claim(self, entry) -> bool:
        period = occurrence_period(entry.schedule)
        key = f"pit:beat:{entry.name}:{int(time.time() // period)}"
        return bool(self.claims.set(key, os.getpid(), nx=True, ex=int(period) + 60))

    def apply_entry(self, entry, producer=None):
        if self.claim(entry):
            super().apply_entry(entry, producer=producer)
        else:
            logger.info("Scheduler: %s already sent by another beat", entry.name)

"""The Celery app of the two-beats test: one job every 2 seconds on a queue of its own, under PIT's scheduler."""

import os

from celery import Celery

app = Celery("pit-beat-test", broker=os.environ["PIT_BEAT_TEST_BROKER"])
app.conf.beat_schedule = {"tick": {"task": "pit.tests.tick", "schedule": 2.0, "options": {"queue": "pit-beat-test"}}}
app.conf.beat_scheduler = os.environ.get("PIT_BEAT_TEST_SCHEDULER", "pit.celery:LockedScheduler")

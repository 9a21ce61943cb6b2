"""A job for the worker-fault test: the real share-link purge, whose first attempt stalls inside its transaction so
the test can kill the worker process there. Loaded only by that test's worker (`celery worker -I`)."""

import os
import time

import redis
from celery import shared_task
from django.conf import settings
from django.db import transaction

from sharing.jobs import purge_share_links


@shared_task(name="sharing.tests.purge_with_a_fault")
def purge_with_a_fault() -> int:
    flags = redis.Redis.from_url(settings.REDIS_URL)
    attempt = flags.incr("pit-test:fault:attempts")
    with transaction.atomic():
        run = purge_share_links()
        if attempt == 1:
            flags.set("pit-test:fault:pid", os.getpid())
            time.sleep(120)  # killed here: nothing of this attempt is committed
    return run.rows_changed

"""Jobs survive faults: late acknowledgement, sent after commit only, one send per schedule however many beats."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction

from pit.celery import app
from pit.enqueue import enqueue
from pit.tasks import purge_expired_rows_task

ROOT = Path(__file__).resolve().parents[2]
QUEUE = "pit-enqueue-test"


def test_workers_acknowledge_late_and_give_back_what_a_dead_worker_held():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.beat_scheduler == "pit.celery:LockedScheduler"


@pytest.mark.django_db(transaction=True)
def test_jobs_are_sent_only_when_the_transaction_commits():
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete(QUEUE)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(purge_expired_rows_task, queue=QUEUE)
        raise RuntimeError("the write failed")
    assert broker.llen(QUEUE) == 0
    with transaction.atomic():
        enqueue(purge_expired_rows_task, queue=QUEUE)
        assert broker.llen(QUEUE) == 0  # not before the commit
    assert broker.llen(QUEUE) == 1
    broker.delete(QUEUE)


def test_no_job_is_scheduled_beyond_the_visibility_timeout():
    with pytest.raises(ValueError, match="visibility timeout"):
        enqueue(purge_expired_rows_task, countdown=settings.CELERY_VISIBILITY_TIMEOUT)


def run_two_beats(tmp_path, broker_url: str, seconds: float, scheduler: str) -> list[str]:
    env = {**os.environ, "PIT_BEAT_TEST_BROKER": broker_url, "PIT_BEAT_TEST_SCHEDULER": scheduler}
    beats = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pit.tests.beat_app",
                "beat",
                "-l",
                "INFO",
                "-s",
                str(tmp_path / f"beat-{n}"),
                "--pidfile=",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for n in range(2)
    ]
    time.sleep(seconds)
    logs = []
    for beat in beats:
        beat.terminate()
        logs.append(beat.communicate(timeout=20)[0])
    return logs


def test_two_beats_send_each_scheduled_job_once(tmp_path):
    broker_url = settings.REDIS_URL.rsplit("/", 1)[0] + "/7"
    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    logs = run_two_beats(tmp_path, broker_url, 12, "pit.celery:LockedScheduler")
    sent, claims = broker.llen("pit-beat-test"), len(broker.keys("pit:beat:tick:*"))
    skipped = sum(log.count("already sent by another beat") for log in logs)
    assert all("Sending due task tick" in log or "already sent" in log for log in logs), logs
    assert sent >= 3 and skipped >= 2, logs  # both beats were running and due at the same moments
    assert sent == claims, "each two-second occurrence was sent once"

    broker.flushdb()  # the same two beats without the lock send about twice as much: the test can fail
    logs = run_two_beats(tmp_path, broker_url, 12, "celery.beat:PersistentScheduler")
    assert broker.llen("pit-beat-test") > claims
    broker.flushdb()

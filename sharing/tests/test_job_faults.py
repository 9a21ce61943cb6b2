"""A worker dies in the middle of the purge: the job is given back to the queue, runs again and finishes once."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from pit.celery import app
from pit.models import JobRun
from projects.tests.factories import ProjectFactory
from sharing.kinds import PROJECT_GANTT
from sharing.models import ShareLink
from sharing.services import create_link

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "pit-fault-test"


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def start_worker(**env):
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pit", "worker", "-I", "sharing.tests.fault_tasks", "-Q", QUEUE,
         "--concurrency", "1", "--pool", "prefork", "-l", "INFO", "--without-mingle", "--without-gossip",
         "-n", f"fault-{os.getpid()}@localhost"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url, **env}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip


def stale_links(org, manager) -> None:
    """Two links past retention and one live: the purge must delete exactly two."""
    project = ProjectFactory(org=org, owner=manager)
    old = []
    for label in ("old", "older", "live"):
        link, _ = create_link(actor=manager, kind=PROJECT_GANTT.code, subject=project, label=label, expires_in_days=1)
        if label != "live":
            old.append(link.pk)
    ShareLink.objects.filter(pk__in=old).update(expires_at=timezone.now() - datetime.timedelta(days=100))


def fresh_flags():
    flags = redis.Redis.from_url(settings.REDIS_URL)
    flags.delete("pit-test:fault:attempts", "pit-test:fault:pid", QUEUE, "unacked", "unacked_index")
    return flags


def assert_ran_once(flags, log):
    assert int(flags.get("pit-test:fault:attempts")) == 2, log
    runs = list(JobRun.objects.filter(name="share-link-purge"))
    assert len(runs) == 1 and runs[0].rows_changed == 2, log
    assert list(ShareLink.objects.values_list("label", flat=True)) == ["live"]


def stop(worker) -> str:
    os.killpg(worker.pid, signal.SIGTERM)
    return worker.communicate(timeout=30)[0]


def test_killed_worker_process_gives_the_job_back_and_it_finishes_once(org, manager):
    stale_links(org, manager)
    flags = fresh_flags()
    worker = start_worker()
    try:
        app.send_task("sharing.tests.purge_with_a_fault", queue=QUEUE)
        child = int(wait_for(lambda: flags.get("pit-test:fault:pid"), 90, "the first attempt to start"))
        assert JobRun.objects.filter(name="share-link-purge").count() == 0  # stalled inside its transaction
        os.kill(child, signal.SIGKILL)  # the process running the job dies mid-job
        wait_for(lambda: JobRun.objects.filter(name="share-link-purge").exists(), 90, "the job to run again")
        time.sleep(2)  # time enough for a wrong third run to show
    finally:
        log = stop(worker)
    assert_ran_once(flags, log)
    assert "WorkerLostError" in log  # the worker saw its process die and gave the job back


def test_job_of_a_vanished_worker_returns_after_the_visibility_timeout(org, manager):
    """The whole worker is killed (as by the OOM killer): the broker hands its unacknowledged job to another."""
    stale_links(org, manager)
    flags = fresh_flags()
    short = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_INTERVAL": "1", "CELERY_RESTORE_THROTTLE": "1"}
    first = start_worker(**short)
    try:
        app.send_task("sharing.tests.purge_with_a_fault", queue=QUEUE)
        wait_for(lambda: flags.get("pit-test:fault:pid"), 90, "the first attempt to start")
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # no goodbye: nothing is acknowledged or rejected
        first.communicate(timeout=30)
    second = start_worker(**short)
    try:
        wait_for(lambda: JobRun.objects.filter(name="share-link-purge").exists(), 120, "another worker to run it")
        time.sleep(2)
    finally:
        log = stop(second)
    assert_ran_once(flags, log)

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


def start_worker():
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pit", "worker", "-I", "sharing.tests.fault_tasks", "-Q", QUEUE,
         "--concurrency", "1", "--pool", "prefork", "-l", "INFO", "--without-mingle", "--without-gossip",
         "-n", f"fault-{os.getpid()}@localhost"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip


def test_killed_worker_job_runs_again_and_finishes_once(org, manager):
    project = ProjectFactory(org=org, owner=manager)
    old = []
    for label in ("old", "older", "live"):
        link, _ = create_link(actor=manager, kind=PROJECT_GANTT.code, subject=project, label=label, expires_in_days=1)
        if label != "live":
            old.append(link.pk)
    ShareLink.objects.filter(pk__in=old).update(expires_at=timezone.now() - datetime.timedelta(days=100))
    flags = redis.Redis.from_url(settings.REDIS_URL)
    flags.delete("pit-test:fault:attempts", "pit-test:fault:pid", QUEUE)

    worker = start_worker()
    try:
        app.send_task("sharing.tests.purge_with_a_fault", queue=QUEUE)
        child = int(wait_for(lambda: flags.get("pit-test:fault:pid"), 90, "the first attempt to start"))
        assert JobRun.objects.filter(name="share-link-purge").count() == 0  # stalled inside its transaction
        os.kill(child, signal.SIGKILL)  # the process running the job dies mid-job
        wait_for(lambda: JobRun.objects.filter(name="share-link-purge").exists(), 90, "the job to run again")
        time.sleep(2)  # time enough for a wrong third run to show
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        log = worker.communicate(timeout=30)[0]
    assert int(flags.get("pit-test:fault:attempts")) == 2, log
    runs = list(JobRun.objects.filter(name="share-link-purge"))
    assert len(runs) == 1 and runs[0].rows_changed == 2, log
    assert list(ShareLink.objects.values_list("label", flat=True)) == ["live"]
    assert "WorkerLostError" in log  # the worker saw its process die and gave the job back
    flags.delete("pit-test:fault:attempts", "pit-test:fault:pid")

import datetime

import pytest
from django.utils import timezone

from pit.models import JobRun
from pit.retention import purge_job_runs

pytestmark = pytest.mark.django_db


def test_job_runs_older_than_the_setting_go_and_the_purge_is_recorded(settings):
    settings.JOB_RUN_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (31, 45, 29, 1):
        JobRun.objects.create(name="task-status", started_at=now - datetime.timedelta(days=days))
    run = purge_job_runs(now=now)
    assert run.rows_changed == 2
    assert sorted(JobRun.objects.values_list("name", flat=True)) == ["job-run-purge", "task-status", "task-status"]

import datetime

import pytest
from django.utils import timezone

from pit import retention
from pit.models import JobRun
from watchdog.models import WatchdogScanLog

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_each_rule_deletes_rows_past_their_age_and_records_its_run(org, monkeypatch):
    monkeypatch.setattr(retention, "CHUNK", 2)  # several chunks
    now = timezone.now()
    for days in (366, 10):
        WatchdogScanLog.objects.create(org=org, started_at=now - days * DAY)
    for days in (400, 370, 5):
        JobRun.objects.create(name="task-status", started_at=now - days * DAY)

    runs = {run.name: run.rows_changed for run in retention.purge_expired_rows(now=now)}
    assert runs == {"scan-log-purge": 1, "job-run-purge": 2}  # read notifications: notifications.jobs.purge_read
    assert WatchdogScanLog.objects.count() == 1
    assert JobRun.objects.filter(name="task-status").count() == 1
    again = {run.name: run.rows_changed for run in retention.purge_expired_rows(now=now)}
    assert set(again.values()) == {0}

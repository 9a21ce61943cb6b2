"""The scan engine: upserts without duplicates, writes nothing when nothing changed, all or nothing, one at a
time per organisation, a log and a summary, and red alerts in the project's RAG status."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from pit.enums import AiModel, TaskStatus
from pit.models import AiCallLog, JobRun
from projects import rollups
from projects.models import Project, Task
from watchdog import scan as scanning
from watchdog import summary
from watchdog.models import WatchdogAlert, WatchdogScanLog
from watchdog.scan import LOCK_SPACE, ScanBusy, scan
from watchdog.tests.factories import DAY, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(org, manager):
    return plan(org, manager)


def alert_rows(org):
    return list(WatchdogAlert.objects.for_org(org).order_by("pk").values())


def test_double_scan_creates_no_duplicates_and_writes_nothing(org, p):
    p.task(start=-20, end=-1)
    p.task(start=-20, end=-9)
    first = scan(org=org)
    assert first.changes["new"] == 2 and first.log.issues_detected == 2
    before = alert_rows(org)
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM watchdog_alert ORDER BY id")
        versions = cursor.fetchall()
    second = scan(org=org)
    assert alert_rows(org) == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM watchdog_alert ORDER BY id")
        assert cursor.fetchall() == versions  # not even rewritten with the same values
    assert second.changes["updated"] == 0 and second.changes["resolved"] == 0
    assert second.job.rows_changed == 0
    assert "Nothing changed since the last scan." in second.log.ai_summary
    assert WatchdogScanLog.objects.filter(org=org).count() == 2


def test_severity_follows_the_situation_and_escalation_clears_an_acknowledgement(org, p, manager):
    task = p.task(start=-20, end=-2)
    scan(org=org)
    alert = WatchdogAlert.objects.get(subject_id=task.pk, code="TASK_OVERDUE")
    WatchdogAlert.objects.filter(pk=alert.pk).update(acknowledged_at=timezone.now(), acknowledged_by=manager)
    Task.objects.filter(pk=task.pk).update(end_date=p.today - 10 * DAY)
    result = scan(org=org)
    alert.refresh_from_db()
    assert (alert.severity, alert.acknowledged_at, result.changes["raised"]) == ("red", None, 1)
    Task.objects.filter(pk=task.pk).update(end_date=p.today - 3 * DAY)
    assert scan(org=org).changes["lowered"] == 1
    assert WatchdogAlert.objects.filter(code="TASK_OVERDUE").count() == 1  # the same alert throughout


def test_a_resolved_problem_that_returns_opens_a_new_alert(org, p):
    task = p.task(start=-20, end=-2)
    scan(org=org)
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED, progress_percent=100)
    assert scan(org=org).changes["resolved"] == 1
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.OVERDUE, progress_percent=50)
    scan(org=org)
    rows = WatchdogAlert.objects.filter(subject_id=task.pk, code="TASK_OVERDUE")
    assert rows.count() == 2 and rows.open().count() == 1


def test_a_deleted_task_resolves_its_alerts(org, p):
    task = p.task(start=-20, end=-2)
    scan(org=org)
    Task.objects.filter(pk=task.pk).update(deleted_at=timezone.now())
    scan(org=org)
    assert not WatchdogAlert.objects.open().filter(subject_id=task.pk).exists()


def test_a_scan_killed_halfway_leaves_the_alerts_as_they_were(org, p, monkeypatch):
    old = p.task(start=-20, end=-2)
    scan(org=org)
    before = alert_rows(org)
    Task.objects.filter(pk=old.pk).update(status=TaskStatus.COMPLETED, progress_percent=100)
    p.task(start=-20, end=-9)

    def boom(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(scanning.summary, "write", boom)  # after the upsert and the resolve
    with pytest.raises(RuntimeError):
        scan(org=org)
    assert alert_rows(org) == before
    failed = JobRun.objects.filter(name="watchdog-scan").first()
    assert "killed" in failed.detail["failed"]
    assert WatchdogScanLog.objects.filter(org=org).count() == 1


def test_one_scan_per_organisation_at_a_time(org, other_org, p):
    p.task(start=-20, end=-2)
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=False) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, org.pk])
        with pytest.raises(ScanBusy, match="already running"):
            scan(org=org)
        assert scan(org=other_org).log.org == other_org  # another organisation is not held up
    assert not WatchdogAlert.objects.for_org(org).exists()
    assert scan(org=org).changes["new"] == 1


def test_one_project_scan_touches_only_that_project(org, manager, p):
    other = plan(org, manager)
    mine = p.task(start=-20, end=-2)
    theirs = other.task(start=-20, end=-2)
    scan(org=org)
    Task.objects.filter(pk__in=[mine.pk, theirs.pk]).update(status=TaskStatus.COMPLETED, progress_percent=100)
    result = scan(org=org, project=p.project)
    assert result.log.projects_scanned == 1 and result.changes["resolved"] == 1
    assert WatchdogAlert.objects.open().filter(subject_id=theirs.pk).exists()


def test_red_alerts_make_a_project_at_risk(org, p, make_user):
    leaver = make_user(is_active=False)
    p.task(start=-20, end=200, progress_percent=60, owner=leaver)  # ahead of plan: only its owner is a problem
    rollups.recompute([p.project.pk])
    assert Project.objects.get(pk=p.project.pk).status == "on_track"
    scan(org=org)
    assert WatchdogAlert.objects.open().get(code="NO_OWNER").severity == "red"
    assert Project.objects.get(pk=p.project.pk).status == "at_risk"


def test_summary_names_new_reds_resolved_and_worst_projects(org, p):
    p.task(start=-20, end=-10)
    text = scan(org=org).log.ai_summary
    assert "1 open alert (1 red, 0 yellow)" in text
    assert "New red: 1 (Task overdue ×1)" in text
    assert f"Worst: {p.project.name} (1 red)" in text


def test_a_configured_model_rewrites_the_summary_after_the_scan_and_the_template_stays_when_it_fails(
    org, p, settings, django_capture_on_commit_callbacks
):
    class Model(BaseHTTPRequestHandler):
        replies = ["  Task overdue turned red on one project.  ", ""]

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            answer = json.dumps({"choices": [{"message": {"content": Model.replies.pop(0)}}]}).encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Model)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.AI_HTTP_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.AI_HTTP_MODELS = {AiModel.GPT4O_MINI: "tiny-summariser"}
    try:
        p.task(start=-20, end=-10)
        with django_capture_on_commit_callbacks() as queued:
            log = scan(org=org).log
        assert len(queued) == 1  # the model is asked after the commit, never inside the scan
        template = log.ai_summary
        assert summary.rewrite(log) and WatchdogScanLog.objects.get(pk=log.pk).ai_summary == (
            "Task overdue turned red on one project."
        )
        WatchdogScanLog.objects.filter(pk=log.pk).update(ai_summary=template)
        assert not summary.rewrite(log)  # an empty answer keeps the template
        assert WatchdogScanLog.objects.get(pk=log.pk).ai_summary == template
        calls = AiCallLog.objects.filter(job=summary.JOB).values_list("outcome", flat=True)
        assert sorted(calls) == ["bad_response", "ok"]
    finally:
        server.shutdown()
        server.server_close()


def test_without_a_model_the_template_is_the_summary_and_nothing_is_queued(org, p, django_capture_on_commit_callbacks):
    p.task(start=-20, end=-10)
    with django_capture_on_commit_callbacks() as queued:
        scan(org=org)
    assert queued == [] and not AiCallLog.objects.exists()

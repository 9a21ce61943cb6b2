"""The task status engine: derived statuses, what people set, the evidence rule, and the nightly set-based run."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import OrganisationFactory, UserFactory
from evidence.models import Evidence
from pit.enums import EvidenceType, ReviewDecision, TaskStatus
from pit.models import AuditLog, JobRun
from projects import services
from projects.jobs import organisations_past_midnight, recompute_statuses
from projects.models import Task
from projects.status import derived_status_expression, status_on
from projects.tests.factories import TaskFactory, task_in

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 11, 1), D(2026, 11, 22), TaskStatus.OVERDUE),
        (D(2026, 11, 1), D(2026, 11, 23), TaskStatus.DUE_TODAY),
        (D(2026, 11, 23), D(2026, 11, 30), TaskStatus.ACTIVE),
        (D(2026, 12, 7), D(2026, 12, 30), TaskStatus.UPCOMING),
        (D(2026, 12, 8), D(2026, 12, 30), TaskStatus.NOT_STARTED),
    ],
)
def test_python_and_sql_agree_on_the_derived_status(org, member, start, end, expected):
    task = task_in(org, member, start_date=start, end_date=end)
    in_sql = Task.objects.annotate(s=derived_status_expression(TODAY)).get(pk=task.pk).s
    assert status_on(task, TODAY) == in_sql == expected


def test_statuses_people_set_are_kept(org, member):
    task = task_in(org, member, start_date=D(2026, 7, 1), end_date=D(2026, 7, 2))
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.BLOCKED, blocked_reason="Waiting")
    task.refresh_from_db()
    assert status_on(task, TODAY) == TaskStatus.BLOCKED
    assert Task.objects.annotate(s=derived_status_expression(TODAY)).get(pk=task.pk).s == TaskStatus.BLOCKED


def test_blocking_needs_a_reason_and_reopening_follows_the_dates(org, member):
    task = task_in(org, member, start_date=D(2026, 7, 1), end_date=D(2026, 7, 2))
    with pytest.raises(ValidationError, match="Say why the task is blocked"):
        services.set_task_status(actor=member, task=task, status=TaskStatus.BLOCKED, blocked_reason="  ")
    assert Task.objects.get(pk=task.pk).status != TaskStatus.BLOCKED
    services.set_task_status(actor=member, task=task, status=TaskStatus.BLOCKED, blocked_reason="No access")
    assert Task.objects.get(pk=task.pk).blocked_reason == "No access"
    services.set_task_status(actor=member, task=task, status="open")
    reopened = Task.objects.get(pk=task.pk)
    assert (reopened.status, reopened.blocked_reason) == (TaskStatus.OVERDUE, "")


def test_completing_sets_progress_and_lowering_progress_reopens(org, member):
    task = task_in(org, member, start_date=D(2026, 7, 1), end_date=D(2026, 7, 2), progress_percent=40)
    services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    assert Task.objects.values_list("status", "progress_percent").get(pk=task.pk) == ("completed", 100)
    services.set_task_progress(actor=member, task=task, progress_percent=70)
    assert Task.objects.values_list("status", "progress_percent").get(pk=task.pk) == ("overdue", 70)
    services.set_task_progress(actor=member, task=task, progress_percent=100)
    services.set_task_status(actor=member, task=task, status="open")
    assert Task.objects.values_list("status", "progress_percent").get(pk=task.pk) == ("overdue", 99)


@pytest.mark.parametrize("value", ["101", "-1", "half", None])
def test_bad_progress_is_refused_and_changes_nothing(org, member, value):
    task = task_in(org, member, progress_percent=10)
    with pytest.raises(ValidationError, match="Progress must be between 0 and 100|whole number from 0 to 100"):
        services.set_task_progress(actor=member, task=task, progress_percent=value)
    assert Task.objects.get(pk=task.pk).progress_percent == 10


def test_a_task_that_requires_evidence_cannot_be_completed_without_accepted_evidence(org, member):
    task = task_in(org, member, requires_evidence=True, progress_percent=50)
    audits = AuditLog.objects.count()
    for attempt in (
        lambda: services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED),
        lambda: services.set_task_progress(actor=member, task=task, progress_percent=100),
    ):
        with pytest.raises(ValidationError, match="needs accepted evidence before it can be completed"):
            attempt()
    assert Task.objects.values_list("status", "progress_percent").get(pk=task.pk)[1] == 50
    assert AuditLog.objects.count() == audits
    evidence = Evidence.objects.create(
        task=task, uploaded_by=member, file_url="k/1.pdf", file_type=EvidenceType.DOCUMENT
    )
    Evidence.objects.filter(pk=evidence.pk).update(review_state=ReviewDecision.REJECTED)
    with pytest.raises(ValidationError):
        services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    Evidence.objects.filter(pk=evidence.pk).update(review_state=ReviewDecision.ACCEPTED)
    services.set_task_status(actor=member, task=task, status=TaskStatus.COMPLETED)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.COMPLETED


def test_the_nightly_run_is_set_based_audited_and_recorded(org, member):
    other = OrganisationFactory(time_zone="Pacific/Honolulu")
    stale = [
        task_in(org, member, start_date=D(2026, 11, 1), end_date=D(2026, 11, 20)),  # now overdue
        task_in(org, member, start_date=D(2026, 11, 20), end_date=D(2026, 11, 23)),  # now due today
        task_in(other, UserFactory(org=other), start_date=D(2026, 11, 20), end_date=D(2026, 11, 30)),  # active
    ]
    kept = TaskFactory(deliverable=stale[0].deliverable, status=TaskStatus.COMPLETED, progress_percent=100)
    Task.objects.update(status=TaskStatus.NOT_STARTED)
    Task.objects.filter(pk=kept.pk).update(status=TaskStatus.COMPLETED)
    with CaptureQueriesContext(connection) as queries:
        run = recompute_statuses(today=TODAY)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "task"')]
    assert len(updates) == 1  # one statement for every task, not one per row
    statuses = dict(Task.objects.values_list("pk", "status"))
    assert [statuses[t.pk] for t in stale] == ["overdue", "due_today", "active"]
    assert statuses[kept.pk] == "completed"
    assert run == JobRun.objects.get(name="task-status")
    assert run.rows_changed == 3 and run.detail["tasks_by_new_status"]["overdue"] == 1
    audited = AuditLog.objects.filter(action="UPDATE", table_name="task", after_state__by="status engine")
    assert sorted(int(a.record_id) for a in audited) == sorted(t.pk for t in stale)
    assert recompute_statuses(today=TODAY).rows_changed == 0  # idempotent


def test_each_organisation_gets_its_own_today(member, org):
    """Sydney is a day ahead of Honolulu: a task ending "today" in Honolulu is overdue in Sydney's calendar."""
    honolulu = OrganisationFactory(time_zone="Pacific/Honolulu")
    org.time_zone = "Australia/Sydney"
    org.save()
    day = honolulu.today()
    here = task_in(org, member, start_date=day - datetime.timedelta(days=3), end_date=day)
    there = task_in(honolulu, UserFactory(org=honolulu), start_date=here.start_date, end_date=day)
    recompute_statuses()
    expected_here = status_on(Task(status="not_started", start_date=here.start_date, end_date=day), org.today())
    assert Task.objects.get(pk=here.pk).status == expected_here
    assert Task.objects.get(pk=there.pk).status == TaskStatus.DUE_TODAY


def test_the_hourly_run_takes_the_organisations_whose_day_just_began(org):
    org.time_zone = "Australia/Sydney"
    org.save()
    honolulu = OrganisationFactory(time_zone="Pacific/Honolulu")
    sydney_midnight = datetime.datetime(2026, 11, 23, 13, 5, tzinfo=datetime.UTC)  # 00:05 AEDT
    honolulu_midnight = datetime.datetime(2026, 11, 23, 10, 5, tzinfo=datetime.UTC)  # 00:05 HST
    assert organisations_past_midnight(sydney_midnight) == [org]
    assert organisations_past_midnight(honolulu_midnight) == [honolulu]
    assert organisations_past_midnight(datetime.datetime(2026, 11, 23, 12, 5, tzinfo=datetime.UTC)) == []

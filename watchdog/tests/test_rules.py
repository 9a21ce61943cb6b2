"""Each rule from scratch: the alert appears with the right severity, escalates, resolves when fixed, and nothing
appears just outside each threshold."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from calendars import sql as working_days
from decisions.models import Decision
from decisions.tests.factories import raise_decision
from evidence.models import Evidence
from pit.enums import TaskStatus
from projects import dependencies, rollups, services
from projects.models import ApprovedBudget, Task
from watchdog import forecast
from watchdog import rules as rules_package
from watchdog.models import WatchdogSettings
from watchdog.rules import registry
from watchdog.tests.factories import DAY, open_alerts, plan

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


@pytest.fixture
def p(org, manager):
    return plan(org, manager)


def update(task: Task, **fields) -> None:
    Task.all_objects.filter(pk=task.pk).update(**fields)


def test_every_rule_is_registered_and_documented():
    rules = registry()
    assert set(rules) >= {
        "EVIDENCE_REVIEW_STALE", "DECISION_OVERDUE",
        "TASK_OVERDUE", "TASK_DUE_SOON_NOT_STARTED", "PROGRESS_STALLED", "SCHEDULE_SLIP", "DEPENDENCY_VIOLATION",
        "MILESTONE_AT_RISK", "EVIDENCE_MISSING", "BUDGET_OVER", "NO_OWNER", "BLOCKED_TOO_LONG",
    }  # fmt: skip
    for rule in rules.values():
        assert rule.doc and rule.title and "{scope}" in rule.sql, rule.code
        assert all(t.minimum <= t.default <= t.maximum for t in rule.thresholds.values()), rule.code


def test_task_overdue_yellow_then_red_then_resolved(org, p, manager):
    task = p.task(start=-20, end=-1, status=TaskStatus.OVERDUE)
    on_time = p.task(start=-20, end=0)  # due today: not late yet
    assert open_alerts(org, "TASK_OVERDUE") == {task.pk: "yellow"}
    update(task, end_date=p.today - 6 * DAY)
    assert open_alerts(org, "TASK_OVERDUE") == {task.pk: "yellow"}
    update(task, end_date=p.today - 7 * DAY)
    assert open_alerts(org, "TASK_OVERDUE") == {task.pk: "red"}
    update(task, status=TaskStatus.COMPLETED, progress_percent=100)
    assert open_alerts(org, "TASK_OVERDUE") == {}
    assert on_time.pk not in open_alerts(org, "TASK_OVERDUE")


def test_thresholds_are_the_organisations_own(org, p):
    task = p.task(start=-20, end=-3)
    assert open_alerts(org, "TASK_OVERDUE") == {task.pk: "yellow"}
    WatchdogSettings.objects.create(org=org, thresholds={"TASK_OVERDUE": {"red_days": 3}})
    assert open_alerts(org, "TASK_OVERDUE") == {task.pk: "red"}


def test_due_soon_not_started(org, p):
    task = p.task(start=-2, end=5, progress_percent=0)
    p.task(start=-2, end=6, progress_percent=0)  # ends just beyond the window
    p.task(start=-2, end=3, progress_percent=1)  # has started
    assert open_alerts(org, "TASK_DUE_SOON_NOT_STARTED") == {task.pk: "yellow"}
    update(task, end_date=p.today + DAY)
    assert open_alerts(org, "TASK_DUE_SOON_NOT_STARTED") == {task.pk: "red"}
    update(task, progress_percent=10)
    assert open_alerts(org, "TASK_DUE_SOON_NOT_STARTED") == {}


def test_progress_stalled_measured_from_the_last_progress_change(org, p, manager):
    task = p.task(start=-40, end=20, progress_percent=20)
    fresh = p.task(start=-40, end=20, progress_percent=20)
    update(task, progress_changed_at=timezone.now() - 14 * DAY)
    update(fresh, progress_changed_at=timezone.now() - 13 * DAY)
    assert open_alerts(org, "PROGRESS_STALLED") == {task.pk: "yellow"}
    update(task, progress_changed_at=timezone.now() - 28 * DAY)
    assert open_alerts(org, "PROGRESS_STALLED") == {task.pk: "red"}
    services.set_task_progress(actor=manager, task=task, progress_percent=30)  # the service stamps the change
    assert open_alerts(org, "PROGRESS_STALLED") == {}


def test_progress_stalled_counts_from_the_start_date(org, p):
    task = p.task(start=-13, end=20, progress_percent=0)
    update(task, progress_changed_at=timezone.now() - 60 * DAY)
    assert open_alerts(org, "PROGRESS_STALLED") == {}
    update(task, start_date=p.today - 14 * DAY)
    assert open_alerts(org, "PROGRESS_STALLED") == {task.pk: "yellow"}


def test_schedule_slip_by_points_behind(org, p):
    # 100 days, day 50 today: 50 % of the time gone; the deliverable ends far later, so only the points count
    task = p.task(start=-49, end=50, progress_percent=35)  # 15 points behind: not more than 15
    assert open_alerts(org, "SCHEDULE_SLIP") == {}
    update(task, progress_percent=34)
    assert open_alerts(org, "SCHEDULE_SLIP") == {task.pk: "yellow"}
    update(task, progress_percent=19)
    assert open_alerts(org, "SCHEDULE_SLIP") == {task.pk: "red"}
    update(task, progress_percent=60)
    assert open_alerts(org, "SCHEDULE_SLIP") == {}


def test_schedule_slip_by_forecast_beyond_the_deliverable(org, manager):
    tight = plan(org, manager, start=-49, end=50)  # the deliverable ends when the task does
    task = tight.task(start=-49, end=50, progress_percent=49)  # forecast: 3 days after the deliverable ends
    assert forecast.task_finish(task.start_date, task.end_date, 49, tight.today) == tight.today + 53 * DAY
    assert open_alerts(org, "SCHEDULE_SLIP") == {}
    update(task, progress_percent=48)  # 5 days after
    assert open_alerts(org, "SCHEDULE_SLIP") == {task.pk: "yellow"}
    update(task, progress_percent=45)  # 62 days at this rate: 12 days after
    assert open_alerts(org, "SCHEDULE_SLIP") == {task.pk: "red"}


def test_dependency_violation(org, p, manager):
    first = p.task(start=-5, end=10)
    second = p.task(start=8, end=20, progress_percent=0)  # allowed from day 11: 3 days early
    dependencies.add_dependency(actor=manager, predecessor=first, successor=second)
    assert open_alerts(org, "DEPENDENCY_VIOLATION") == {second.pk: "yellow"}
    update(second, start_date=p.today + 6 * DAY)
    assert open_alerts(org, "DEPENDENCY_VIOLATION") == {second.pk: "red"}
    update(second, start_date=p.today + 11 * DAY)
    assert open_alerts(org, "DEPENDENCY_VIOLATION") == {}
    update(second, start_date=p.today + 6 * DAY)
    update(first, status=TaskStatus.COMPLETED, progress_percent=100)  # done early: the successor may start
    assert open_alerts(org, "DEPENDENCY_VIOLATION") == {}


def test_milestone_at_risk_from_the_forecast(org, p):
    p.milestone.end_date = p.today + 10 * DAY
    p.milestone.save()
    task = p.task(start=-10, end=10, progress_percent=53)  # 21 days, 11 gone: forecast on the end date
    assert open_alerts(org, "MILESTONE_AT_RISK") == {}
    update(task, progress_percent=40)  # forecast 7 days late
    assert open_alerts(org, "MILESTONE_AT_RISK") == {p.milestone.pk: "yellow"}
    update(task, progress_percent=35)  # 11 days late
    assert open_alerts(org, "MILESTONE_AT_RISK") == {p.milestone.pk: "red"}
    update(task, status=TaskStatus.COMPLETED, progress_percent=100)
    assert open_alerts(org, "MILESTONE_AT_RISK") == {}


def test_evidence_missing(org, p, manager):
    task = p.task(start=-10, end=7, requires_evidence=True)
    p.task(start=-10, end=8, requires_evidence=True)  # beyond the window
    p.task(start=-10, end=-1)  # needs none
    assert open_alerts(org, "EVIDENCE_MISSING") == {task.pk: "yellow"}
    update(task, end_date=p.today - DAY)
    assert open_alerts(org, "EVIDENCE_MISSING") == {task.pk: "red"}
    evidence = Evidence.objects.create(task=task, uploaded_by=manager, file_url="k/1", file_type="document")
    assert open_alerts(org, "EVIDENCE_MISSING") == {}
    Evidence.all_objects.filter(pk=evidence.pk).update(deleted_at=timezone.now())  # deleted evidence is none
    assert open_alerts(org, "EVIDENCE_MISSING") == {task.pk: "red"}


def test_evidence_review_stale(org, p, manager):
    def pending(name, waited_days, **fields):
        since = timezone.now() - waited_days * DAY
        return Evidence.objects.create(
            task=p.task(start=-20, end=10, requires_evidence=True), uploaded_by=manager, file_url=f"k/{name}",
            file_type="document", metadata={"filename": name}, review_state_at=since, **fields,
        )  # fmt: skip

    stale = pending("slab.pdf", 3)
    pending("fresh.pdf", 2)  # inside the threshold
    pending("old-version.pdf", 30, is_current=False)  # an earlier version waits for nobody
    pending("accepted.pdf", 30, review_state="accepted")
    assert open_alerts(org, "EVIDENCE_REVIEW_STALE") == {stale.pk: "yellow"}
    Evidence.objects.filter(pk=stale.pk).update(review_state_at=timezone.now() - 7 * DAY)
    assert open_alerts(org, "EVIDENCE_REVIEW_STALE") == {stale.pk: "red"}
    Evidence.objects.filter(pk=stale.pk).update(review_state="accepted")
    assert open_alerts(org, "EVIDENCE_REVIEW_STALE") == {}


def test_decision_overdue(org, p, manager):
    now = timezone.now()
    late = raise_decision(manager, project=p.project, now=now - 10 * DAY, sla_hours=24)
    raise_decision(manager, project=p.project, now=now, sla_hours=24, title="Not due yet")
    raise_decision(manager, now=now - 10 * DAY, sla_hours=24, title="On no project")  # nowhere to show it
    Decision.objects.filter(pk=late.pk).update(due_at=now - 71 * HOUR)
    assert open_alerts(org, "DECISION_OVERDUE") == {late.pk: "yellow"}
    Decision.objects.filter(pk=late.pk).update(due_at=now - 73 * HOUR)
    assert open_alerts(org, "DECISION_OVERDUE") == {late.pk: "red"}
    Decision.objects.filter(pk=late.pk).update(status="DEFERRED")  # parked: not overdue
    assert open_alerts(org, "DECISION_OVERDUE") == {}


def test_budget_over(org, p):
    p.task(capex_cost=Decimal("1000"), fy_allocation=2027)
    rollups.recompute([p.project.pk])
    approved = ApprovedBudget.objects.create(project=p.project, financial_year=2027, capex_approved=1000)
    assert open_alerts(org, "BUDGET_OVER") == {}
    ApprovedBudget.objects.filter(pk=approved.pk).update(capex_approved=Decimal("950"))  # 5.3 % over
    assert open_alerts(org, "BUDGET_OVER") == {approved.pk: "yellow"}
    ApprovedBudget.objects.filter(pk=approved.pk).update(capex_approved=Decimal("900"))  # 11.1 % over
    assert open_alerts(org, "BUDGET_OVER") == {approved.pk: "red"}
    ApprovedBudget.objects.filter(pk=approved.pk).update(capex_approved=Decimal("1200"))  # more money approved
    assert open_alerts(org, "BUDGET_OVER") == {}


def test_no_owner(org, p, make_user):
    leaver = make_user(name="Lee Leaver")
    task = p.task(start=8, end=20, owner=leaver)
    p.task(start=8, end=20)
    assert open_alerts(org, "NO_OWNER") == {}
    leaver.is_active = False
    leaver.save()
    assert open_alerts(org, "NO_OWNER") == {task.pk: "yellow"}
    update(task, start_date=p.today + 7 * DAY)
    assert open_alerts(org, "NO_OWNER") == {task.pk: "red"}
    update(task, owner=p.project.owner)  # handed over
    assert open_alerts(org, "NO_OWNER") == {}


def test_blocked_too_long(org, p, manager):
    task = p.task(status=TaskStatus.BLOCKED, blocked_reason="No permit", blocked_at=timezone.now() - 4 * DAY)
    assert open_alerts(org, "BLOCKED_TOO_LONG") == {}
    update(task, blocked_at=timezone.now() - 5 * DAY)
    assert open_alerts(org, "BLOCKED_TOO_LONG") == {task.pk: "yellow"}
    update(task, blocked_at=timezone.now() - 14 * DAY)
    assert open_alerts(org, "BLOCKED_TOO_LONG") == {task.pk: "red"}
    services.set_task_status(actor=manager, task=task, status="open")
    assert Task.objects.get(pk=task.pk).blocked_at is None
    assert open_alerts(org, "BLOCKED_TOO_LONG") == {}


def test_blocking_stamps_the_time(org, p, manager):
    task = p.task()
    services.set_task_status(actor=manager, task=task, status=TaskStatus.BLOCKED, blocked_reason="Rain")
    assert Task.objects.get(pk=task.pk).blocked_at is not None


@pytest.mark.parametrize(
    ("start", "end", "progress", "expected"),
    [
        (-49, 50, 50, 50),  # on plan
        (-49, 50, 25, 150),  # half the rate: twice as long
        (5, 10, 0, 10),  # not started: the plan holds
        (-3, 10, 0, 13),  # started at 0 %: the whole duration from today... or the end, if later
        (-20, 2, 0, 22),
        (-9, -1, 90, 2),  # overdue, nearly done: 10 days for 90 % make 12 in all
    ],
)
def test_forecast_python_and_sql_agree(org, p, start, end, progress, expected):
    task = p.task(start=start, end=end, progress_percent=progress)
    python = forecast.task_finish(task.start_date, task.end_date, progress, p.today)
    assert python == p.today + expected * DAY
    with connection.cursor() as cursor:
        working_days.prepare(cursor, org.pk, p.today)  # the working days finish_sql counts (every day, here)
        cursor.execute(f"SELECT {forecast.finish_sql()} FROM task t {forecast.days_join()} WHERE t.id = %(id)s",
                       {"today": p.today, "id": task.pk})  # fmt: skip
        assert cursor.fetchone()[0] == python


EXTRA_RULE = '''"""Every open task named "Extra" (a stand-in for a rule another domain brings)."""

CODE = "EXTRA_STAND_IN"
TITLE = "Extra stand-in"
SUBJECT = "task"
THRESHOLDS = {}
URL = "/tasks/{subject_id}/#extra"
SQL = """
SELECT t.project_id, 'task', t.id, t.owner_id, 'red', 'An extra problem.', jsonb_build_object('name', t.name)
FROM task t JOIN project p ON p.id = t.project_id WHERE {scope} AND t.deleted_at IS NULL AND t.name = 'Extra'
"""
'''


def test_a_new_rule_is_one_module(org, p, manager_client):
    """What EVIDENCE_REVIEW_STALE and DECISION_OVERDUE will do: drop a module in watchdog/rules/, nothing else."""
    task = p.task(name="Extra")
    module = Path(rules_package.__file__).parent / "extra_stand_in_for_test.py"
    module.write_text(EXTRA_RULE)
    registry.cache_clear()
    try:
        assert open_alerts(org, "EXTRA_STAND_IN") == {task.pk: "red"}
        body = manager_client.get("/alerts/?rule=EXTRA_STAND_IN").content.decode()
        assert "Extra stand-in" in body and f"/tasks/{task.pk}/#extra" in body
    finally:
        module.unlink()
        registry.cache_clear()
    assert open_alerts(org, "EXTRA_STAND_IN") == {}  # its module gone, its alerts resolve

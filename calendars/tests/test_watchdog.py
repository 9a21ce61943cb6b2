"""The watchdog's set-based rules on a Monday-to-Friday calendar with a holiday, hand-checked; and the SQL working-day
expressions (calendars.sql) agree with WorkingCalendar."""

import datetime
import random

import pytest
from django.db import connection, transaction

from accounts.models import Organisation
from calendars import services
from calendars import sql as wd
from calendars.selectors import calendar_for_org
from projects import dependencies
from projects.tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory, TaskFactory
from watchdog import forecast
from watchdog.models import WatchdogAlert
from watchdog.tests.factories import open_alerts

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 7, 15)  # a Wednesday; Mon 13 Jul is the organisation's holiday


@pytest.fixture
def slab(org, org_admin, manager, monkeypatch):
    monkeypatch.setattr(Organisation, "today", lambda self: TODAY)
    services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 13), name="Depot day")
    dates = {"start_date": D(2026, 6, 1), "end_date": D(2026, 12, 31)}
    project = ProjectFactory(org=org, owner=manager, **dates)
    milestone = MilestoneFactory(project=project, owner=manager, **dates)
    return DeliverableFactory(milestone=milestone, project=project, owner=manager, **dates)


def task(deliverable, start, end, **fields):
    fields.setdefault("progress_percent", 50)
    return TaskFactory(deliverable=deliverable, start_date=start, end_date=end, status="active", **fields)


def test_days_late_are_working_days(org, slab):
    """Ended Thu 9 Jul: late on Fri 10, Tue 14 and Wed 15 (Mon 13 is a holiday) — 3 working days, not 6. Ended Fri
    3 Jul: 6, 7, 8, 9, 10, 14, 15 Jul — 7 working days, red. Ended Fri 10 Jul: 14 and 15 Jul."""
    three = task(slab, D(2026, 7, 1), D(2026, 7, 9), name="Pour")
    seven = task(slab, D(2026, 6, 22), D(2026, 7, 3), name="Dig")
    two = task(slab, D(2026, 7, 6), D(2026, 7, 10), name="Cure")
    assert open_alerts(org, "TASK_OVERDUE") == {three.pk: "yellow", seven.pk: "red", two.pk: "yellow"}
    messages = dict(WatchdogAlert.objects.filter(code="TASK_OVERDUE").values_list("subject_id", "message"))
    assert messages[three.pk] == "“Pour” is 3 working days late (due 9 Jul 2026)."
    assert messages[seven.pk] == "“Dig” is 7 working days late (due 3 Jul 2026)."


def test_a_successor_may_start_on_the_first_working_day_after_its_predecessor(org, slab, manager):
    """Cure ends Fri 10 Jul; Mon 13 Jul is a holiday, so Seal may start Tue 14 Jul, not Mon 13 Jul."""
    cure = task(slab, D(2026, 7, 6), D(2026, 7, 10), name="Cure", progress_percent=90)
    seal = task(slab, D(2026, 7, 13), D(2026, 7, 17), name="Seal", progress_percent=0)
    dependencies.add_dependency(actor=manager, predecessor=cure, successor=seal)
    assert open_alerts(org, "DEPENDENCY_VIOLATION") == {seal.pk: "yellow"}
    alert = WatchdogAlert.objects.get(code="DEPENDENCY_VIOLATION")
    assert alert.data["earliest_start"] == "2026-07-14" and alert.data["days_early"] == 1


def test_the_sql_expressions_agree_with_the_calendar(org, org_admin):
    for day, name in ((D(2026, 12, 25), "Christmas Day"), (D(2026, 12, 28), "Boxing Day"), (D(2027, 1, 1), "NYD")):
        services.add_holiday(actor=org_admin, org=org, day=day, name=name)
    calendar, rng = calendar_for_org(org), random.Random(16)
    cases = [(D(2026, 11, 1) + datetime.timedelta(days=rng.randrange(120)), rng.randrange(-40, 40)) for _ in range(60)]
    cases += [(D(2026, 12, 26), 1), (D(2026, 12, 28), -1), (D(2026, 12, 28), 0), (D(2026, 12, 24), 2)]
    with transaction.atomic(), connection.cursor() as cursor:
        wd.prepare(cursor, org.pk, TODAY)
        for day, count in cases:
            other = day + datetime.timedelta(days=count)
            cursor.execute(
                f"SELECT {wd.add_working_days('%(d)s::date', '%(k)s')},"
                f" {wd.working_days_between('%(d)s::date', '%(o)s::date')},"
                f" {wd.working_days_in('%(d)s::date', '%(o)s::date')}",
                {"d": day, "k": count, "o": other},
            )
            moved, between, inside = cursor.fetchone()
            assert moved == calendar.add_working_days(day, count), (day, count)
            assert between == calendar.working_days_between(day, other), (day, other)
            assert inside == calendar.working_days_in(day, other), (day, other)


def test_the_forecast_in_sql_agrees_with_python_on_working_days(org, org_admin, slab):
    services.add_holiday(actor=org_admin, org=org, day=D(2026, 7, 20), name="Another")
    calendar, rng = calendar_for_org(org), random.Random(3)
    tasks = []
    for _ in range(40):
        start = TODAY + datetime.timedelta(days=rng.randrange(-40, 10))
        end = start + datetime.timedelta(days=rng.randrange(0, 40))
        tasks.append(task(slab, start, end, progress_percent=rng.choice([0, 1, 10, 33, 50, 75, 99])))
    with transaction.atomic(), connection.cursor() as cursor:
        wd.prepare(cursor, org.pk, TODAY)
        cursor.execute(
            f"SELECT t.id, {forecast.finish_sql()} FROM task t {forecast.days_join()} WHERE t.id = ANY(%(ids)s)",
            {"today": TODAY, "ids": [t.pk for t in tasks]},
        )
        sql = dict(cursor.fetchall())
    for t in tasks:
        python = forecast.task_finish(t.start_date, t.end_date, t.progress_percent, TODAY, calendar=calendar)
        assert sql[t.pk] == python, (t.start_date, t.end_date, t.progress_percent)

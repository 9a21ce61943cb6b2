"""Reading `?since=`, the project index of the audit log, and the demo data."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from activity import moments
from activity.changes import changes_since
from activity.models import ProjectEntry
from activity.tests.factories import plan
from pit import audit
from pit.demo import seed_organisations, seed_projects
from pit.models import AuditLog

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 3, 31, 3, 30, tzinfo=datetime.UTC)  # 14:30 in Sydney (daylight time)


@pytest.fixture
def sydney(org):
    org.time_zone = "Australia/Sydney"
    return org


def test_presets_and_typed_moments_in_the_organisations_time_zone(sydney):
    local = ZoneInfo("Australia/Sydney")
    assert moments.parse("yesterday", sydney, NOW) == datetime.datetime(2026, 3, 30, tzinfo=local)
    assert moments.parse("week", sydney, NOW) == NOW - datetime.timedelta(days=7)
    assert moments.parse("month", sydney, NOW) == datetime.datetime(2026, 2, 28, 14, 30, tzinfo=local)  # 31 Feb
    assert moments.parse("2026-03-03T09:00", sydney, NOW) == datetime.datetime(2026, 3, 3, 9, tzinfo=local)
    assert moments.parse("2026-03-03", sydney, NOW) == datetime.datetime(2026, 3, 3, tzinfo=local)
    assert moments.parse("2026-03-03T01:00:00+00:00", sydney, NOW) == datetime.datetime(
        2026, 3, 3, 1, tzinfo=datetime.UTC
    )
    assert moments.parse("", sydney, NOW) is None
    assert moments.label("week", NOW - datetime.timedelta(days=7), sydney) == "last week (24 Mar 2026 14:30)"


@pytest.mark.parametrize("value, message", [("soon", moments.BAD), ("2026-13-01", moments.BAD),
                                            ("2026-04-01T00:00", moments.FUTURE)])  # fmt: skip
def test_bad_moments_say_why(sydney, value, message):
    with pytest.raises(moments.BadMoment, match=message[:20]):
        moments.parse(value, sydney, NOW)


def test_every_audit_row_about_the_plan_gets_its_project(org, manager):
    project, milestone, deliverable, tasks = plan(org, manager, tasks=2)
    entries = dict(ProjectEntry.objects.values_list("audit_id", "project_id"))
    about_plan = AuditLog.objects.filter(table_name__in=["project", "milestone", "deliverable", "task"])
    assert set(entries) == set(about_plan.values_list("pk", flat=True)) and set(entries.values()) == {project.pk}
    with transaction.atomic():  # a bulk write: one statement, one entry per row; other tables get none
        audit.record_rows(actor=manager, org=org, action="UPDATE", table_name="task",
                          record_ids=[t.pk for t in tasks], after={"status": "active"})  # fmt: skip
        audit.record(actor=manager, org=org, action="LOGIN", table_name="user", record_id=manager.pk)
        audit.record(actor=manager, org=org, action="UPDATE", table_name="task", record_id="not-a-number")
    assert ProjectEntry.objects.count() == len(entries) + 2


def test_demo_data_shows_changes_since_yesterday():
    orgs = seed_organisations(1)
    seed_projects(orgs, projects=2, tasks=40, seed=5)
    from activity import demo

    demo.seed(orgs, seed=5)
    project = orgs[0].projects.order_by("-pk").first()
    yesterday = moments.parse("yesterday", orgs[0])
    changes = changes_since(project, yesterday)
    assert changes.counts()["changed"] >= 3 and changes.counts()["added"] == 0
    older = orgs[0].projects.order_by("pk").first()
    assert changes_since(older, yesterday).changes == []  # bulk-loaded and untouched: nothing reported


def test_kind_indexes_match_the_filters():
    """The partial indexes serve the kind filter only while their predicates are the filter's SQL."""
    from importlib import import_module

    from activity.feed import KINDS

    migration = import_module("activity.migrations.0003_kind_indexes")
    assert {
        kind: sql for kind, (_, sql) in KINDS.items() if kind in migration.KIND_PREDICATES
    } == migration.KIND_PREDICATES
    assert set(KINDS) - set(migration.KIND_PREDICATES) == {"added", "removed", "restored"}

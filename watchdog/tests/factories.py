"""A plan to build watchdog situations in: one project around today with one milestone and one deliverable.

Its organisation works every day of the week: the rules count working days, and these situations are set relative
to today, so a seven-day calendar keeps their figures the same whatever weekday the suite runs on (calendars'
tests check the rules on a Monday-to-Friday calendar with holidays)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from calendars.models import OrgCalendar
from projects.models import Deliverable, Milestone, Project, Task
from projects.tests.factories import DeliverableFactory, MilestoneFactory, ProjectFactory, TaskFactory
from watchdog.models import WatchdogAlert
from watchdog.scan import scan

DAY = datetime.timedelta(days=1)


@dataclass
class Plan:
    project: Project
    milestone: Milestone
    deliverable: Deliverable
    today: datetime.date

    def task(self, *, start: int = -10, end: int = 10, **fields) -> Task:
        """A task from `start` to `end` days from today (a fresh progress change, an active owner)."""
        fields.setdefault("progress_percent", 50)
        fields.setdefault("status", "active")
        fields.setdefault("owner", self.project.owner)
        return TaskFactory(
            deliverable=self.deliverable, start_date=self.today + start * DAY,
            end_date=self.today + end * DAY, progress_changed_at=timezone.now(), **fields,
        )  # fmt: skip


def plan(org, owner, *, start: int = -100, end: int = 300) -> Plan:
    today = org.today()
    OrgCalendar.objects.update_or_create(org=org, defaults={"weekdays": list(range(7))})
    dates = {"start_date": today + start * DAY, "end_date": today + end * DAY}
    project = ProjectFactory(org=org, owner=owner, **dates)
    milestone = MilestoneFactory(project=project, owner=owner, **dates)
    deliverable = DeliverableFactory(milestone=milestone, project=project, owner=owner, **dates)
    return Plan(project, milestone, deliverable, today)


def open_alerts(org, code: str) -> dict[int, str]:
    """{subject id: severity} of the organisation's open alerts of one rule, after a scan."""
    scan(org=org)
    rows = WatchdogAlert.objects.for_org(org).open().filter(code=code)
    return dict(rows.values_list("subject_id", "severity"))

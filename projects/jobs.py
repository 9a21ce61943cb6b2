"""Scheduled writes of the projects app: the nightly status engine and full roll-up rebuilds.

Both are set-based: a few UPDATE statements per distinct "today" (organisations in different time zones may be
on different dates), never a Python loop over tasks. Each run is recorded in `job_run`.
"""

import time
from collections import Counter, defaultdict
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Organisation
from accounts.services import system_user
from notifications.services import notify_each
from pit import audit
from pit.enums import TaskStatus
from pit.models import JobRun
from projects import rollups
from projects.models import Project, Task
from projects.status import SET_BY_PEOPLE, derived_status_expression

CHUNK = 1000  # projects per roll-up statement batch


def _orgs_by_today(orgs, today: date | None) -> dict[date, list[Organisation]]:
    groups = defaultdict(list)
    for org in orgs:
        groups[today or org.today()].append(org)
    return groups


def _recompute_projects(projects, today: date | None) -> int:
    ids = list(projects.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        rollups.recompute(ids[start : start + CHUNK], today=today)
    return len(ids)


def organisations_past_midnight(now=None) -> list[Organisation]:
    """Organisations where it is now between midnight and one in the morning: their "today" has just changed."""
    now = now or timezone.now()
    return [org for org in Organisation.objects.all() if now.astimezone(org.tz).hour == 0]


@transaction.atomic
def recompute_statuses(*, orgs=None, today: date | None = None) -> JobRun:
    """Bring every task's date-driven status and every project's status up to today (of `orgs`, default all);
    audit what changed."""
    run = JobRun(name="task-status", started_at=timezone.now())
    by_status = Counter()
    groups = _orgs_by_today(Organisation.objects.all() if orgs is None else orgs, today)
    for day, group in groups.items():
        stale = (
            Task.objects.filter(project__org__in=group)
            .exclude(status__in=SET_BY_PEOPLE)
            .alias(derived=derived_status_expression(day))
            .exclude(status=F("derived"))
        )
        changes = list(
            stale.annotate(new_status=derived_status_expression(day)).values_list("pk", "project__org_id", "new_status")
        )
        stale.update(status=derived_status_expression(day), updated_at=timezone.now())  # API sync sees it
        _audit_changes(changes, {org.pk: org for org in group})
        _tell_overdue([pk for pk, _, new in changes if new == TaskStatus.OVERDUE])
        by_status.update(new for _, _, new in changes)
        _recompute_projects(Project.objects.filter(org__in=group), day)
    run.rows_changed = sum(by_status.values())
    run.detail = {"tasks_by_new_status": dict(by_status), "organisations": sum(map(len, groups.values()))}
    run.finished_at = timezone.now()
    run.save()
    return run


def _tell_overdue(ids: list[int]) -> None:
    """Tell each owner when their task turns overdue, once per task."""
    for start in range(0, len(ids), CHUNK):
        tasks = Task.objects.filter(pk__in=ids[start : start + CHUNK]).select_related("owner", "project__org")
        notify_each("task_overdue", [(task, [task.owner]) for task in tasks], once=True)


def _audit_changes(changes, orgs: dict[int, Organisation]) -> None:
    groups = defaultdict(list)
    for pk, org_id, status in changes:
        groups[(org_id, status)].append(pk)
    for (org_id, status), ids in groups.items():
        org = orgs[org_id]
        audit.record_rows(
            actor=system_user(org), org=org, action="UPDATE", table_name="task", record_ids=ids,
            after={"status": status, "by": "status engine"},
        )  # fmt: skip


@transaction.atomic
def rebuild_rollups(*, org: Organisation | None = None) -> JobRun:
    """Recompute every live project's roll-ups, budgets and status (of one organisation, or all)."""
    started, clock = timezone.now(), time.perf_counter()
    projects = Project.objects.for_org(org) if org else Project.objects.all()
    count = _recompute_projects(projects, None)
    detail = {"projects": count, "seconds": round(time.perf_counter() - clock, 3), "org": org and org.slug}
    return JobRun.objects.create(
        name="rollup", started_at=started, finished_at=timezone.now(), rows_changed=count, detail=detail
    )

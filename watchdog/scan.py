"""The watchdog scan: every rule over one organisation (or one project of it), set-based, in one transaction.

1. Take the organisation's advisory lock (`pg_try_advisory_xact_lock`): a second scan of the same organisation
   says so (`ScanBusy`) and does nothing.
2. Each rule's one SELECT (watchdog/rules/) inserts what it finds into a temporary table.
3. One INSERT … ON CONFLICT on the open-alert unique index upserts them: a new problem opens an alert, a known
   one gets its severity, message and data brought up to date — only when they differ, so a rescan with nothing
   changed writes no alert row. A raised severity clears an acknowledgement or snooze: a worse problem is seen again.
4. One UPDATE resolves the scope's open alerts that no rule found any more.
5. Projects whose red alerts changed get their RAG status recomputed (projects/rollups.py, rule 4).
6. A `watchdog_scan_log` row (with its summary) and a `job_run` row record the run.

Everything happens in one transaction: a scan that fails halfway leaves the alerts as they were (and records the
failure in `job_run`). Alerts are the system's findings, not people's data: the scan log and `job_run` are their
ledger, and one audit row per scan that changed anything names the counts; people's actions on alerts are audited
one by one (watchdog/services.py).
"""

import time
from collections import Counter
from dataclasses import dataclass

from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from accounts.services import system_user
from calendars import sql as working_days
from pit import audit
from pit.models import JobRun
from projects import rollups
from projects.models import Project
from watchdog import summary
from watchdog.models import WatchdogScanLog, WatchdogSettings
from watchdog.rules import registry

LOCK_SPACE = 7210  # advisory lock keys (LOCK_SPACE, organisation id): one scan per organisation at a time
JOB_NAME = "watchdog-scan"

FOUND = (
    "DROP TABLE IF EXISTS pg_temp.watchdog_found",
    """CREATE TEMP TABLE watchdog_found (
        code text, project_id bigint, subject_table text, subject_id bigint, owner_id bigint,
        severity text, message text, data jsonb
    ) ON COMMIT DROP""",
)

UPSERT = """
    INSERT INTO watchdog_alert AS a (org_id, project_id, code, subject_table, subject_id, owner_id, severity,
                                     message, data, detected_at, severity_changed_at, acknowledge_note)
    SELECT %(org)s, project_id, code, subject_table, subject_id, owner_id, severity::alert_severity_enum,
           message, data, %(now)s, %(now)s, ''
    FROM watchdog_found
    ON CONFLICT (code, subject_table, subject_id) WHERE resolved_at IS NULL DO UPDATE SET
        severity = EXCLUDED.severity, message = EXCLUDED.message, data = EXCLUDED.data,
        owner_id = EXCLUDED.owner_id, project_id = EXCLUDED.project_id,
        severity_changed_at = CASE WHEN a.severity <> EXCLUDED.severity THEN EXCLUDED.severity_changed_at
                                   ELSE a.severity_changed_at END,
        acknowledged_at = CASE WHEN EXCLUDED.severity > a.severity THEN NULL ELSE a.acknowledged_at END,
        snoozed_until = CASE WHEN EXCLUDED.severity > a.severity THEN NULL ELSE a.snoozed_until END
    WHERE (a.severity, a.message, a.data, a.owner_id, a.project_id)
          IS DISTINCT FROM (EXCLUDED.severity, EXCLUDED.message, EXCLUDED.data, EXCLUDED.owner_id, EXCLUDED.project_id)
    RETURNING new.project_id, new.code, new.severity::text, old.severity::text
"""

RESOLVE = """
    UPDATE watchdog_alert a SET resolved_at = %(now)s
    WHERE a.resolved_at IS NULL AND {scope}
      AND NOT EXISTS (SELECT 1 FROM watchdog_found f
                      WHERE f.code = a.code AND f.subject_table = a.subject_table AND f.subject_id = a.subject_id)
    RETURNING a.project_id, a.code, a.severity::text
"""

WORST = """
    SELECT p.name, COUNT(*) FILTER (WHERE f.severity = 'red') AS red, COUNT(*) AS total
    FROM watchdog_found f JOIN project p ON p.id = f.project_id
    GROUP BY p.id, p.name ORDER BY red DESC, total DESC, p.name LIMIT 3
"""


class ScanBusy(Exception):
    """Another scan of the same organisation holds its lock."""


@dataclass
class ScanResult:
    log: WatchdogScanLog
    job: JobRun
    changes: dict


def thresholds_of(org) -> dict:
    found = WatchdogSettings.objects.filter(org=org).values_list("thresholds", flat=True).first()
    return found or {}


def _scopes(org, project) -> tuple[str, str, dict]:
    """(rule scope on `p`, resolve scope on `a`, their parameters)."""
    if project is not None:
        return "p.id = %(project)s AND p.deleted_at IS NULL", "a.project_id = %(project)s", {"project": project.pk}
    return "p.org_id = %(org)s AND p.deleted_at IS NULL", "a.org_id = %(org)s", {}


def scan(*, org, project=None) -> ScanResult:
    """Scan `org` (or only `project`, one of its projects). Raises ScanBusy when a scan of `org` is running."""
    started, clock = timezone.now(), time.perf_counter()
    try:
        with transaction.atomic():
            return _scan(org, project, started, clock)
    except ScanBusy:
        raise
    except Exception as error:
        JobRun.objects.create(
            name=JOB_NAME, started_at=started, finished_at=timezone.now(),
            detail={"org": org.slug, "project": project and project.pk, "failed": repr(error)[:500]},
        )  # fmt: skip
        raise


def _lock(cursor, org) -> None:
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_SPACE, org.pk])
    if not cursor.fetchone()[0]:
        raise ScanBusy(f"A watchdog scan of {org} is already running; this one did nothing.")


def _find(cursor, org, rule_scope: str, params: dict) -> dict[str, int]:
    """Run every rule into the temporary table; returns each rule's time in ms (where a scan bends)."""
    for statement in FOUND:
        cursor.execute(statement)
    working_days.prepare(cursor, org.pk, params["today"])  # the rules count the organisation's working days
    overrides = thresholds_of(org)
    timings = {}
    for rule in registry().values():
        clock = time.perf_counter()
        sql = rule.sql.replace("{scope}", rule_scope)
        cursor.execute(
            f"INSERT INTO watchdog_found SELECT %(code)s, f.* FROM ({sql}) f",
            {**params, **rule.values(overrides), "code": rule.code},
        )
        timings[rule.code] = round((time.perf_counter() - clock) * 1000)
    cursor.execute("ANALYZE watchdog_found")  # the upsert and the anti-join plan with real row counts
    return timings


def _scan(org, project, started, clock) -> ScanResult:
    now = timezone.now()
    rule_scope, resolve_scope, params = _scopes(org, project)
    params |= {"org": org.pk, "today": org.today(), "tz": org.time_zone, "now": now}
    with connection.cursor() as cursor:
        _lock(cursor, org)
        timings = _find(cursor, org, rule_scope, params)
        clock_write = time.perf_counter()
        cursor.execute(UPSERT, params)
        upserted = cursor.fetchall()
        cursor.execute(RESOLVE.format(scope=resolve_scope), params)
        resolved = cursor.fetchall()
        timings["upsert_and_resolve"] = round((time.perf_counter() - clock_write) * 1000)
        cursor.execute("SELECT severity, COUNT(*) FROM watchdog_found GROUP BY severity")
        open_by_severity = dict(cursor.fetchall())
        cursor.execute(WORST)
        worst = [row for row in cursor.fetchall() if row[1]]
    changes = _changes(upserted, resolved)
    _recompute_status(upserted, resolved)
    scanned = 1 if project is not None else Project.objects.filter(org=org).count()
    text = summary.write(changes, open_by_severity, worst, scanned=scanned)
    detail = {**changes, "open": open_by_severity, "org": org.slug, "project": project and project.pk}
    log = WatchdogScanLog.objects.create(
        org=org, started_at=started, finished_at=timezone.now(), projects_scanned=scanned,
        issues_detected=sum(open_by_severity.values()), ai_summary=text, detail=detail,
    )  # fmt: skip
    changed = len(upserted) + len(resolved)
    detail |= {"seconds": round(time.perf_counter() - clock, 3), "ms": timings}
    job = JobRun.objects.create(
        name=JOB_NAME, started_at=started, finished_at=log.finished_at, rows_changed=changed, detail=detail
    )
    if changed:
        audit.record(actor=system_user(org), org=org, action="SCAN", instance=log, after=detail)
        if summary.wanted(org):
            transaction.on_commit(lambda: current_app.send_task("watchdog.rewrite_summary", args=[log.pk]))
    return ScanResult(log, job, changes)


def _changes(upserted, resolved) -> dict:
    new_red = Counter(code for _, code, severity, was in upserted if severity == "red" and was != "red")
    return {
        "new": sum(1 for *_, was in upserted if was is None),
        "raised": sum(1 for _, _, severity, was in upserted if was is not None and _rank(severity) > _rank(was)),
        "lowered": sum(1 for _, _, severity, was in upserted if was is not None and _rank(severity) < _rank(was)),
        "updated": len(upserted),
        "resolved": len(resolved),
        "resolved_red": sum(1 for *_, severity in resolved if severity == "red"),
        "new_red_by_rule": dict(sorted(new_red.items())),
    }


def _rank(severity: str | None) -> int:
    return {"green": 0, "yellow": 1, "red": 2}.get(severity, -1)


def _recompute_status(upserted, resolved) -> None:
    """Red alerts count in the RAG status: recompute it for the projects whose red alerts changed."""
    touched = {pid for pid, _, severity, was in upserted if (severity == "red") != (was == "red")}
    touched |= {pid for pid, _, severity in resolved if severity == "red"}
    ids = sorted(touched)
    for start in range(0, len(ids), 1000):
        rollups.recompute_status(ids[start : start + 1000])

"""Retention of ledgers and inboxes (seed 003): rows past their age are deleted, in chunks, and every run is
recorded in job_run. The rules live in settings.RETENTION as table names, so the kernel imports no domain app.
audit_log is never purged by the app (README "Operations")."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from pit.models import JobRun

CHUNK = 5_000  # rows per DELETE: short transactions, no long lock on a busy table


def purge_table(name: str, table: str, column: str, days: int, *, now=None) -> JobRun:
    """Delete `table` rows whose `column` is older than `days` (rows where it is empty are kept). Idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    table_sql, column_sql = connection.ops.quote_name(table), connection.ops.quote_name(column)
    statement = f"DELETE FROM {table_sql} WHERE ctid IN (SELECT ctid FROM {table_sql} WHERE {column_sql} < %s LIMIT %s)"
    deleted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [cutoff, CHUNK])
            chunk = cursor.rowcount
        deleted += chunk
        if chunk < CHUNK:
            break
    return JobRun.objects.create(
        name=name, started_at=now, finished_at=timezone.now(), rows_changed=deleted,
        detail={"table": table, "cutoff": cutoff.isoformat(), "days": days},
    )  # fmt: skip


def purge_expired_rows(*, now=None) -> list[JobRun]:
    return [purge_table(name, *rule, now=now) for name, rule in settings.RETENTION.items()]

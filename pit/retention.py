"""Retention of the kernel's own ledgers. audit_log is never purged by the app (README "Operations")."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pit.models import JobRun


@transaction.atomic
def purge_job_runs(*, now=None) -> JobRun:
    """Delete job_run rows older than JOB_RUN_RETENTION_DAYS; the purge records itself, so the ledger is never empty."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.JOB_RUN_RETENTION_DAYS)
    deleted, _ = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return JobRun.objects.create(
        name="job-run-purge", started_at=now, finished_at=timezone.now(), rows_changed=deleted,
        detail={"cutoff": cutoff.isoformat()},
    )  # fmt: skip

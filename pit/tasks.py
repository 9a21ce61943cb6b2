import logging
from pathlib import Path

from celery import shared_task
from django.conf import settings

from pit import backup
from pit.retention import purge_expired_rows

log = logging.getLogger(__name__)


@shared_task(name="pit.backup")
def run_backup() -> str:
    """Hourly backup with retention; a failure is logged loudly and /healthz reports the backup as stale."""
    root = Path(settings.BACKUP_DIR)
    try:
        outcome = backup.backup(root)
    except backup.BackupError:
        log.exception("backup failed; the last good backup is getting older than the RPO")
        raise
    backup.prune(root, settings.BACKUP_KEEP)
    return str(outcome.path)


@shared_task(name="pit.purge_expired_rows")
def purge_expired_rows_task() -> dict:
    """Daily retention run over settings.RETENTION; a rerun finds nothing more to delete."""
    return {run.name: run.rows_changed for run in purge_expired_rows()}

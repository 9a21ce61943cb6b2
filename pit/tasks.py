from celery import shared_task

from pit.retention import purge_expired_rows


@shared_task(name="pit.purge_expired_rows")
def purge_expired_rows_task() -> dict:
    """Daily retention run over settings.RETENTION; a rerun finds nothing more to delete."""
    return {run.name: run.rows_changed for run in purge_expired_rows()}

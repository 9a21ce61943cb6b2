from celery import shared_task

from sharing.jobs import purge_share_links


@shared_task(name="sharing.purge_share_links")
def purge_share_links_task() -> dict:
    """Daily retention purge; deleting what is already gone changes nothing, so a rerun is harmless."""
    run = purge_share_links()
    return {"job_run": run.pk, "deleted": run.rows_changed}

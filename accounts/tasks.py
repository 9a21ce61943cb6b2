from celery import shared_task

from accounts import services


@shared_task(name="accounts.purge_idempotency_keys")
def purge_idempotency_keys_task() -> dict:
    """Hourly; deleting what is past its window twice deletes nothing more."""
    run = services.purge_idempotency_keys()
    return {"job_run": run.pk, "deleted": run.rows_changed}

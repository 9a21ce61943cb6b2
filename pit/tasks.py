from celery import shared_task

from pit.retention import purge_job_runs


@shared_task(name="pit.purge_job_runs")
def purge_job_runs_task() -> dict:
    run = purge_job_runs()
    return {"job_run": run.pk, "deleted": run.rows_changed}

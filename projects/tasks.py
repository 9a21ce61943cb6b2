from celery import shared_task

from projects.jobs import recompute_statuses


@shared_task(name="projects.recompute_statuses")
def recompute_statuses_task() -> dict:
    """Nightly status engine; statuses only move towards today's truth, so running twice changes nothing more."""
    run = recompute_statuses()
    return {"job_run": run.pk, "tasks_changed": run.rows_changed}

from celery import shared_task

from projects.jobs import organisations_past_midnight, recompute_statuses


@shared_task(name="projects.recompute_statuses")
def recompute_statuses_task() -> dict:
    """The nightly status engine, run hourly for the organisations whose day has just begun; statuses only move
    towards today's truth, so running twice changes nothing more."""
    orgs = organisations_past_midnight()
    if not orgs:
        return {"job_run": None, "tasks_changed": 0}
    run = recompute_statuses(orgs=orgs)
    return {"job_run": run.pk, "tasks_changed": run.rows_changed}

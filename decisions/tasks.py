from celery import shared_task

from decisions.escalation import escalate_overdue


@shared_task(name="decisions.escalate_overdue")
def escalate_overdue_task() -> dict:
    """Every 15 minutes: open decisions past their due time move up one level (idempotent within an interval)."""
    run = escalate_overdue()
    return {"job_run": run.pk, "escalated": run.rows_changed}

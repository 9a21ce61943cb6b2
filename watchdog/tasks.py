from celery import shared_task

from watchdog.services import run_qa


@shared_task(name="watchdog.run_qa")
def run_qa_task() -> dict:
    """Nightly Foreman QA; each run stores its own qa_result rows, so running twice is harmless."""
    run = run_qa()
    return {"projects": len(run.results), "passed": run.passed}

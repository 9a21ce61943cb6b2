"""Celery tasks of the watchdog: thin, idempotent wrappers (a scan upserts; notifications are stamped)."""

from celery import shared_task
from django.core.cache import cache

from accounts.models import Organisation
from projects.models import Project
from watchdog import summary
from watchdog.models import WatchdogScanLog
from watchdog.scan import ScanBusy, scan
from watchdog.services import notify_due, run_qa

DEBOUNCE_SECONDS = 30  # edits to one project within this window share one scan
BUSY_RETRY_SECONDS = 60


@shared_task(name="watchdog.run_qa")
def run_qa_task() -> dict:
    """Nightly Foreman QA; each run stores its own qa_result rows, so running twice is harmless."""
    run = run_qa()
    return {"projects": len(run.results), "passed": run.passed}


@shared_task(name="watchdog.scan_all")
def scan_all_task() -> dict:
    """Hourly: one scan task per organisation, so organisations scan in parallel on several workers."""
    ids = list(Organisation.objects.values_list("pk", flat=True))
    for org_id in ids:
        scan_org_task.delay(org_id)
    return {"organisations": len(ids)}


@shared_task(name="watchdog.scan_org", bind=True, max_retries=3)
def scan_org_task(self, org_id: int) -> dict:
    org = Organisation.objects.get(pk=org_id)
    try:
        result = scan(org=org)
    except ScanBusy:
        return {"org": org.slug, "busy": True}  # the running scan does the same work
    return {"org": org.slug, "scan_log": result.log.pk, "notified": notify_due(org=org)}


@shared_task(name="watchdog.scan_project", bind=True, max_retries=5)
def scan_project_task(self, project_id: int) -> dict:
    project = Project.all_objects.select_related("org").filter(pk=project_id).first()
    if project is None:
        return {"project": project_id, "missing": True}
    try:
        result = scan(org=project.org, project=project)
    except ScanBusy as busy:
        raise self.retry(countdown=BUSY_RETRY_SECONDS) from busy  # the change must still be looked at
    return {"project": project_id, "scan_log": result.log.pk, "notified": notify_due(org=project.org, project=project)}


def scan_project_soon(project_id: int) -> bool:
    """Debounced: the first change to a project in DEBOUNCE_SECONDS enqueues one scan to run after the window
    (so it sees every change made in it); later changes in the window ride along. Returns whether it enqueued."""
    if not cache.add(f"watchdog:scan-project:{project_id}", 1, timeout=DEBOUNCE_SECONDS):
        return False
    scan_project_task.apply_async(args=[project_id], countdown=DEBOUNCE_SECONDS)
    return True


@shared_task(name="watchdog.rewrite_summary")
def rewrite_summary_task(log_id: int) -> bool:
    """After a scan that changed something: the routed model's summary over the template (idempotent)."""
    log = WatchdogScanLog.objects.select_related("org").filter(pk=log_id).first()
    return bool(log) and summary.rewrite(log)

from celery import shared_task

from evidence import resumable, services


@shared_task(name="evidence.prescore")
def prescore_task(evidence_id: int) -> int | None:
    """AI pre-score of one evidence version after its upload; a scored version is left alone (idempotent)."""
    evidence = services.prescore(evidence_id)
    return evidence.ai_score if evidence else None


@shared_task(name="evidence.prescore_many")
def prescore_many_task(evidence_ids: list[int]) -> int:
    """Pre-scores of many versions at once (a backfill, or after a model change with force)."""
    return services.prescore_many(evidence_ids)


@shared_task(name="evidence.prescore_backlog")
def prescore_backlog_task() -> dict:
    """Scores what the per-upload task could not (broker or provider down); bounded, recorded in job_run."""
    run = services.prescore_backlog()
    return {"job_run": run.pk, "scored": run.rows_changed}


@shared_task(name="evidence.purge_deleted")
def purge_deleted_task() -> dict:
    """The nightly retention purge of soft-deleted evidence (rows and S3 objects); idempotent, recorded in job_run."""
    run = services.purge_deleted()
    return {"job_run": run.pk, "purged": run.rows_changed}


@shared_task(name="evidence.clean_up_uploads")
def clean_up_uploads_task() -> dict:
    """Aborts resumable uploads abandoned for EVIDENCE_UPLOAD_ABANDON_HOURS; idempotent, recorded in job_run."""
    run = resumable.clean_up()
    return {"job_run": run.pk, **run.detail}

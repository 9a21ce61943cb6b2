"""Writes of the evidence domain: upload (and new versions), review decisions, clarification answers, soft delete
and the AI pre-score. Each is one transaction with its audit rows and notifications.

Files reach S3 before the transaction (streaming, hashed on the way); when the upload is refused after that
(a duplicate found by its hash, or the database refusing the row) the objects are deleted again, so a refusal
leaves no row and no object.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import REVIEW_EVIDENCE, Role, has_perm
from accounts.services import system_user
from evidence import inspection, storage
from evidence.models import PENDING_Q, Evidence, EvidenceReview
from evidence.selectors import can_remove, can_upload
from notifications.services import notify
from pit import ai, audit
from pit.enums import ReviewDecision
from pit.models import JobRun
from pit.tenancy import org_of

log = logging.getLogger(__name__)
DECISIONS = {ReviewDecision.ACCEPTED, ReviewDecision.REJECTED, ReviewDecision.NEEDS_CLARIFICATION}
ALREADY_REVIEWED = "This evidence has already been reviewed (or replaced by a newer version); nothing was changed."
NEXT_STEP = {
    ReviewDecision.REJECTED: "What to do next: fix what the reviewer says and upload the corrected file as a new "
    "version of this evidence (from the evidence page or the task).",
    ReviewDecision.NEEDS_CLARIFICATION: "What to do next: answer the reviewer on the evidence page; the evidence "
    "goes back to the review queue with your answer.",
}
EVENT = {
    ReviewDecision.ACCEPTED: "evidence_accepted",
    ReviewDecision.REJECTED: "evidence_rejected",
    ReviewDecision.NEEDS_CLARIFICATION: "evidence_needs_clarification",
}


def upload(*, actor, task, files, note: str = "", replaces: Evidence | None = None, change_summary: str = ""):
    """Store one or several files as evidence of `task` (or one file as a new version of `replaces`).
    All or nothing: one refused file refuses the whole upload."""
    check_upload(actor, task, count=len(files), replaces=replaces, change_summary=change_summary)
    inspected = [inspection.inspect(upload) for upload in files]  # refusals before anything is stored
    org = org_of(task)
    stored = []
    try:
        for upload, facts in zip(files, inspected, strict=True):
            key = storage.new_key(org.pk, task.pk)
            stored.append(key)
            facts.metadata["sha256"], _ = storage.put(key, upload, mime=facts.mime, filename=facts.filename)
            facts.metadata["key"] = key
        rows = _record_upload(actor, task, inspected, note.strip(), replaces, change_summary.strip())
    except BaseException:
        for key in stored:
            storage.delete(key)
        raise
    return rows


def check_upload(actor, task, *, count: int, replaces: Evidence | None = None, change_summary: str = "") -> None:
    """Who may upload to `task`, and what a new version needs; raises before anything is stored."""
    if not can_upload(actor, task):
        raise PermissionDenied("Only the task's owner, its assignees and planners upload evidence to it.")
    if not count:
        raise ValidationError("Choose at least one file to upload.")
    if replaces is not None:
        _check_replaceable(replaces, task, count, change_summary)


def record_stored(*, actor, task, key: str, facts, note: str = "", replaces=None, change_summary: str = ""):
    """Evidence from a file already in the bucket under `key` (a completed resumable upload), whose bytes were
    inspected (`facts`, with metadata["sha256"]): the same rules and records as `upload`. The caller removes the
    object when this refuses."""
    check_upload(actor, task, count=1, replaces=replaces, change_summary=change_summary)
    facts.metadata["key"] = key
    [row] = _record_upload(actor, task, [facts], note.strip(), replaces, change_summary.strip())
    return row


def _check_replaceable(replaces: Evidence, task, count: int, change_summary: str) -> None:
    if replaces.task_id != task.pk:
        raise ValidationError("A new version must belong to the same task.")
    if count != 1:
        raise ValidationError("Upload exactly one file as the new version.")
    if not change_summary.strip():
        raise ValidationError({"change_summary": "Say what changed in this version."})


@transaction.atomic
def _record_upload(actor, task, inspected, note, replaces, change_summary) -> list[Evidence]:
    _refuse_duplicates(task, inspected)
    previous = _retire(actor, replaces) if replaces is not None else None
    rows = []
    now = timezone.now()
    for facts in inspected:
        row = Evidence(
            task=task, uploaded_by=actor, file_url=facts.metadata.pop("key"), file_type=facts.file_type,
            metadata=facts.metadata, sha256=facts.metadata["sha256"], size_bytes=facts.size, note=note,
            review_state_at=now,
        )  # fmt: skip
        if previous is not None:
            row.lineage, row.version, row.change_summary = previous.lineage, previous.version + 1, change_summary
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # a concurrent upload of the same bytes, or of another new version, won
            raise ValidationError(f"“{row.filename}” was just uploaded to this task by someone else.") from None
        audit.record(actor=actor, org=task.project.org_id, action="CREATE", instance=row, after=audit.snapshot(row))
        rows.append(row)
    for row in rows:
        notify("evidence_review_requested", reviewers_of(task), row, actor=actor, message=note, link=review_link(row))
        transaction.on_commit(lambda pk=row.pk: _enqueue_prescore(pk))
    return rows


def _refuse_duplicates(task, inspected) -> None:
    hashes = [facts.metadata["sha256"] for facts in inspected]
    if len(set(hashes)) < len(hashes):
        raise ValidationError("The same file was chosen twice: upload it once.")
    existing = Evidence.objects.filter(task=task, sha256__in=hashes).first()
    if existing is not None:
        raise ValidationError(
            f"This file is already evidence on this task: “{existing.filename}” (version {existing.version}, "
            f"{existing.get_review_state_display().lower()}) at {existing.get_absolute_url()}."
        )


def _retire(actor, replaces: Evidence) -> Evidence:
    """The replaced version stops being current (locked, so two new versions of one item cannot both land)."""
    locked = Evidence.objects.select_for_update().filter(pk=replaces.pk, is_current=True).first()
    if locked is None:
        raise ValidationError("That version has been replaced or deleted meanwhile: open the newest version.")
    Evidence.objects.filter(pk=locked.pk).update(is_current=False, updated_at=timezone.now())  # updated_at: API sync
    audit.record(
        actor=actor, org=org_of(locked), action="UPDATE", instance=locked, before={"is_current": True},
        after={"is_current": False},
    )  # fmt: skip
    return locked


def review_link(evidence: Evidence) -> str:
    """Reviewers are sent to the review page; uploaders to the evidence page (its get_absolute_url)."""
    return f"/reviews/{evidence.pk}/"


def reviewers_of(task) -> list[User]:
    """Who is asked to review: the organisation's reviewers, or its managers and admins when it has none."""
    people = User.objects.filter(org_id=task.project.org_id, is_active=True, is_system=False)
    reviewers = list(people.filter(role=Role.REVIEWER))
    return reviewers or list(people.filter(role__in=[Role.MANAGER, Role.ORG_ADMIN]))


def _enqueue_prescore(evidence_id: int) -> None:
    """After commit; a broker that is down costs the pre-score, never the upload (the review goes on)."""
    from evidence.tasks import prescore_task

    try:
        prescore_task.delay(evidence_id)
    except Exception:
        log.exception("could not enqueue the pre-score of evidence %s", evidence_id)


@transaction.atomic
def decide(*, actor, evidence: Evidence, decision: str, comment: str = "") -> EvidenceReview:
    """A reviewer's decision on one version. Only one decision wins: the state changes from pending in one
    conditional UPDATE, so a second reviewer deciding at the same moment is told it is already reviewed."""
    if not has_perm(actor, REVIEW_EVIDENCE):
        raise PermissionDenied("Only reviewers, managers and admins review evidence.")
    if evidence.uploaded_by_id == actor.pk:
        raise ValidationError("You uploaded this evidence: someone else must review it.")
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, reject or ask for clarification."})
    comment = comment.strip()
    if decision != ReviewDecision.ACCEPTED and not comment:
        raise ValidationError({"comment": "Say why, so the uploader knows what to do next."})
    now = timezone.now()
    won = Evidence.objects.filter(PENDING_Q, pk=evidence.pk).update(
        review_state=decision, review_state_at=now, updated_at=now
    )
    if not won:
        raise ValidationError(ALREADY_REVIEWED)
    evidence.refresh_from_db()
    review = EvidenceReview.objects.create(
        evidence=evidence, reviewer=actor, decision=decision, comment=comment, ai_score=evidence.ai_score,
        ai_feedback=evidence.ai_feedback, ai_model=evidence.ai_model,
    )  # fmt: skip
    audit.record(
        actor=actor, org=org_of(evidence), action="REVIEW", instance=evidence, before={"review_state": "pending"},
        after={"review_state": decision, "comment": comment, "evidence_review": review.pk},
    )  # fmt: skip
    message = "\n".join(part for part in [comment, NEXT_STEP.get(decision, "")] if part)
    notify(EVENT[decision], [evidence.uploaded_by], evidence, actor=actor, message=message)
    return review


@transaction.atomic
def answer_clarification(*, actor, evidence: Evidence, answer: str) -> EvidenceReview:
    """The uploader's answer to "needs clarification" puts the version back in the queue."""
    if not can_upload(actor, evidence.task):
        raise PermissionDenied("Only the task's owner, its assignees and planners answer for its evidence.")
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": "Write your answer to the reviewer."})
    asked = Evidence.objects.filter(
        pk=evidence.pk, is_current=True, deleted_at__isnull=True, review_state=ReviewDecision.NEEDS_CLARIFICATION
    )
    now = timezone.now()
    if not asked.update(review_state=ReviewDecision.PENDING, review_state_at=now, updated_at=now):
        raise ValidationError("This evidence is not waiting for a clarification.")
    evidence.refresh_from_db()
    entry = EvidenceReview.objects.create(
        evidence=evidence, reviewer=actor, decision=ReviewDecision.PENDING, comment=answer,
        ai_score=evidence.ai_score, ai_model=evidence.ai_model,
    )  # fmt: skip
    audit.record(
        actor=actor, org=org_of(evidence), action="CLARIFY", instance=evidence,
        before={"review_state": ReviewDecision.NEEDS_CLARIFICATION}, after={"review_state": "pending"},
    )  # fmt: skip
    asked_by = evidence.reviews.filter(decision=ReviewDecision.NEEDS_CLARIFICATION).order_by("-created_at")
    asker = asked_by.select_related("reviewer").first()
    notify(
        "evidence_review_requested", [asker.reviewer] if asker else reviewers_of(evidence.task), evidence,
        actor=actor, message=answer, link=review_link(evidence),
    )  # fmt: skip
    return entry


@transaction.atomic
def soft_delete(*, actor, evidence: Evidence) -> int:
    """Hide an item with all its versions; the objects stay in the bucket until the retention purge."""
    if not can_remove(actor, evidence):
        raise PermissionDenied("Only the uploader and planners delete evidence.")
    now = timezone.now()
    ids = list(Evidence.objects.filter(lineage=evidence.lineage).values_list("pk", flat=True))
    Evidence.all_objects.filter(pk__in=ids).update(deleted_at=now, updated_at=now)
    audit.record_rows(
        actor=actor, org=org_of(evidence), action="DELETE", table_name="evidence", record_ids=ids,
        after={"deleted_at": now.isoformat()},
    )  # fmt: skip
    return len(ids)


def prescore(evidence_id: int, *, force: bool = False) -> Evidence | None:
    """Run the AI pre-score of one version and keep it on the row (see `prescore_many`)."""
    prescore_many([evidence_id], force=force)
    return Evidence.objects.filter(pk=evidence_id).first()


def prescore_many(evidence_ids, *, force: bool = False) -> int:
    """AI pre-scores of many versions; returns how many got a score. Idempotent: a scored version is left alone
    unless `force`. A failed or unavailable provider leaves the score empty; the review goes on without it."""
    from evidence import scoring

    items = Evidence.objects.select_related("task__project__org", "task__deliverable").filter(pk__in=evidence_ids)
    items = [item for item in items if force or item.ai_score is None]
    if not items:
        return 0
    facts = scoring.facts_of(items)
    scored = []
    for org_items in _by_org(items).values():
        org = org_items[0].task.project.org
        payloads = {f"evidence:{item.pk}": facts[item.pk] for item in org_items}
        results = ai.run_many(scoring.JOB, org=org, payloads=payloads)
        for item in org_items:
            result = results[f"evidence:{item.pk}"]
            if result is not None and result.score is not None:
                item.ai_score, item.ai_feedback, item.ai_model = (
                    max(0, min(100, int(result.score))),
                    result.text,
                    result.model,
                )
                scored.append(item)
    with transaction.atomic():
        Evidence.objects.bulk_update(scored, ["ai_score", "ai_feedback", "ai_model"], batch_size=500)
        for org_items in _by_org(scored).values():
            org = org_items[0].task.project.org
            afters = {item.pk: {"ai_score": item.ai_score, "ai_model": item.ai_model} for item in org_items}
            audit.record_each(
                actor=system_user(org), org=org, action="AI_PRESCORE", table_name="evidence", afters=afters
            )
    return len(scored)


BACKLOG_AFTER = timedelta(minutes=5)  # younger items are still on their way through the per-upload task
BACKLOG_LIMIT = 500


def prescore_backlog() -> JobRun:
    """Pending versions still without a score (the broker or the AI provider was down), oldest first, a bounded
    batch per run; recorded in job_run."""
    started = timezone.now()
    waiting = Evidence.objects.filter(PENDING_Q, ai_score__isnull=True, created_at__lt=started - BACKLOG_AFTER)
    ids = list(waiting.order_by("review_state_at").values_list("pk", flat=True)[:BACKLOG_LIMIT])
    scored = prescore_many(ids)
    return JobRun.objects.create(
        name="evidence-prescore-backlog", started_at=started, finished_at=timezone.now(), rows_changed=scored,
        detail={"tried": len(ids)},
    )  # fmt: skip


PURGE_BATCH = 1000  # S3 deletes at most 1,000 keys per request


def purge_deleted(*, now=None) -> JobRun:
    """The retention purge: evidence soft-deleted more than EVIDENCE_RETENTION_DAYS ago loses its rows and its S3
    objects for good (the audit log keeps what was there). Rows go first, objects after the commit, so a failure
    can leave an orphan object but never a row without its file."""
    started = now or timezone.now()
    cutoff = started - timedelta(days=settings.EVIDENCE_RETENTION_DAYS)
    purged = 0
    while True:
        with transaction.atomic():
            rows = list(
                Evidence.all_objects.select_for_update(skip_locked=True, of=("self",))
                .filter(deleted_at__lt=cutoff)
                .values_list("pk", "file_url", "task__project__org_id")[:PURGE_BATCH]
            )  # fmt: skip
            if not rows:
                break
            for org_id in {org_id for _, _, org_id in rows}:
                ids = [pk for pk, _, org in rows if org == org_id]
                actor = system_user(Organisation.objects.get(pk=org_id))
                audit.record_rows(actor=actor, org=org_id, action="PURGE", table_name="evidence", record_ids=ids,
                                  after={"retention_days": settings.EVIDENCE_RETENTION_DAYS})  # fmt: skip
            Evidence.all_objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
            keys = [key for _, key, _ in rows]
            transaction.on_commit(lambda keys=keys: storage.delete_many(keys))
        purged += len(rows)
    return JobRun.objects.create(
        name="evidence-purge", started_at=started, finished_at=timezone.now(), rows_changed=purged,
        detail={"cutoff": cutoff.isoformat()},
    )  # fmt: skip


def _by_org(items) -> dict[int, list[Evidence]]:
    groups = {}
    for item in items:
        groups.setdefault(item.task.project.org_id, []).append(item)
    return groups

"""Reads of the evidence domain: who may do what, the task's evidence panel, the review queue, an item's history."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from accounts.permissions import PLAN, REVIEW_EVIDENCE, UPLOAD_EVIDENCE, has_perm
from evidence.models import PENDING_Q, Evidence, EvidenceReview, EvidenceUpload
from pit.enums import ReviewDecision
from pit.models import AuditLog
from projects.selectors import can_update_task

QUEUE_PAGE = 50


def can_upload(user, task) -> bool:
    return has_perm(user, UPLOAD_EVIDENCE) and can_update_task(user, task)


def can_remove(user, evidence) -> bool:
    return has_perm(user, PLAN) or (evidence.uploaded_by_id == user.pk and has_perm(user, UPLOAD_EVIDENCE))


def can_review(user, evidence) -> bool:
    return has_perm(user, REVIEW_EVIDENCE) and evidence.uploaded_by_id != user.pk


def visible(org):
    """Live evidence of live tasks in the organisation."""
    return Evidence.objects.for_org(org).filter(task__deleted_at__isnull=True)


@dataclass
class Gate:
    """Why a task that requires evidence cannot be completed yet (empty `missing` when it can)."""

    required: bool
    accepted: int
    pending: int
    rejected: int
    clarification: int

    @property
    def open(self) -> bool:
        return not self.required or self.accepted > 0

    @property
    def missing(self) -> str:
        if self.open:
            return ""
        if self.pending:
            return f"{self.pending} item(s) wait for a reviewer; the task can be completed once one is accepted."
        if self.clarification:
            return "A reviewer asked for clarification: answer on the evidence page to send it back for review."
        if self.rejected:
            return "The evidence was rejected: upload a corrected file as a new version (see the reviewer's reason)."
        return "No evidence uploaded yet: upload a document, photo or video that proves the work was done."


def task_panel(task, user) -> dict:
    """The evidence section of a task page: its current items, the completion gate and what the user may do."""
    items = list(
        Evidence.objects.filter(task=task, is_current=True)
        .select_related("uploaded_by")
        .order_by("-created_at")
    )  # fmt: skip
    states = [item.review_state for item in items]
    gate = Gate(
        required=task.requires_evidence,
        accepted=states.count(ReviewDecision.ACCEPTED),
        pending=states.count(ReviewDecision.PENDING),
        rejected=states.count(ReviewDecision.REJECTED),
        clarification=states.count(ReviewDecision.NEEDS_CLARIFICATION),
    )  # fmt: skip
    last_words = _last_reviews([item.pk for item in items])
    for item in items:
        item.last_review = last_words.get(item.pk)
    return {"items": items, "gate": gate, "can_upload": can_upload(user, task), "task": task}


def _last_reviews(evidence_ids) -> dict:
    """The latest decision (with its comment and reviewer) per version, in one query."""
    rows = (
        EvidenceReview.objects.filter(evidence_id__in=evidence_ids)
        .exclude(decision=ReviewDecision.PENDING)
        .select_related("reviewer")
        .order_by("evidence_id", "-created_at")
        .distinct("evidence_id")
    )  # fmt: skip
    return {row.evidence_id: row for row in rows}


def review_queue(org, filters: dict):
    """Pending evidence of the organisation, oldest first; each row carries what the queue shows."""
    rows = (
        visible(org).filter(PENDING_Q)
        .select_related("task__project", "uploaded_by")
        .only("pk", "file_type", "metadata", "review_state_at", "ai_score", "version", "uploaded_by__name",
              "task__name", "task__project__name", "task__project_id", "task__end_date")
        .order_by("review_state_at", "pk")
    )  # fmt: skip
    if filters.get("project"):
        rows = rows.filter(task__project_id=filters["project"])
    if filters.get("file_type"):
        rows = rows.filter(file_type=filters["file_type"])
    if filters.get("score") == "likely":
        rows = rows.filter(ai_score__gte=filters["threshold"])
    elif filters.get("score") == "doubtful":
        rows = rows.filter(ai_score__lt=filters["threshold"])
    elif filters.get("score") == "unscored":
        rows = rows.filter(ai_score__isnull=True)
    if filters.get("q"):
        rows = rows.filter(Q(task__name__icontains=filters["q"]) | Q(metadata__filename__icontains=filters["q"]))
    if filters.get("mine") == "hide":
        rows = rows.exclude(uploaded_by_id=filters["user_id"])
    return rows


def age(since, now=None) -> str:
    seconds = int(((now or timezone.now()) - since).total_seconds())
    if seconds < 3600:
        return f"{max(seconds // 60, 1)} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def versions(evidence: Evidence) -> list[Evidence]:
    """Every version of the item, newest first (deleted ones too, for the history)."""
    return list(
        Evidence.all_objects.filter(lineage=evidence.lineage).select_related("uploaded_by").order_by("-version")
    )


def history(evidence: Evidence, version_rows: list[Evidence]) -> list[dict]:
    """Who did what to this item, newest first: uploads, reviews, answers, deletions (from reviews and the audit)."""
    ids = [row.pk for row in version_rows]
    by_id = {row.pk: row for row in version_rows}
    events = [
        {"at": row.created_at, "who": row.uploaded_by.name, "version": row.version,
         "what": f"uploaded version {row.version}" + (f": {row.change_summary}" if row.change_summary else "")}
        for row in version_rows
    ]  # fmt: skip
    for review in EvidenceReview.objects.filter(evidence_id__in=ids).select_related("reviewer"):
        answered = review.decision == ReviewDecision.PENDING
        events.append({
            "at": review.created_at, "who": review.reviewer.name, "version": by_id[review.evidence_id].version,
            "what": "answered the clarification" if answered else review.get_decision_display().lower(),
            "comment": review.comment,
        })  # fmt: skip
    deletions = AuditLog.objects.filter(table_name="evidence", record_id__in=[str(pk) for pk in ids], action="DELETE")
    for entry in deletions.select_related("user"):
        version = by_id[int(entry.record_id)].version
        events.append({"at": entry.created_at, "who": entry.user.name, "version": version, "what": "deleted"})
    return sorted(events, key=lambda event: event["at"], reverse=True)


def uploads_of(user):
    """A person's resumable uploads (nobody else's, even in the organisation), with the parts received."""
    return EvidenceUpload.objects.for_org(user.org).filter(uploaded_by=user).prefetch_related("parts")

"""Evidence that work was done, and its review (PIT_DATABASE_SCHEMA_v0.1 section 5, with seed 001's checksums and
version history).

One `evidence` row is one version of one file. Versions of the same item share `lineage`; `version` counts 1, 2, …
and a version replaces the one numbered just below it; exactly one live version per lineage has `is_current`. Every
version keeps its own S3 object (`file_url` is the object key, never a URL) and its own review state.

How "pending" is represented (for set-based SQL, e.g. the watchdog):

    evidence.review_state = 'pending' AND evidence.is_current AND evidence.deleted_at IS NULL

`review_state` is the latest decision on that version (review_decision_enum); `review_state_at` is when it entered
that state (upload, or the clarification answer that reopened it), so a pending item's age is now() minus
`review_state_at`. The partial index `evidence_pending_idx` covers exactly that predicate, ordered by
`review_state_at`. The organisation is reached through task → project → org.

`evidence_review` rows are the history of people's decisions on a version: accepted / rejected /
needs_clarification by a reviewer, each with the AI pre-score (`ai_score`, `ai_feedback`, `ai_model`) the reviewer saw;
a row with decision 'pending' is the uploader's clarification answer that reopened the version.
The AI pre-score of the version itself lives on the evidence row (`ai_score`, `ai_feedback`, `ai_model`).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pit.enums import AiModel, EvidenceType, ReviewDecision
from pit.fields import EnumField
from pit.models import SoftDeleteModel, TimeStampedModel
from pit.tenancy import OrgManager

SCORE_RANGE = [MinValueValidator(0), MaxValueValidator(100)]
PENDING_Q = Q(review_state=ReviewDecision.PENDING, is_current=True, deleted_at__isnull=True)
# What the completion gate counts: the current version of a live item, accepted.
ACCEPTED_Q = Q(review_state=ReviewDecision.ACCEPTED, is_current=True, deleted_at__isnull=True)


class Evidence(SoftDeleteModel):
    org_path = "task__project__org"

    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="evidence")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_column="uploaded_by"
    )
    file_url = models.TextField(help_text="Storage key of the file (never a public URL).")
    file_type = EnumField("evidence_type_enum", EvidenceType)
    metadata = models.JSONField(default=dict, blank=True)

    sha256 = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of the stored bytes (hex).")
    size_bytes = models.BigIntegerField(default=0)
    note = models.TextField(blank=True, default="", help_text="The uploader's note.")
    lineage = models.UUIDField(default=uuid.uuid4, help_text="Shared by every version of one evidence item.")
    version = models.PositiveIntegerField(default=1)
    change_summary = models.TextField(blank=True, default="")
    is_current = models.BooleanField(default=True)
    review_state = EnumField("review_decision_enum", ReviewDecision, default=ReviewDecision.PENDING)
    review_state_at = models.DateTimeField(default=timezone.now, help_text="When the version entered its review state.")
    ai_score = models.IntegerField(null=True, blank=True, validators=SCORE_RANGE)
    ai_feedback = models.TextField(blank=True, default="")
    ai_model = EnumField("ai_model_enum", AiModel, null=True, blank=True)

    history = HistoricalRecords(table_name="evidence_history")

    class Meta:
        db_table = "evidence"
        verbose_name_plural = "evidence"
        indexes = [
            models.Index(fields=["task"], name="evidence_task_idx"),
            models.Index(fields=["lineage", "version"], name="evidence_lineage_idx"),
            models.Index(fields=["sha256"], name="evidence_sha256_idx"),
            models.Index(fields=["review_state_at"], condition=PENDING_Q, name="evidence_pending_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="evidence_lineage_version_uniq"),
            # The same bytes twice on one task is a mistake: the service points to the existing item instead.
            models.UniqueConstraint(
                fields=["task", "sha256"], condition=Q(deleted_at__isnull=True), name="evidence_task_sha256_uniq"
            ),
            models.UniqueConstraint(
                fields=["lineage"], condition=Q(is_current=True, deleted_at__isnull=True), name="evidence_one_current"
            ),
            models.CheckConstraint(condition=Q(ai_score__gte=0, ai_score__lte=100), name="evidence_ai_score_0_100"),
        ]

    def __str__(self) -> str:
        return self.metadata.get("filename") or self.file_url

    @property
    def filename(self) -> str:
        return self.metadata.get("filename", "evidence")

    @property
    def mime(self) -> str:
        return self.metadata.get("mime", "application/octet-stream")

    @property
    def previous(self):
        """The version this one replaced (None for the first)."""
        if self.version == 1:
            return None
        return Evidence.all_objects.filter(lineage=self.lineage, version=self.version - 1).first()

    def get_absolute_url(self) -> str:
        return f"/evidence/{self.pk}/"


class EvidenceReview(TimeStampedModel):
    org_path = "evidence__task__project__org"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = EnumField("review_decision_enum", ReviewDecision, default=ReviewDecision.PENDING)
    comment = models.TextField(blank=True, default="")
    ai_score = models.IntegerField(null=True, blank=True, validators=SCORE_RANGE, help_text="Scorer's 0-100.")
    ai_feedback = models.TextField(blank=True, default="")
    ai_model = EnumField("ai_model_enum", AiModel, null=True, blank=True)

    objects = OrgManager()

    class Meta:
        db_table = "evidence_review"
        indexes = [models.Index(fields=["evidence", "-created_at"], name="evidence_review_evidence_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ai_score__gte=0, ai_score__lte=100), name="evidence_review_ai_score_0_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer_id}"


class UploadState(models.TextChoices):
    OPEN = "open", "Receiving parts"
    COMPLETING = "completing", "Being completed"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Refused at completion"
    ABORTED = "aborted", "Aborted"


class EvidenceUpload(TimeStampedModel):
    """A resumable upload in progress (evidence.resumable): the S3 multipart upload behind it, what the client
    declared (size, SHA-256), and what it becomes. Only its uploader sees it. `updated_at` moves with every part
    received, so an upload idle longer than EVIDENCE_UPLOAD_ABANDON_HOURS is abandoned (the cleanup job aborts it)."""

    org_path = "task__project__org"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.TextField()
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, help_text="The SHA-256 the client declared (hex); checked at completion.")
    content_type = models.TextField(blank=True, default="", help_text="As declared; the stored type is sniffed.")
    part_size = models.IntegerField()
    object_key = models.TextField(help_text="Where the assembled file lands in the bucket.")
    s3_upload_id = models.TextField()
    note = models.TextField(blank=True, default="")
    replaces = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    change_summary = models.TextField(blank=True, default="")
    state = models.CharField(max_length=12, choices=UploadState.choices, default=UploadState.OPEN)
    error = models.TextField(blank=True, default="", help_text="Why completion was refused.")
    evidence = models.ForeignKey(Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = OrgManager()

    class Meta:
        db_table = "evidence_upload"
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"], name="evidence_upload_user_idx"),
            models.Index(fields=["state", "updated_at"], name="evidence_upload_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size_bytes__gt=0, part_size__gt=0), name="evidence_upload_sizes"),
            models.CheckConstraint(condition=Q(state__in=UploadState.values), name="evidence_upload_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display().lower()})"

    @property
    def part_count(self) -> int:
        return -(-self.size_bytes // self.part_size)

    def expected_size(self, number: int) -> int:
        """Every part is `part_size` bytes but the last, which holds the rest."""
        return min(self.part_size, self.size_bytes - (number - 1) * self.part_size)


class EvidenceUploadPart(TimeStampedModel):
    """A part the server holds (S3 UploadPart answered), with the ETag that completion names: a part sent again
    replaces the row, and S3 assembles the bytes of the ETag recorded here."""

    org_path = "upload__task__project__org"

    upload = models.ForeignKey(EvidenceUpload, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    size_bytes = models.BigIntegerField()
    etag = models.TextField()
    sha256 = models.CharField(max_length=64)

    objects = OrgManager()

    class Meta:
        db_table = "evidence_upload_part"
        constraints = [models.UniqueConstraint(fields=["upload", "number"], name="evidence_upload_part_uniq")]

    def __str__(self) -> str:
        return f"part {self.number} of {self.upload_id}"

"""Evidence that work was done, and its review (PIT_DATABASE_SCHEMA_v0.1 section 5)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from pit.enums import EvidenceType, ReviewDecision
from pit.fields import EnumField
from pit.models import SoftDeleteModel, TimeStampedModel
from pit.tenancy import OrgManager


class Evidence(SoftDeleteModel):
    org_path = "task__project__org"

    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="evidence")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_column="uploaded_by"
    )
    file_url = models.TextField(help_text="Storage key of the file (never a public URL).")
    file_type = EnumField("evidence_type_enum", EvidenceType)
    metadata = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords(table_name="evidence_history")

    class Meta:
        db_table = "evidence"
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["task"], name="evidence_task_idx")]

    def __str__(self) -> str:
        return self.metadata.get("filename") or self.file_url


class EvidenceReview(TimeStampedModel):
    org_path = "evidence__task__project__org"

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = EnumField("review_decision_enum", ReviewDecision, default=ReviewDecision.PENDING)
    comment = models.TextField(blank=True, default="")
    ai_score = models.IntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Scorer's 0-100."
    )
    ai_feedback = models.TextField(blank=True, default="")

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

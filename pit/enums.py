"""The eight enums of PIT_DATABASE_SCHEMA_v0.1 section 2: PostgreSQL ENUM types, labels in the document's order."""

from django.db import models


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    UPCOMING = "upcoming", "Upcoming"
    ACTIVE = "active", "Active"
    DUE_TODAY = "due_today", "Due today"
    OVERDUE = "overdue", "Overdue"
    COMPLETED = "completed", "Completed"
    BLOCKED = "blocked", "Blocked"


class QuickClass(models.TextChoices):
    QUICK_WIN = "quick_win", "Quick win"
    MEDIUM_TERM = "medium_term", "Medium term"
    LONG_TERM = "long_term", "Long term"


class ProjectType(models.TextChoices):
    PROJECT = "project", "Project"
    OPERATIONAL_STREAM = "operational_stream", "Operational stream"


class EvidenceType(models.TextChoices):
    DOCUMENT = "document", "Document"
    PHOTO = "photo", "Photo"
    VIDEO = "video", "Video"
    OTHER = "other", "Other"


class ReviewDecision(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    NEEDS_CLARIFICATION = "needs_clarification", "Needs clarification"


class NotificationType(models.TextChoices):
    EMAIL = "email", "Email"
    PUSH = "push", "Push"
    INTERNAL_MESSAGE = "internal_message", "Internal message"


class AlertSeverity(models.TextChoices):
    GREEN = "green", "Green"
    YELLOW = "yellow", "Yellow"
    RED = "red", "Red"


class AiModel(models.TextChoices):
    GPT4O_MINI = "gpt4o_mini", "GPT-4o mini"
    GPT4_1 = "gpt4_1", "GPT-4.1"
    GPT4O_LARGE = "gpt4o_large", "GPT-4o large"
    EVIDENCE_MODEL = "evidence_model", "Evidence model"
    SCHEDULING_MODEL = "scheduling_model", "Scheduling model"


# PostgreSQL type name -> choices. The QA run checks the database against this, label by label.
PG_ENUMS: dict[str, type[models.TextChoices]] = {
    "task_status_enum": TaskStatus,
    "quick_class_enum": QuickClass,
    "project_type_enum": ProjectType,
    "evidence_type_enum": EvidenceType,
    "review_decision_enum": ReviewDecision,
    "notification_type_enum": NotificationType,
    "alert_severity_enum": AlertSeverity,
    "ai_model_enum": AiModel,
}

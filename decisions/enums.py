"""The decisions domain's enums (seed 002, CodeOps): PostgreSQL ENUM types with exactly the seed's labels."""

from django.db import models


class DecisionStatus(models.TextChoices):
    NEEDS_INPUT = "NEEDS_INPUT", "Needs input"
    UNDER_DISCUSSION = "UNDER_DISCUSSION", "Under discussion"
    DECIDED = "DECIDED", "Decided"
    IMPLEMENTED = "IMPLEMENTED", "Implemented"
    DEFERRED = "DEFERRED", "Deferred"
    CANCELLED = "CANCELLED", "Cancelled"


class DecisionPriority(models.TextChoices):
    BLOCKING = "BLOCKING", "Blocking"
    HIGH = "HIGH", "High"
    NORMAL = "NORMAL", "Normal"
    LOW = "LOW", "Low"


class DecisionType(models.TextChoices):
    PRODUCT = "PRODUCT", "Product"
    UX = "UX", "UX"
    TECHNICAL = "TECHNICAL", "Technical"
    ARCHITECTURAL = "ARCHITECTURAL", "Architectural"
    STRATEGIC = "STRATEGIC", "Strategic"
    OPERATIONAL = "OPERATIONAL", "Operational"
    RESOURCE = "RESOURCE", "Resource"
    SCOPE = "SCOPE", "Scope"
    TIMELINE = "TIMELINE", "Timeline"


class OutcomeStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    NOT_STARTED = "NOT_STARTED", "Not started"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    VALIDATING = "VALIDATING", "Validating"
    VALIDATED = "VALIDATED", "Validated"
    INVALIDATED = "INVALIDATED", "Invalidated"
    ABANDONED = "ABANDONED", "Abandoned"


class OutcomePriority(models.TextChoices):
    CRITICAL = "CRITICAL", "Critical"
    HIGH = "HIGH", "High"
    MEDIUM = "MEDIUM", "Medium"
    LOW = "LOW", "Low"
    BACKLOG = "BACKLOG", "Backlog"


class HypothesisStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    READY = "READY", "Ready"
    BLOCKED = "BLOCKED", "Blocked"
    BUILDING = "BUILDING", "Building"
    DEPLOYED = "DEPLOYED", "Deployed"
    MEASURING = "MEASURING", "Measuring"
    VALIDATED = "VALIDATED", "Validated"
    INVALIDATED = "INVALIDATED", "Invalidated"
    ABANDONED = "ABANDONED", "Abandoned"


class HypothesisPriority(models.TextChoices):
    CRITICAL = "CRITICAL", "Critical"
    HIGH = "HIGH", "High"
    MEDIUM = "MEDIUM", "Medium"
    LOW = "LOW", "Low"


class StakeholderType(models.TextChoices):
    INTERNAL = "INTERNAL", "Internal"
    EXTERNAL = "EXTERNAL", "External"
    EXECUTIVE = "EXECUTIVE", "Executive"
    CUSTOMER = "CUSTOMER", "Customer"
    REGULATORY = "REGULATORY", "Regulatory"
    TECHNICAL = "TECHNICAL", "Technical"


# PostgreSQL type name -> choices (migration 0001 creates them from a frozen copy of these labels).
PG_ENUMS: dict[str, type[models.TextChoices]] = {
    "decision_status_enum": DecisionStatus,
    "decision_priority_enum": DecisionPriority,
    "decision_type_enum": DecisionType,
    "outcome_status_enum": OutcomeStatus,
    "outcome_priority_enum": OutcomePriority,
    "hypothesis_status_enum": HypothesisStatus,
    "hypothesis_priority_enum": HypothesisPriority,
    "stakeholder_type_enum": StakeholderType,
}

# Being worked on: these have an SLA, and escalate when they pass it.
OPEN = (DecisionStatus.NEEDS_INPUT, DecisionStatus.UNDER_DISCUSSION)
# Not decided yet (a deferred decision is parked, not taken): these count as pending and block their tasks.
UNDECIDED = (*OPEN, DecisionStatus.DEFERRED)

"""Decisions (seed 002 `decisions`, `decision_comments`), attached to PIT's hierarchy and blocking its tasks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from decisions.enums import OPEN, UNDECIDED, DecisionPriority, DecisionStatus, DecisionType
from decisions.models.common import json_list, person, same_org
from decisions.querysets import DecisionQuerySet
from pit.fields import EnumField
from pit.models import TimeStampedModel
from pit.tenancy import OrgManager

# Levels of escalation: who holds an overdue decision after each step.
ESCALATION_LEVELS = {0: "Assignee", 1: "Team manager", 2: "Organisation admin"}
MAX_ESCALATION = max(ESCALATION_LEVELS)


def clean_options(options) -> list[dict]:
    """Options are a list of {id, title, pros, cons}: ids unique, every option titled, pros and cons lists of text."""
    if not isinstance(options, list):
        raise ValidationError({"options": "Options must be a list."})
    seen = set()
    for option in options:
        if not isinstance(option, dict) or not str(option.get("id", "")).strip():
            raise ValidationError({"options": "Every option needs an id."})
        if option["id"] in seen:
            raise ValidationError({"options": f"Two options share the id “{option['id']}”."})
        seen.add(option["id"])
        if not str(option.get("title", "")).strip():
            raise ValidationError({"options": "Every option needs a title."})
        for side in ("pros", "cons"):
            if not isinstance(option.get(side, []), list):
                raise ValidationError({"options": f"An option's {side} are a list."})
    return options


class Decision(TimeStampedModel):
    # Foreign keys the pages never look up by carry no index of their own (db_index=False): every index is
    # rewritten when the escalation job updates a decision, and the named indexes below cover the lookups.
    org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="decisions",
                            db_index=False)  # fmt: skip
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, default="")
    context = models.TextField(blank=True, default="")
    options = json_list(help_text="[{id, title, pros: [...], cons: [...]}]")
    status = EnumField("decision_status_enum", DecisionStatus, default=DecisionStatus.NEEDS_INPUT)
    priority = EnumField("decision_priority_enum", DecisionPriority, default=DecisionPriority.NORMAL)
    decision_type = EnumField("decision_type_enum", DecisionType, null=True, blank=True)
    owner = person("owned_decisions", null=False, db_index=False, help_text="Accountable for getting it decided.")
    assigned_to = person("assigned_decisions", db_index=False, help_text="Who is to decide; escalation starts here.")
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             db_index=False)  # fmt: skip
    stakeholder = models.ForeignKey(
        "decisions.Stakeholder", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions",
        help_text="Whose decision it is (its counters follow this decision).",
    )  # fmt: skip
    outcome = models.ForeignKey("decisions.Outcome", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="decisions")  # fmt: skip
    hypothesis = models.ForeignKey("decisions.Hypothesis", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="decisions", db_index=False)  # fmt: skip
    project = models.ForeignKey("projects.Project", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="decisions", db_index=False)  # fmt: skip
    milestone = models.ForeignKey("projects.Milestone", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="decisions", db_index=False)  # fmt: skip
    deliverable = models.ForeignKey("projects.Deliverable", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="decisions", db_index=False)  # fmt: skip
    task = models.ForeignKey("projects.Task", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="decisions")  # fmt: skip
    sla_hours = models.IntegerField(
        null=True, blank=True, help_text="Empty: the organisation's default for the priority."
    )
    due_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.IntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = person("escalated_decisions", db_index=False)
    decided_by = person(db_index=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_rationale = models.TextField(blank=True, default="")
    selected_option = models.JSONField(null=True, blank=True, help_text="The chosen option, as it was when chosen.")
    blocked_tasks = models.ManyToManyField("projects.Task", through="decisions.DecisionBlockedTask", blank=True,
                                           related_name="blocking_decisions")  # fmt: skip
    external_refs = models.JSONField(default=dict, blank=True)
    tags = json_list()
    created_by = person(null=False, db_index=False)

    objects = OrgManager.from_queryset(DecisionQuerySet)()

    class Meta:
        db_table = "decision"
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["org", "due_at", "id"], name="decision_org_due_idx"),
            models.Index(fields=["org", "status", "due_at"], name="decision_org_status_due_idx"),
            models.Index(fields=["project"], name="decision_project_idx"),
            models.Index(fields=["owner"], name="decision_owner_idx"),
            models.Index(fields=["assigned_to"], name="decision_assigned_idx"),
            # The escalation scan reads only open decisions with a due time.
            models.Index(fields=["due_at"], name="decision_open_due_idx", condition=Q(status__in=OPEN)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_level__gte=0, escalation_level__lte=MAX_ESCALATION),
                name="decision_escalation_level_range",
            ),
            models.CheckConstraint(condition=Q(sla_hours__isnull=True) | Q(sla_hours__gte=1), name="decision_sla_pos"),
            models.CheckConstraint(
                condition=~Q(status__in=[DecisionStatus.DECIDED, DecisionStatus.IMPLEMENTED])
                | (Q(selected_option__isnull=False, decided_at__isnull=False) & ~Q(decision_rationale="")),
                name="decision_decided_has_choice",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED

    @property
    def holder(self):
        """Who must act now: whoever it was escalated to, else the assignee, else the owner."""
        return self.escalated_to or self.assigned_to or self.owner

    @property
    def escalation_label(self) -> str:
        return ESCALATION_LEVELS[self.escalation_level]

    def option(self, option_id: str) -> dict | None:
        return next((option for option in self.options if option.get("id") == option_id), None)

    def clean(self):
        super().clean()
        clean_options(self.options)
        same_org(self, self.org_id, "owner", "assigned_to", "team", "stakeholder", "outcome", "hypothesis", "project",
                 "milestone", "deliverable", "task")  # fmt: skip
        if self.hypothesis_id and self.outcome_id and self.hypothesis.outcome_id != self.outcome_id:
            raise ValidationError({"hypothesis": "Choose a hypothesis of the chosen outcome (or no outcome)."})


class DecisionComment(TimeStampedModel):
    org_path = "decision__org"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = person("decision_comments", null=False)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    content = models.TextField()
    option_id = models.CharField(max_length=255, blank=True, default="", help_text="The option this comment argues.")
    is_edited = models.BooleanField(default=False)
    mentions = json_list(help_text="Ids of the people @mentioned.")

    objects = OrgManager()

    class Meta:
        db_table = "decision_comment"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["decision", "created_at"], name="decision_comment_decision_idx")]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.decision}"

    def get_absolute_url(self) -> str:
        return self.decision.get_absolute_url() + f"#comment-{self.pk}"


class DecisionBlockedTask(models.Model):
    """A task that cannot be completed until its decision is taken (seed 002's `blocked_items`, as rows)."""

    org_path = "decision__org"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="blocked_links")
    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="decision_blocks")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "decision_blocked_task"
        constraints = [models.UniqueConstraint(fields=["decision", "task"], name="decision_blocked_task_uniq")]
        indexes = [models.Index(fields=["task"], name="decision_blocked_task_task_idx")]

    def __str__(self) -> str:
        return f"{self.task} waits for {self.decision}"

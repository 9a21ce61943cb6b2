"""Outcomes the organisation wants and the hypotheses that test how to reach them (seed 002)."""

from django.db import models
from django.urls import reverse

from decisions.enums import HypothesisPriority, HypothesisStatus, OutcomePriority, OutcomeStatus
from decisions.models.common import json_list, person, same_org
from pit.fields import EnumField
from pit.models import TimeStampedModel
from pit.tenancy import OrgManager


class Outcome(TimeStampedModel):
    org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="outcomes")
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True, default="")
    success_criteria = models.TextField(blank=True, default="")
    target_metrics = models.JSONField(default=dict, blank=True)
    current_metrics = models.JSONField(default=dict, blank=True)
    status = EnumField("outcome_status_enum", OutcomeStatus, default=OutcomeStatus.DRAFT)
    priority = EnumField("outcome_priority_enum", OutcomePriority, default=OutcomePriority.MEDIUM)
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    owner = person("owned_outcomes")
    target_date = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    validation_notes = models.TextField(blank=True, default="")
    validated_by = person()
    invalidated_by = person()
    external_refs = models.JSONField(default=dict, blank=True)
    tags = json_list()
    created_by = person(null=False)

    objects = OrgManager()

    class Meta:
        db_table = "outcome"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["org", "status"], name="outcome_org_status_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:outcome", args=[self.pk])

    def clean(self):
        super().clean()
        same_org(self, self.org_id, "team", "owner")


class Hypothesis(TimeStampedModel):
    org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="hypotheses")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="hypotheses")
    title = models.CharField(max_length=500)
    belief = models.TextField(help_text="We believe that …")
    expected_result = models.TextField(help_text="… will result in …")
    measurement_criteria = models.TextField(blank=True, default="")
    status = EnumField("hypothesis_status_enum", HypothesisStatus, default=HypothesisStatus.DRAFT)
    priority = EnumField("hypothesis_priority_enum", HypothesisPriority, default=HypothesisPriority.MEDIUM)
    owner = person("owned_hypotheses")
    experiment_config = models.JSONField(default=dict, blank=True)
    experiment_results = models.JSONField(default=dict, blank=True)
    blocked_reason = models.TextField(blank=True, default="")
    conclusion_notes = models.TextField(blank=True, default="")
    external_refs = models.JSONField(default=dict, blank=True)
    tags = json_list()
    started_at = models.DateTimeField(null=True, blank=True)
    deployed_at = models.DateTimeField(null=True, blank=True)
    measuring_started_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = person()
    created_by = person(null=False)

    objects = OrgManager()

    class Meta:
        db_table = "hypothesis"
        verbose_name_plural = "hypotheses"
        ordering = ["created_at"]
        indexes = [models.Index(fields=["outcome", "status"], name="hypothesis_outcome_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=HypothesisStatus.BLOCKED) | ~models.Q(blocked_reason=""),
                name="hypothesis_blocked_has_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:outcome", args=[self.outcome_id]) + f"#hypothesis-{self.pk}"

    def clean(self):
        super().clean()
        same_org(self, self.org_id, "outcome", "owner")

"""Baselines: named snapshots of a project's plan, kept to measure the plan of today against.

A baseline is captured in one transaction: the `baseline` row (unsealed), its items and dependencies copied by
INSERT … SELECT, then the row is sealed. From then on the database refuses any change (migration 0002's triggers):
items and dependencies can be neither updated, deleted nor added to, and of the baseline row only `name` and
`is_reference` may change. Deleting a whole baseline is allowed (through `services.delete_baseline`, audited): its
items go with it by the database's own cascade, so a baseline is always either whole or gone, never edited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pit.models import TimeStampedModel
from pit.tenancy import OrgManager

USER = settings.AUTH_USER_MODEL


class Baseline(TimeStampedModel):
    org_path = "project__org"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="baselines")
    name = models.TextField()
    is_reference = models.BooleanField(default=False, help_text="The baseline the project is measured against.")
    captured_at = models.DateTimeField(default=timezone.now)
    captured_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sealed = models.BooleanField(default=False, help_text="Set when the capture is complete; never unset.")
    # The project as it was at capture.
    start_date = models.DateField()
    end_date = models.DateField()
    progress_percent = models.IntegerField()
    capex_total = models.DecimalField(max_digits=12, decimal_places=2)
    opex_total = models.DecimalField(max_digits=12, decimal_places=2)
    task_count = models.IntegerField(default=0)

    objects = OrgManager()

    class Meta:
        db_table = "baseline"
        ordering = ["-captured_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(is_reference=True), name="baseline_one_reference"),
            models.UniqueConstraint(fields=["project", "name"], name="baseline_name_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("baselines:variance", args=[self.pk])


class ItemKind(models.TextChoices):
    MILESTONE = "milestone", "Milestone"
    DELIVERABLE = "deliverable", "Deliverable"
    TASK = "task", "Task"


class BaselineItem(models.Model):
    """A milestone, deliverable or task as it was at capture. The ids are plain numbers, not foreign keys: a
    baseline keeps what the plan was even after an item is purged."""

    org_path = "baseline__project__org"

    # DO_NOTHING here, ON DELETE CASCADE in the database (migration 0002): the items go with their baseline
    baseline = models.ForeignKey(Baseline, on_delete=models.DO_NOTHING, related_name="items")
    kind = models.TextField(choices=ItemKind.choices)
    item_id = models.BigIntegerField()
    milestone_id = models.BigIntegerField(help_text="Its milestone at capture (its own id for a milestone).")
    deliverable_id = models.BigIntegerField(null=True, help_text="Its deliverable at capture (tasks).")
    name = models.TextField()
    start_date = models.DateField()
    end_date = models.DateField()
    progress_percent = models.IntegerField()
    capex = models.DecimalField(max_digits=12, decimal_places=2)
    opex = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.TextField(blank=True, default="", help_text="Tasks' status at capture.")
    order_index = models.IntegerField(default=0)

    objects = OrgManager()

    class Meta:
        db_table = "baseline_item"
        constraints = [
            models.UniqueConstraint(fields=["baseline", "kind", "item_id"], name="baseline_item_uniq"),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="baseline_item_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class BaselineDependency(models.Model):
    """A task dependency as it was at capture, so that the baseline's critical path can be computed."""

    org_path = "baseline__project__org"

    # DO_NOTHING here, ON DELETE CASCADE in the database (migration 0002): the items go with their baseline
    baseline = models.ForeignKey(Baseline, on_delete=models.DO_NOTHING, related_name="dependencies")
    predecessor_id = models.BigIntegerField()
    successor_id = models.BigIntegerField()
    lag_days = models.IntegerField()

    objects = OrgManager()

    class Meta:
        db_table = "baseline_dependency"
        indexes = [models.Index(fields=["baseline"], name="baseline_dependency_idx")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"

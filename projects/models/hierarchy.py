"""The hierarchy of PIT_DATABASE_SCHEMA_v0.1 section 3: Project → Milestone → Deliverable → Task.

The database enforces the hierarchy with composite foreign keys (migration 0002): a deliverable's
(milestone_id, project_id) must be a milestone's (id, project_id), and a task's (deliverable_id,
milestone_id, project_id) a deliverable's (id, milestone_id, project_id). ON UPDATE CASCADE carries a moved
subtree along.
"""

from django.conf import settings
from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pit.enums import ProjectType, QuickClass, TaskStatus
from pit.fields import EnumField
from pit.models import SoftDeleteModel
from projects import validation

USER = settings.AUTH_USER_MODEL
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
NON_NEGATIVE = [MinValueValidator(0)]


def money(**kwargs):
    return models.DecimalField(max_digits=12, decimal_places=2, default=0, validators=NON_NEGATIVE, **kwargs)


def percent():
    return models.IntegerField(default=0, validators=PERCENT)


def dated_checks(table: str, *, money_fields=(), percent_fields=("progress_percent",)) -> list:
    """The CHECK constraints every dated hierarchy table carries: end >= start, 0-100 %, costs >= 0."""
    checks = [models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name=f"{table}_end_after_start")]
    checks += [
        models.CheckConstraint(condition=Q(**{f"{f}__gte": 0, f"{f}__lte": 100}), name=f"{table}_{f}_0_100")
        for f in percent_fields
    ]
    checks += [models.CheckConstraint(condition=Q(**{f"{f}__gte": 0}), name=f"{table}_{f}_gte_0") for f in money_fields]
    return checks


def sync_indexes(table: str) -> list[models.Index]:
    """What offline sync reads: rows changed since a moment, and tombstones of the rows deleted since then."""
    return [
        models.Index(fields=["updated_at"], name=f"{table}_updated_at_idx"),
        models.Index(fields=["deleted_at"], name=f"{table}_deleted_at_idx", condition=Q(deleted_at__isnull=False)),
    ]


class DatedMixin:
    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})


class ProjectStatus(models.TextChoices):
    """Calculated, not chosen (issue 4's status engine); stored as TEXT as the document says."""

    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"


class Project(DatedMixin, SoftDeleteModel):
    org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="projects")
    division = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, null=True, blank=True)
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    type = EnumField("project_type_enum", ProjectType, default=ProjectType.PROJECT)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="owned_projects")
    start_date = models.DateField()
    end_date = models.DateField()
    quick_class = EnumField("quick_class_enum", QuickClass, default=QuickClass.MEDIUM_TERM)
    progress_percent = percent()
    capex_total = money()
    opex_total = money()
    status = models.TextField(choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED)
    timeline_version = models.BigIntegerField(default=0, help_text="Bumped by every change that can move a bar.")

    history = HistoricalRecords(table_name="project_history", excluded_fields=["timeline_version"])

    class Meta:
        db_table = "project"
        ordering = ["start_date", "name"]
        indexes = [
            models.Index(fields=["org"], name="project_org_idx"),
            models.Index(fields=["owner"], name="project_owner_idx"),
            models.Index(fields=["status"], name="project_status_idx"),
            models.Index(fields=["start_date", "end_date"], name="project_dates_idx"),
            *sync_indexes("project"),
        ]
        constraints = [
            *dated_checks("project", money_fields=("capex_total", "opex_total")),
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project", args=[self.pk])

    def clean(self):
        super().clean()
        validation.same_org("owner", self.owner if self.owner_id else None, self.org_id)
        if self.division_id and self.division.org_id != self.org_id:
            raise ValidationError({"division": "Choose a division of this organisation."})


class Milestone(DatedMixin, SoftDeleteModel):
    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="owned_milestones")
    start_date = models.DateField()
    end_date = models.DateField()
    progress_percent = percent()
    capex_total = money()
    opex_total = money()
    order_index = models.IntegerField(default=0)

    history = HistoricalRecords(table_name="milestone_history")

    class Meta:
        db_table = "milestone"
        ordering = ["order_index", "start_date"]
        indexes = [
            models.Index(fields=["project"], name="milestone_project_idx"),
            models.Index(fields=["start_date", "end_date"], name="milestone_dates_idx"),
            *sync_indexes("milestone"),
        ]
        constraints = [
            *dated_checks("milestone", money_fields=("capex_total", "opex_total")),
            models.UniqueConstraint(fields=["id", "project"], name="milestone_id_project_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.project_id:
            validation.same_org("owner", self.owner if self.owner_id else None, self.project.org_id)
            validation.dates_within(self, self.project, "project")


class Deliverable(DatedMixin, SoftDeleteModel):
    org_path = "project__org"

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliverables")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="owned_deliverables")
    start_date = models.DateField()
    end_date = models.DateField()
    progress_percent = percent()
    capex_total = money()  # beyond v0.1: roll-ups per level
    opex_total = money()
    order_index = models.IntegerField(default=0)

    history = HistoricalRecords(table_name="deliverable_history")

    class Meta:
        db_table = "deliverable"
        ordering = ["order_index", "start_date"]
        indexes = [
            models.Index(fields=["milestone"], name="deliverable_milestone_idx"),
            models.Index(fields=["project"], name="deliverable_project_idx"),
            *sync_indexes("deliverable"),
        ]
        constraints = [
            *dated_checks("deliverable", money_fields=("capex_total", "opex_total")),
            models.UniqueConstraint(fields=["id", "milestone", "project"], name="deliverable_id_hierarchy_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:deliverable", args=[self.pk])

    def align_to_milestone(self) -> None:
        self.project_id = self.milestone.project_id

    def clean(self):
        super().clean()
        if self.milestone_id:
            validation.hierarchy_matches(self, self.milestone, ("project",), "milestone")
            validation.same_org("owner", self.owner if self.owner_id else None, self.milestone.project.org_id)
            validation.dates_within(self, self.milestone, "milestone")


class TaskType(models.TextChoices):
    SIMPLE = "simple", "Simple"
    CLUSTER_ITEM = "cluster_item", "Cluster item"


class Task(DatedMixin, SoftDeleteModel):
    """The core work unit (section 3.4)."""

    org_path = "project__org"

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="tasks")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="tasks")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    task_type = models.TextField(choices=TaskType.choices, default=TaskType.SIMPLE)
    cluster = models.ForeignKey("TaskCluster", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="owned_tasks")
    assignees = models.JSONField(default=list, blank=True, help_text="User ids, as the document's JSONB array.")
    status = EnumField("task_status_enum", TaskStatus, default=TaskStatus.NOT_STARTED)
    blocked_reason = models.TextField(blank=True, default="")
    start_date = models.DateField()
    end_date = models.DateField()
    duration_days = models.IntegerField(default=1, validators=[MinValueValidator(1)])
    progress_percent = percent()
    quick_class = EnumField("quick_class_enum", QuickClass, default=QuickClass.MEDIUM_TERM)
    requires_evidence = models.BooleanField(default=False)
    capex_cost = money()
    opex_cost = money()
    fy_allocation = models.IntegerField(help_text="Financial year the cost falls in (the year it ends).")
    order_index = models.IntegerField(default=0)
    # Beyond v0.1, for the watchdog: when progress last moved and since when the task is blocked (set by services).
    progress_changed_at = models.DateTimeField(db_default=Now(), default=timezone.now)
    blocked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(table_name="task_history")

    class Meta:
        db_table = "task"
        ordering = ["order_index", "start_date"]
        indexes = [
            models.Index(fields=["project", "status"], name="task_project_status_idx"),
            models.Index(fields=["project", "id"], name="task_project_id_idx"),  # one project's tasks, a page by id
            models.Index(fields=["project", "start_date", "end_date"], name="task_project_dates_idx"),
            models.Index(fields=["owner"], name="task_owner_idx"),
            # My work: assignees @> [user id]; jsonb_path_ops is the smaller, faster opclass for containment
            GinIndex(fields=["assignees"], name="task_assignees_gin", opclasses=["jsonb_path_ops"]),
            models.Index(fields=["status"], name="task_status_idx"),
            models.Index(fields=["start_date"], name="task_start_date_idx"),
            models.Index(fields=["end_date"], name="task_end_date_idx"),
            GistIndex(
                Func(F("start_date"), F("end_date"), Value("[]"), function="daterange", output_field=DateRangeField()),
                name="task_daterange_gist",
            ),
            *sync_indexes("task"),
        ]
        constraints = [
            *dated_checks("task", money_fields=("capex_cost", "opex_cost")),
            models.UniqueConstraint(fields=["id", "project"], name="task_id_project_uniq"),  # dependencies' target
            models.CheckConstraint(condition=Q(task_type__in=TaskType.values), name="task_type_valid"),
            models.CheckConstraint(condition=Q(duration_days__gte=1), name="task_duration_positive"),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.BLOCKED) | ~Q(blocked_reason=""), name="task_blocked_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:task", args=[self.pk])

    def align_to_deliverable(self) -> None:
        self.milestone_id = self.deliverable.milestone_id
        self.project_id = self.deliverable.project_id

    def clean(self):
        super().clean()
        if self.deliverable_id:
            validation.hierarchy_matches(self, self.deliverable, ("milestone", "project"), "deliverable")
            validation.same_org("owner", self.owner if self.owner_id else None, self.deliverable.project.org_id)
            validation.dates_within(self, self.deliverable, "deliverable")
        if self.status == TaskStatus.BLOCKED and not self.blocked_reason.strip():
            raise ValidationError({"blocked_reason": "Say why the task is blocked."})

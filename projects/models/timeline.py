"""The timeline engine's tables (PIT_DATABASE_SCHEMA_v0.1 section 6), and task dependencies (planned for v0.2)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from pit.models import TimeStampedModel
from pit.tenancy import OrgManager
from projects.models.hierarchy import Project, Task

USER = settings.AUTH_USER_MODEL


class ZoomLevel(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


def zoom_check(table: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(zoom_level__in=ZoomLevel.values), name=f"{table}_zoom_level_valid")


class TimelineCache(TimeStampedModel):
    """Section 6.1: precomputed bar geometry per project and zoom level."""

    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="timeline_caches")
    data = models.JSONField(
        default=dict, help_text="Rows and bar geometry, stamped with the project's timeline_version."
    )
    zoom_level = models.TextField(choices=ZoomLevel.choices)

    objects = OrgManager()

    class Meta:
        db_table = "timeline_cache"
        constraints = [
            models.UniqueConstraint(fields=["project", "zoom_level"], name="timeline_cache_uniq"),
            zoom_check("timeline_cache"),
        ]


class GanttState(TimeStampedModel):
    """Section 6.2: each user's last zoom and viewport per project."""

    org_path = "project__org"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="gantt_states")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gantt_states")
    zoom_level = models.TextField(choices=ZoomLevel.choices)
    viewport_start = models.DateField()
    viewport_end = models.DateField()
    collapsed = models.JSONField(default=list, blank=True, help_text="Ids of the milestones the user folded.")

    objects = OrgManager()

    class Meta:
        db_table = "gantt_state"
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="gantt_state_user_project_uniq"),
            zoom_check("gantt_state"),
            models.CheckConstraint(condition=Q(viewport_end__gt=F("viewport_start")), name="gantt_state_viewport"),
        ]


class DependencyType(models.TextChoices):
    FINISH_TO_START = "finish_to_start", "Finish to start"


class TaskDependency(TimeStampedModel):
    """The successor may start `lag_days` working days after the predecessor finishes (negative: overlap).

    Both tasks belong to `project`: composite foreign keys (migration 0005) make the database refuse a dependency
    across projects; cycles are refused by the service that adds dependencies.
    """

    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies")
    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links")
    type = models.TextField(choices=DependencyType.choices, default=DependencyType.FINISH_TO_START)
    lag_days = models.IntegerField(default=0)

    objects = OrgManager()

    class Meta:
        db_table = "task_dependency"
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="task_dependency_pair_uniq"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="task_dependency_not_self"),
            models.CheckConstraint(condition=Q(type__in=DependencyType.values), name="task_dependency_type_valid"),
            models.CheckConstraint(condition=Q(lag_days__gte=-365, lag_days__lte=365), name="task_dependency_lag"),
        ]
        indexes = [models.Index(fields=["successor"], name="task_dependency_successor_idx")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"

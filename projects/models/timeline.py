"""The timeline engine's tables (PIT_DATABASE_SCHEMA_v0.1 section 6)."""

from django.conf import settings
from django.db import models

from pit.models import TimeStampedModel
from pit.tenancy import OrgManager
from projects.models.hierarchy import Project

USER = settings.AUTH_USER_MODEL


class TimelineCache(TimeStampedModel):
    """Section 6.1: precomputed bar geometry per project and zoom level."""

    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="timeline_caches")
    data = models.JSONField(default=dict)
    zoom_level = models.TextField()

    objects = OrgManager()

    class Meta:
        db_table = "timeline_cache"
        constraints = [models.UniqueConstraint(fields=["project", "zoom_level"], name="timeline_cache_uniq")]


class GanttState(TimeStampedModel):
    """Section 6.2: each user's last zoom and viewport per project."""

    org_path = "project__org"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="gantt_states")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gantt_states")
    zoom_level = models.TextField()
    viewport_start = models.DateField()
    viewport_end = models.DateField()

    objects = OrgManager()

    class Meta:
        db_table = "gantt_state"
        constraints = [models.UniqueConstraint(fields=["user", "project"], name="gantt_state_user_project_uniq")]

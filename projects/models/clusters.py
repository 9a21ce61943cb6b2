"""Task clusters and their templates (PIT_DATABASE_SCHEMA_v0.1 section 4)."""

from django.conf import settings
from django.db import models

from pit.models import TimeStampedModel
from pit.tenancy import OrgManager
from projects.cluster_schema import validate_template
from projects.models.hierarchy import Project

USER = settings.AUTH_USER_MODEL


class TaskCluster(TimeStampedModel):
    """Tasks generated together from a template (section 4.1)."""

    org_path = "project__org"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="clusters")
    template = models.ForeignKey("TaskClusterTemplate", on_delete=models.PROTECT, related_name="clusters")
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_column="created_by")

    objects = OrgManager()

    class Meta:
        db_table = "task_cluster"

    def __str__(self) -> str:
        return self.name


class TaskClusterTemplate(TimeStampedModel):
    """Section 4.2; belongs to an organisation (extra column) so templates never cross tenants."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="cluster_templates")
    name = models.TextField()
    description = models.TextField(blank=True, default="")
    template_json = models.JSONField(default=dict)

    objects = OrgManager()

    class Meta:
        db_table = "task_cluster_template"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="task_cluster_template_org_name_uniq")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        validate_template(self.template_json)

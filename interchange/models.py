"""A plan read from an upload and waiting for its importer's confirmation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pit.tenancy import OrgQuerySet


class PendingImportQuerySet(OrgQuerySet):
    def open(self, now=None):
        """Not yet confirmed and not expired: what can still be previewed and confirmed."""
        return self.filter(confirmed_at__isnull=True, expires_at__gt=now or timezone.now())


class PendingImport(models.Model):
    """The parsed plan (JSON, never the uploaded file itself), its problems as found at upload, and where it goes:
    an existing `project`, or a new project named `project_name`. Kept until confirmed or `expires_at`."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    project_name = models.TextField(blank=True, default="")
    file_name = models.TextField()
    source = models.TextField(help_text="mspdi, xlsx or csv")
    plan = models.JSONField()
    problems = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager.from_queryset(PendingImportQuerySet)()

    class Meta:
        db_table = "plan_import"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"], name="plan_import_expires_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(project_name=""), name="plan_import_has_target"
            ),
            models.CheckConstraint(condition=Q(source__in=["mspdi", "xlsx", "csv"]), name="plan_import_source"),
        ]

    def __str__(self) -> str:
        return self.file_name

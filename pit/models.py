"""Shared kernel tables and abstract bases."""

from django.conf import settings
from django.db import models

from pit.enums import AiModel
from pit.fields import EnumField
from pit.tenancy import OrgManager, OrgQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SoftDeleteQuerySet(OrgQuerySet):
    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """The default manager of soft-deletable tables: deleted rows are invisible unless asked for."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(TimeStampedModel):
    """`deleted_at` soft delete: `objects` hides deleted rows, `all_objects` shows them (admin restore)."""

    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveManager()
    all_objects = models.Manager.from_queryset(SoftDeleteQuerySet)()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AuditLog(models.Model):
    """PIT_DATABASE_SCHEMA_v0.1 section 12.1, with the tenant and request context of the CodeOps and Fast Track seeds.

    Append-only: a trigger (migration 0002) refuses UPDATE and DELETE.
    """

    org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.TextField()
    table_name = models.TextField()
    record_id = models.TextField()
    before_state = models.JSONField(null=True, blank=True)
    after_state = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.TextField(blank=True, default="")
    request_id = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "audit_log"
        indexes = [
            models.Index(fields=["org", "-created_at"], name="audit_log_org_created_idx"),
            models.Index(fields=["table_name", "record_id"], name="audit_log_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.table_name}#{self.record_id}"


class JobRun(models.Model):
    """One run of a scheduled job (status engine, roll-up rebuild, ...): when, how long, what it changed."""

    name = models.TextField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_changed = models.IntegerField(default=0)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "job_run"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="job_run_name_started_idx")]

    def __str__(self) -> str:
        return f"{self.name} at {self.started_at:%Y-%m-%d %H:%M}"


class AiRoute(TimeStampedModel):
    """An organisation's choice for one AI job kind: which model (ai_model_enum) and, optionally, which provider.
    Without a row the job's default model is used, on the provider configured for that model (pit/ai.py)."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    job = models.TextField()
    model = EnumField("ai_model_enum", AiModel)
    provider = models.TextField(blank=True, default="", help_text="Empty: the provider configured for the model.")

    objects = OrgManager()

    class Meta:
        db_table = "ai_route"
        constraints = [models.UniqueConstraint(fields=["org", "job"], name="ai_route_org_job_uniq")]

    def __str__(self) -> str:
        return f"{self.job} → {self.model}"


class AiCallLog(models.Model):
    """One call of an AI job through the router: what ran where, how long it took and how it ended."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False)
    job = models.TextField()
    model = EnumField("ai_model_enum", AiModel)
    provider = models.TextField()
    subject = models.TextField(blank=True, default="", help_text="table:id the call was about.")
    latency_ms = models.IntegerField()
    outcome = models.TextField(help_text="ok, error, timeout, unavailable or bad_response.")
    detail = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "ai_call_log"
        indexes = [models.Index(fields=["org", "-created_at"], name="ai_call_log_org_created_idx")]

    def __str__(self) -> str:
        return f"{self.job} via {self.provider}: {self.outcome}"

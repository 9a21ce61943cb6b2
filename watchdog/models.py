"""Watchdog alerts, scan ledger and QA results (PIT_DATABASE_SCHEMA_v0.1 sections 7 and 8)."""

from django.db import models
from django.utils import timezone

from pit.enums import AiModel, AlertSeverity
from pit.fields import EnumField
from pit.tenancy import OrgManager


class WatchdogAlert(models.Model):
    org_path = "project__org"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="alerts")
    severity = EnumField("alert_severity_enum", AlertSeverity)
    code = models.TextField()
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = OrgManager()

    class Meta:
        db_table = "watchdog_alert"
        indexes = [
            models.Index(fields=["severity"], name="watchdog_alert_severity_idx"),
            models.Index(fields=["project", "resolved_at"], name="watchdog_alert_open_idx"),
        ]

    def __str__(self) -> str:
        return f"[{self.severity}] {self.code}"


class WatchdogScanLog(models.Model):
    """One row per scan run: a platform ledger, not a tenant's data."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    projects_scanned = models.IntegerField(default=0)
    issues_detected = models.IntegerField(default=0)
    ai_summary = models.TextField(blank=True, default="")

    class Meta:
        db_table = "watchdog_scan_log"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Scan at {self.started_at:%Y-%m-%d %H:%M}"


class QaOverallStatus(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"


class QaResult(models.Model):
    """Section 8.1: one Foreman QA run for one project."""

    org_path = "project__org"

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="qa_results")
    run_at = models.DateTimeField(default=timezone.now)
    overall_status = models.TextField(choices=QaOverallStatus.choices)
    passed_tests = models.JSONField(default=list)
    failed_tests = models.JSONField(default=list)
    autofix_actions = models.JSONField(default=list)
    model_used = EnumField("ai_model_enum", AiModel, null=True, blank=True, help_text="Empty: no model was used.")

    objects = OrgManager()

    class Meta:
        db_table = "qa_result"
        ordering = ["-run_at"]
        indexes = [models.Index(fields=["project", "-run_at"], name="qa_result_project_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall_status__in=QaOverallStatus.values), name="qa_result_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"QA {self.overall_status} for project {self.project_id}"

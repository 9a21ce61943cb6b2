"""Watchdog alerts, scan ledger and QA results (PIT_DATABASE_SCHEMA_v0.1 sections 7 and 8)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from pit.enums import AiModel, AlertSeverity
from pit.fields import EnumField
from pit.tenancy import OrgManager, OrgQuerySet
from watchdog.rules import registry


class AlertQuerySet(OrgQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def needing_attention(self, today):
        """Open, not acknowledged and not snoozed past `today`: the alerts list's first tab."""
        return (
            self.open()
            .filter(acknowledged_at__isnull=True)
            .filter(models.Q(snoozed_until__isnull=True) | models.Q(snoozed_until__lt=today))
        )


class WatchdogAlert(models.Model):
    """One problem a rule found on one subject (a task, a milestone, an approved budget, ...).

    The scan keeps at most one open alert per (rule code, subject): the partial unique index below. Its severity
    follows the situation; `resolved_at` is set when the rule no longer finds the problem. People acknowledge an
    alert (with a note) or snooze it until a date; an escalation clears both, so a worse problem is seen again.
    """

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="alerts")
    severity = EnumField("alert_severity_enum", AlertSeverity)
    code = models.TextField(help_text="The rule that raised it (watchdog/rules/).")
    subject_table = models.TextField()
    subject_id = models.BigIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who answers for the subject (the task's, milestone's or project's owner).",
    )
    message = models.TextField()
    data = models.JSONField(default=dict, blank=True)
    detected_at = models.DateTimeField(default=timezone.now)
    severity_changed_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledge_note = models.TextField(blank=True, default="")
    snoozed_until = models.DateField(null=True, blank=True)
    notified_yellow_at = models.DateTimeField(null=True, blank=True)
    notified_red_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        db_table = "watchdog_alert"
        indexes = [
            models.Index(fields=["severity"], name="watchdog_alert_severity_idx"),
            models.Index(fields=["project", "resolved_at"], name="watchdog_alert_open_idx"),
            models.Index(
                "org", models.F("severity").desc(), models.F("detected_at").desc(), models.F("id").desc(),
                name="watchdog_alert_org_open_idx", condition=models.Q(resolved_at__isnull=True),
            ),
            models.Index(fields=["org", "-resolved_at"], name="watchdog_alert_org_history_idx"),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(
                fields=["code", "subject_table", "subject_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="watchdog_alert_one_open_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.data.get('name', self.subject_table)}"

    def get_absolute_url(self) -> str:
        return reverse("watchdog:alerts") + f"?project={self.project_id}#alert-{self.pk}"

    @property
    def title(self) -> str:
        rule = registry().get(self.code)
        return rule.title if rule else self.code

    @property
    def subject_url(self) -> str:
        rule = registry().get(self.code)
        if rule and rule.url:
            return rule.url.format(subject_id=self.subject_id, project_id=self.project_id)
        if self.subject_table == "task":
            return reverse("projects:task", args=[self.subject_id])
        if self.subject_table == "milestone":
            return reverse("projects:project", args=[self.project_id]) + f"#milestone-{self.subject_id}"
        return reverse("projects:project", args=[self.project_id])


class WatchdogSettings(models.Model):
    """An organisation's watchdog thresholds: {rule code: {threshold name: value}}; a missing value is the rule's
    default (watchdog/rules/). Edited by org admins on /alerts/settings/ and in the admin."""

    org = models.OneToOneField("accounts.Organisation", on_delete=models.CASCADE, related_name="watchdog_settings")
    thresholds = models.JSONField(default=dict, blank=True)
    notify_yellow_after_days = models.IntegerField(
        default=3, help_text="A yellow alert still open after this many days is sent to its owners."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgManager()

    class Meta:
        db_table = "watchdog_settings"
        verbose_name_plural = "watchdog settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notify_yellow_after_days__gte=0), name="watchdog_settings_notify_days_gte_0"
            )
        ]

    def __str__(self) -> str:
        return f"Watchdog settings of {self.org}"


class WatchdogScanLog(models.Model):
    """One row per scan run (of one organisation, or one project of it)."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    projects_scanned = models.IntegerField(default=0)
    issues_detected = models.IntegerField(default=0)
    ai_summary = models.TextField(blank=True, default="")
    detail = models.JSONField(
        default=dict, blank=True, help_text="What changed (new, raised, lowered, resolved) and the project scanned."
    )

    objects = OrgManager()

    class Meta:
        db_table = "watchdog_scan_log"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["org", "-started_at"], name="watchdog_scan_log_org_idx")]

    def __str__(self) -> str:
        return f"Scan at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_ms(self) -> int | None:
        if self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds() * 1000)


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

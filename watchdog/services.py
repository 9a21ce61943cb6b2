"""Writes of the watchdog app: people acting on alerts, the organisation's thresholds, alert notifications, and
Foreman QA runs. (The scan itself is watchdog/scan.py.)"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import notify
from pit import audit
from projects.models import Project
from watchdog import qa, qa_data
from watchdog.models import QaOverallStatus, QaResult, WatchdogAlert, WatchdogSettings
from watchdog.rules import registry

NOTIFY_BATCH = 500


def _change(actor, alert: WatchdogAlert, **fields) -> WatchdogAlert:
    locked = WatchdogAlert.objects.select_for_update().get(pk=alert.pk)
    if locked.resolved_at is not None:
        raise ValidationError("This alert is already resolved: the problem has cleared.")
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    audit.record(actor=actor, org=locked.org_id, action="UPDATE", instance=locked, before=before,
                 after=audit.snapshot(locked))  # fmt: skip
    return locked


@transaction.atomic
def acknowledge(*, actor, alert: WatchdogAlert, note: str) -> WatchdogAlert:
    """Someone has seen it and says what is being done; it leaves the open list until it gets worse."""
    if not (note or "").strip():
        raise ValidationError({"note": "Say what is being done about it."})
    return _change(actor, alert, acknowledged_at=timezone.now(), acknowledged_by=actor,
                   acknowledge_note=note.strip())  # fmt: skip


@transaction.atomic
def snooze(*, actor, alert: WatchdogAlert, until: datetime.date, note: str = "") -> WatchdogAlert:
    """Hidden from the open list until `until` (it comes back on that day, or earlier if it gets worse)."""
    if until is None or until <= alert.org.today():
        raise ValidationError({"until": "Snooze until a date after today."})
    if until > alert.org.today() + datetime.timedelta(days=365):
        raise ValidationError({"until": "Snooze for at most a year."})
    fields = {"snoozed_until": until}
    if (note or "").strip():
        fields["acknowledge_note"] = note.strip()
    return _change(actor, alert, **fields)


@transaction.atomic
def save_settings(*, actor, org, thresholds: dict, notify_yellow_after_days: int) -> WatchdogSettings:
    """The organisation's thresholds ({code: {name: value}}), checked against each rule's declared bounds."""
    rules = registry()
    clean, errors = {}, {}
    for code, values in thresholds.items():
        rule = rules.get(code)
        if rule is None:
            errors[code] = f"There is no rule {code}."
            continue
        for name, value in values.items():
            threshold = rule.thresholds.get(name)
            if threshold is None:
                errors[f"{code}__{name}"] = f"{rule.title} has no threshold {name}."
            elif not isinstance(value, int) or not threshold.minimum <= value <= threshold.maximum:
                errors[f"{code}__{name}"] = f"Enter a whole number from {threshold.minimum} to {threshold.maximum}."
            elif value != threshold.default:
                clean.setdefault(code, {})[name] = value
    if errors:
        raise ValidationError(errors)
    if not (isinstance(notify_yellow_after_days, int) and 0 <= notify_yellow_after_days <= 365):
        raise ValidationError({"notify_yellow_after_days": "Enter a whole number of days from 0 to 365."})
    row, created = WatchdogSettings.objects.select_for_update().get_or_create(org=org)
    before = None if created else audit.snapshot(row)
    row.thresholds, row.notify_yellow_after_days = clean, notify_yellow_after_days
    row.save()
    audit.record(actor=actor, org=org, action="UPDATE" if before else "CREATE", instance=row, before=before,
                 after=audit.snapshot(row))  # fmt: skip
    return row


def _due(org, project, now):
    """Open alerts owed a notification: red ones never sent as red; yellow ones open for the organisation's
    number of days and never sent as yellow. Acknowledged and snoozed alerts wait."""
    row = WatchdogSettings.objects.filter(org=org).first()
    days = row.notify_yellow_after_days if row else WatchdogSettings._meta.get_field("notify_yellow_after_days").default
    alerts = WatchdogAlert.objects.for_org(org).needing_attention(org.today())
    if project is not None:
        alerts = alerts.filter(project=project)
    owed = Q(severity="red", notified_red_at__isnull=True) | Q(
        severity="yellow", notified_yellow_at__isnull=True, detected_at__lte=now - datetime.timedelta(days=days)
    )
    return alerts.filter(owed).select_related("org", "owner", "project__owner").order_by("pk")


def notify_due(*, org, project: Project | None = None) -> int:
    """Hand each owed alert to the notifications service for the subject's owner and the project's owner, and
    record that it was sent (once per alert and severity). Batches of NOTIFY_BATCH, each its own transaction;
    alerts another worker is sending are skipped."""
    sent = 0
    while True:
        with transaction.atomic():
            now = timezone.now()
            batch = list(_due(org, project, now).select_for_update(skip_locked=True, of=("self",))[:NOTIFY_BATCH])
            for alert in batch:
                notify("alert_raised", [alert.owner, alert.project.owner], alert, message=alert.message,
                       link=alert.subject_url, severity=alert.severity)  # fmt: skip
            for severity in ("red", "yellow"):
                ids = [alert.pk for alert in batch if alert.severity == severity]
                WatchdogAlert.objects.filter(pk__in=ids).update(**{f"notified_{severity}_at": now})
        sent += len(batch)
        if len(batch) < NOTIFY_BATCH:
            return sent


@dataclass(frozen=True)
class QaRun:
    schema_failures: dict[str, list[str]]
    results: list[QaResult]

    @property
    def passed(self) -> bool:
        return not self.schema_failures and all(r.overall_status == QaOverallStatus.PASSED for r in self.results)


def _entry(name: str, problems: list[str]) -> dict:
    return {"name": name, "count": len(problems), "problems": problems[: qa.SAMPLE]}


@transaction.atomic
def run_qa(*, org=None) -> QaRun:
    """Run every check and store one qa_result per live project (of `org`, or of all organisations)."""
    schema_results = {name: check() for name, check in qa.SCHEMA_CHECKS.items()}
    projects = Project.objects.for_org(org) if org is not None else Project.objects.all()
    project_ids = list(projects.values_list("pk", flat=True))
    data_results = qa_data.run_data_checks(project_ids)
    now = timezone.now()
    results = []
    for project_id in project_ids:
        checks = {**schema_results, **{name: found.get(project_id, []) for name, found in data_results.items()}}
        failed = [_entry(name, problems) for name, problems in checks.items() if problems]
        results.append(
            QaResult(
                project_id=project_id,
                run_at=now,
                overall_status=QaOverallStatus.FAILED if failed else QaOverallStatus.PASSED,
                passed_tests=[name for name, problems in checks.items() if not problems],
                failed_tests=failed,
                autofix_actions=[],
            )
        )
    QaResult.objects.bulk_create(results, batch_size=2000)
    return QaRun({name: p for name, p in schema_results.items() if p}, results)

from django import forms
from django.contrib import admin

from pit.admin import OrgScopedAdmin, ReadOnlyAdmin
from watchdog.forms import field_name
from watchdog.models import QaResult, WatchdogAlert, WatchdogScanLog, WatchdogSettings
from watchdog.rules import registry


@admin.register(WatchdogAlert)
class WatchdogAlertAdmin(ReadOnlyAdmin):
    """Written by the scans; people acknowledge and snooze alerts on /alerts/."""

    list_display = ["code", "severity", "project", "subject_table", "subject_id", "owner", "detected_at", "resolved_at"]
    list_filter = ["severity", "code"]
    search_fields = ["code", "message", "project__name"]
    list_select_related = ["project", "owner"]


@admin.register(WatchdogScanLog)
class WatchdogScanLogAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "org", "finished_at", "projects_scanned", "issues_detected"]
    list_select_related = ["org"]


class WatchdogSettingsForm(forms.ModelForm):
    """One number per threshold of every registered rule (stored as {code: {name: value}})."""

    class Meta:
        model = WatchdogSettings
        fields = ["org", "notify_yellow_after_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = self.instance.thresholds or {}
        for code, rule in registry().items():
            for name, threshold in rule.thresholds.items():
                self.fields[field_name(code, name)] = forms.IntegerField(
                    label=f"{rule.title}: {threshold.label}", min_value=threshold.minimum,
                    max_value=threshold.maximum, initial=own.get(code, {}).get(name, threshold.default),
                )  # fmt: skip

    def save(self, commit=True):
        values = {}
        for code, rule in registry().items():
            for name, threshold in rule.thresholds.items():
                value = self.cleaned_data[field_name(code, name)]
                if value != threshold.default:
                    values.setdefault(code, {})[name] = value
        self.instance.thresholds = values
        return super().save(commit)


@admin.register(WatchdogSettings)
class WatchdogSettingsAdmin(OrgScopedAdmin):
    form = WatchdogSettingsForm
    list_display = ["org", "notify_yellow_after_days", "updated_at"]
    list_select_related = ["org"]


@admin.register(QaResult)
class QaResultAdmin(ReadOnlyAdmin):
    """Written by `manage.py pit_qa` only."""

    list_display = ["project", "run_at", "overall_status", "model_used"]
    list_filter = ["overall_status"]
    search_fields = ["project__name"]
    list_select_related = ["project"]

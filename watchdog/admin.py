from django.contrib import admin

from pit.admin import OrgScopedAdmin, ReadOnlyAdmin
from watchdog.models import QaResult, WatchdogAlert, WatchdogScanLog


@admin.register(WatchdogAlert)
class WatchdogAlertAdmin(OrgScopedAdmin):
    list_display = ["code", "severity", "project", "detected_at", "resolved_at"]
    list_filter = ["severity", "code"]
    search_fields = ["code", "message", "project__name"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]


@admin.register(WatchdogScanLog)
class WatchdogScanLogAdmin(OrgScopedAdmin):
    list_display = ["started_at", "finished_at", "projects_scanned", "issues_detected"]
    readonly_fields = ["started_at", "finished_at", "projects_scanned", "issues_detected", "ai_summary"]


@admin.register(QaResult)
class QaResultAdmin(ReadOnlyAdmin):
    """Written by `manage.py pit_qa` only."""

    list_display = ["project", "run_at", "overall_status", "model_used"]
    list_filter = ["overall_status"]
    search_fields = ["project__name"]
    list_select_related = ["project"]

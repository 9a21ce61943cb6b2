"""Baselines in the admin: read-only (the database refuses changes to a captured baseline anyway), scoped to the
admin's organisation."""

from django.contrib import admin

from baselines.models import Baseline
from pit.admin import ReadOnlyAdmin


@admin.register(Baseline)
class BaselineAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "is_reference", "captured_at", "captured_by", "task_count")
    list_filter = ("is_reference",)
    search_fields = ("name", "project__name")
    list_select_related = ("project", "captured_by")

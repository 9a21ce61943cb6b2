"""Evidence admin: versions and reviews are history, so they are read-only here; soft delete and restore go
through the services (the objects stay in the bucket)."""

from django.contrib import admin

from evidence.models import Evidence, EvidenceReview
from pit.admin import ReadOnlyAdmin
from projects.admin import SoftDeleteAdmin

EVIDENCE_FIELDS = [
    "task", "uploaded_by", "file_url", "file_type", "metadata", "sha256", "size_bytes", "note", "lineage", "version",
    "change_summary", "is_current", "review_state", "review_state_at", "ai_score", "ai_model",
    "ai_feedback", "created_at", "deleted_at",
]  # fmt: skip


class ReviewInline(admin.TabularInline):
    model = EvidenceReview
    extra = 0
    can_delete = False
    fields = readonly_fields = ["reviewer", "decision", "comment", "ai_score", "ai_model", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(SoftDeleteAdmin):
    list_display = ["__str__", "task", "version", "file_type", "review_state", "ai_score", "uploaded_by", "created_at"]
    list_filter = ["file_type", "review_state", "is_current"]
    search_fields = ["metadata__filename", "sha256", "task__name"]
    list_select_related = ["task", "uploaded_by"]
    fields = readonly_fields = EVIDENCE_FIELDS
    inlines = [ReviewInline]

    def has_add_permission(self, request):
        return False  # evidence is uploaded on the task page, where the file is checked and stored


@admin.register(EvidenceReview)
class EvidenceReviewAdmin(ReadOnlyAdmin):
    list_display = ["evidence", "reviewer", "decision", "ai_score", "ai_model", "created_at"]
    list_filter = ["decision", "ai_model"]
    search_fields = ["comment", "evidence__task__name"]
    list_select_related = ["evidence", "reviewer"]

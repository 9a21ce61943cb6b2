from django.contrib import admin

from evidence.models import Evidence, EvidenceReview
from pit.admin import OrgScopedAdmin
from projects.admin import SoftDeleteAdmin


class ReviewInline(admin.TabularInline):
    model = EvidenceReview
    extra = 0
    can_delete = False
    fields = readonly_fields = ["reviewer", "decision", "comment", "ai_score", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(SoftDeleteAdmin):
    list_display = ["__str__", "task", "file_type", "uploaded_by", "created_at"]
    list_filter = ["file_type"]
    search_fields = ["file_url", "task__name"]
    autocomplete_fields = ["task", "uploaded_by"]
    list_select_related = ["task", "uploaded_by"]
    inlines = [ReviewInline]


@admin.register(EvidenceReview)
class EvidenceReviewAdmin(OrgScopedAdmin):
    list_display = ["evidence", "reviewer", "decision", "ai_score", "created_at"]
    list_filter = ["decision"]
    search_fields = ["comment", "evidence__task__name"]
    autocomplete_fields = ["evidence", "reviewer"]
    list_select_related = ["evidence", "reviewer"]

from django.contrib import admin, messages

from pit.admin import ReadOnlyAdmin
from sharing import services
from sharing.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    """Every link the organisation has given out, to find and revoke; never its token or passcode hash."""

    list_display = [
        "label",
        "kind",
        "subject_id",
        "created_by",
        "expires_at",
        "view_count",
        "view_limit",
        "state_label",
    ]
    list_filter = ["kind"]
    search_fields = ["label"]
    list_select_related = ["created_by"]
    fields = ["label", "kind", "subject_id", "created_by", "created_at", "expires_at", "view_limit", "view_count",
              "last_viewed_at", "revoked_at", "revoked_by"]  # fmt: skip
    actions = ["revoke"]

    @admin.action(description="Revoke the selected links")
    def revoke(self, request, queryset):
        count = sum(services.revoke_link(actor=request.user, link=link) for link in queryset)
        messages.success(request, f"Revoked {count} link{'s' if count != 1 else ''}.")

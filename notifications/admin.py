from django.contrib import admin

from notifications.models import Notification
from pit.admin import OrgScopedAdmin


@admin.register(Notification)
class NotificationAdmin(OrgScopedAdmin):
    list_display = ["title", "user", "type", "is_read", "created_at"]
    list_filter = ["type", "is_read"]
    search_fields = ["title", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]

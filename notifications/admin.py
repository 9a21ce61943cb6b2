from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone

from notifications.models import ChannelSetting, Delivery, DeliveryAttempt, Device, Notification, Preference
from notifications.tasks import enqueue
from pit import audit
from pit.admin import OrgScopedAdmin, ReadOnlyAdmin


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = readonly_fields = ["attempted_at", "channel", "outcome", "error"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "user", "type", "delivery", "attempts", "created_at", "delivered_at", "read_at"]
    list_filter = ["type", "delivery", "event", "is_read"]
    search_fields = ["title", "user__email"]
    list_select_related = ["user"]
    inlines = [AttemptInline]
    actions = ["retry"]

    @admin.action(description="Send the selected failed notifications again")
    def retry(self, request, queryset):
        """A person decides to resend what gave up (or was in doubt): back to pending, attempts start again."""
        with transaction.atomic():
            ids = list(queryset.filter(delivery=Delivery.FAILED).values_list("pk", flat=True))
            Notification.objects.filter(pk__in=ids).update(
                delivery=Delivery.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
            )
            audit.record_rows(
                actor=request.user, org=request.user.org, action="NOTIFICATION_RETRY", table_name="notification",
                record_ids=ids, after={"delivery": "pending"},
            )  # fmt: skip
            transaction.on_commit(lambda: enqueue(ids))
        messages.success(request, f"{len(ids)} notification(s) queued again.")


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "outcome", "error", "attempted_at"]
    list_filter = ["channel", "outcome"]
    list_select_related = ["notification"]
    search_fields = ["notification__user__email", "error"]


@admin.register(Preference)
class PreferenceAdmin(OrgScopedAdmin):
    list_display = ["event", "channel", "enabled", "user", "org"]
    list_filter = ["channel", "enabled", "event"]
    list_select_related = ["user", "org"]
    autocomplete_fields = ["user"]


@admin.register(ChannelSetting)
class ChannelSettingAdmin(OrgScopedAdmin):
    list_display = ["channel", "digest", "quiet_start", "quiet_end", "user", "org"]
    list_select_related = ["user", "org"]
    autocomplete_fields = ["user"]


@admin.register(Device)
class DeviceAdmin(OrgScopedAdmin):
    list_display = ["__str__", "user", "platform", "last_seen_at", "retired_at", "retired_reason"]
    list_filter = ["platform", ("retired_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__email", "name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]

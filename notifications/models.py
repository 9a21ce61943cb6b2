from django.conf import settings
from django.db import models
from django.db.models import Q

from pit.enums import NotificationType
from pit.fields import EnumField
from pit.tenancy import OrgManager


class Notification(models.Model):
    """PIT_DATABASE_SCHEMA_v0.1 section 11.1: one row per recipient and channel (`type`), with seed 003's
    `read_at`/`delivered_at` and what caused it: the event kind and the subject row."""

    org_path = "user__org"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    type = EnumField("notification_type_enum", NotificationType, default=NotificationType.INTERNAL_MESSAGE)
    event = models.TextField(help_text="Event kind, a code of notifications/events.py.")
    title = models.TextField()
    message = models.TextField(blank=True, default="")
    link = models.TextField(blank=True, default="")
    subject_table = models.TextField(blank=True, default="")
    subject_id = models.BigIntegerField(null=True, blank=True)
    is_read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "notification"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "is_read", "-created_at"], name="notification_user_unread_idx"),
            # The bell: one index-only count of a person's unread in-app notifications.
            models.Index(
                fields=["user"],
                name="notification_inbox_unread_idx",
                condition=Q(read_at__isnull=True, type=NotificationType.INTERNAL_MESSAGE),
            ),
        ]

    def __str__(self) -> str:
        return self.title

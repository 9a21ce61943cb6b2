from django.conf import settings
from django.db import models

from pit.enums import NotificationType
from pit.fields import EnumField
from pit.tenancy import OrgManager


class Notification(models.Model):
    """PIT_DATABASE_SCHEMA_v0.1 section 11.1."""

    org_path = "user__org"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    type = EnumField("notification_type_enum", NotificationType, default=NotificationType.INTERNAL_MESSAGE)
    title = models.TextField()
    message = models.TextField(blank=True, default="")
    link = models.TextField(blank=True, default="")
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "notification"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "is_read", "-created_at"], name="notification_user_unread_idx")]

    def __str__(self) -> str:
        return self.title

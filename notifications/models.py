from django.conf import settings
from django.db import models
from django.db.models import Q

from pit.enums import NotificationType
from pit.fields import EnumField
from pit.tenancy import OrgManager

USER = settings.AUTH_USER_MODEL


class Delivery(models.TextChoices):
    """Where a notification is on its way to the person (DESIGN.md section 6: delivery never loses or doubles).

    pending → claimed (a worker owns it; nothing has reached the provider yet) → sending (handed to the provider)
    → sent. A failure before the hand-over goes back to pending with a later `next_attempt_at`, up to the retry
    limit, then failed. `held` waits for the daily digest. A row found stuck in `sending` is in doubt: the provider
    may have it, so it is never resent automatically (that could double it) but marked failed for a person to see.
    """

    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Claimed by a worker"
    SENDING = "sending", "Handed to the provider"
    SENT = "sent", "Sent"
    HELD = "held", "Held for the digest"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """PIT_DATABASE_SCHEMA_v0.1 section 11.1: one row per recipient and channel (`type`), with seed 003's
    `read_at`/`delivered_at` and what caused it: the event kind and the subject row. The row is the idempotency
    key of its (notification, channel) delivery: every send claims it first."""

    org_path = "user__org"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notifications")
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
    delivery = models.TextField(choices=Delivery.choices, default=Delivery.SENT)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

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
            # The inbox page: a person's in-app notifications, newest first.
            models.Index(
                fields=["user", "-created_at"],
                name="notification_inbox_idx",
                condition=Q(type=NotificationType.INTERNAL_MESSAGE),
            ),
            # The sweeper and the digest: only rows still on their way (a small set) are indexed.
            models.Index(
                fields=["delivery", "next_attempt_at"],
                name="notification_outbox_idx",
                condition=~Q(delivery__in=["sent", "failed"]),
            ),
            models.Index(fields=["read_at"], name="notification_read_at_idx", condition=Q(read_at__isnull=False)),
            models.Index(fields=["subject_table", "subject_id", "event"], name="notification_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=[choice.value for choice in Delivery]), name="notification_delivery_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_read=False, read_at__isnull=True) | Q(is_read=True, read_at__isnull=False),
                name="notification_read_at_is_read",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryAttempt(models.Model):
    """Each try to hand a notification to its channel's provider: when, and how it went."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        RETRY = "retry", "Failed, will retry"
        FAILED = "failed", "Failed, gave up"
        IN_DOUBT = "in_doubt", "Interrupted mid-send"
        RETIRED = "retired", "Device token retired"

    org_path = "notification__user__org"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempts_made")
    channel = EnumField("notification_type_enum", NotificationType)
    outcome = models.TextField(choices=Outcome.choices)
    error = models.TextField(blank=True, default="")
    attempted_at = models.DateTimeField(auto_now_add=True)

    objects = OrgManager()

    class Meta:
        db_table = "notification_delivery_attempt"
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["notification", "-attempted_at"], name="notification_attempt_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_outcome_display()}"


class Preference(models.Model):
    """On or off for one event kind on one channel: a person's own choice, or (user empty) the organisation's
    default that org admins set. What neither says falls back to `notifications.preferences.BUILT_IN`."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    event = models.TextField()
    channel = EnumField("notification_type_enum", NotificationType)
    enabled = models.BooleanField()

    objects = OrgManager()

    class Meta:
        db_table = "notification_preference"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="notification_pref_user_uniq", condition=Q(user__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["org", "event", "channel"], name="notification_pref_org_uniq", condition=Q(user__isnull=True)
            ),
        ]
        indexes = [models.Index(fields=["org", "event"], name="notif_pref_org_event_idx")]

    def __str__(self) -> str:
        return f"{self.event} by {self.channel}: {'on' if self.enabled else 'off'}"


class ChannelSetting(models.Model):
    """Per channel: gather the day's notifications into one daily digest instead of one message each; for push,
    quiet hours (organisation time) during which nothing is pushed. User empty: the organisation's default."""

    org = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = EnumField("notification_type_enum", NotificationType)
    digest = models.BooleanField(default=False)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)

    objects = OrgManager()

    class Meta:
        db_table = "notification_channel_setting"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel"], name="notification_channel_user_uniq", condition=Q(user__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["org", "channel"], name="notification_channel_org_uniq", condition=Q(user__isnull=True)
            ),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="notification_quiet_hours_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} settings"


class Device(models.Model):
    """Where push notifications go: a browser's Web Push subscription or a mobile app's FCM token."""

    class Platform(models.TextChoices):
        WEB = "web", "Browser (Web Push)"
        ANDROID = "android", "Android (FCM)"
        IOS = "ios", "iOS (FCM)"

    org_path = "user__org"

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="devices")
    platform = models.TextField(choices=Platform.choices)
    token = models.TextField(help_text="FCM registration token, or the Web Push subscription as JSON.")
    name = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True, help_text="Set when the provider says it is gone.")
    retired_reason = models.TextField(blank=True, default="")

    objects = OrgManager()

    class Meta:
        db_table = "device"
        constraints = [
            models.UniqueConstraint(fields=["platform", "token"], name="device_platform_token_uniq"),
            models.CheckConstraint(condition=Q(platform__in=["web", "android", "ios"]), name="device_platform_valid"),
        ]
        indexes = [
            models.Index(fields=["user"], name="device_live_idx", condition=Q(retired_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_platform_display()} #{self.pk}"

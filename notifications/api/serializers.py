"""Shapes of the notifications API: the in-app inbox and push device registration."""

from rest_framework import serializers

from notifications.models import Device, Notification


class NotificationOut(serializers.ModelSerializer):
    updated_at = serializers.DateTimeField(read_only=True, help_text="When it arrived or was read, the later.")

    class Meta:
        model = Notification
        fields = ["id", "event", "title", "message", "link", "subject_table", "subject_id", "is_read", "read_at",
                  "created_at", "updated_at"]  # fmt: skip


class UnreadCountOut(serializers.Serializer):
    unread = serializers.IntegerField()


class MarkedOut(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are now read.")


class DeviceIn(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    token = serializers.CharField(max_length=4096, help_text="FCM registration token (web: the push subscription).")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DeviceOut(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["id", "platform", "name", "created_at", "last_seen_at"]

"""Shapes of the evidence API. Input serializers check types and that the task is the caller's organisation's; the
rules (who may upload or review, file types and sizes, duplicates, a comment unless accepting) are the services'."""

from rest_framework import serializers

from evidence.forms import DECISION_CHOICES
from evidence.models import Evidence
from pit.api.fields import OrgRelatedField
from pit.enums import EvidenceType
from projects.models import Task


class EvidenceOut(serializers.ModelSerializer):
    filename = serializers.CharField(read_only=True)
    mime = serializers.CharField(read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by.name", read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "task", "filename", "mime", "file_type", "size_bytes", "sha256", "metadata", "note",
                  "uploaded_by", "uploaded_by_name", "lineage", "version", "change_summary", "is_current",
                  "review_state", "review_state_at", "ai_score", "ai_feedback", "created_at",
                  "updated_at"]  # fmt: skip


class DownloadOut(serializers.Serializer):
    url = serializers.URLField(help_text="A presigned address of the file, valid for `expires_in` seconds.")
    expires_in = serializers.IntegerField()


class UploadIn(serializers.Serializer):
    task = OrgRelatedField(Task)
    file = serializers.FileField(allow_empty_file=True, help_text="A document, photo or video.")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class VersionIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    change_summary = serializers.CharField(max_length=4000, help_text="What changed in this version.")
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class QueueItemOut(serializers.ModelSerializer):
    """A pending version as the review queue shows it (oldest first)."""

    filename = serializers.CharField(read_only=True)
    task_name = serializers.CharField(source="task.name", read_only=True)
    task_end_date = serializers.DateField(source="task.end_date", read_only=True)
    project = serializers.IntegerField(source="task.project_id", read_only=True)
    project_name = serializers.CharField(source="task.project.name", read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by.name", read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "task", "task_name", "task_end_date", "project", "project_name", "filename", "file_type",
                  "version", "ai_score", "uploaded_by", "uploaded_by_name", "review_state_at"]  # fmt: skip


class QueueQuery(serializers.Serializer):
    project = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    file_type = serializers.ChoiceField(choices=EvidenceType.choices, required=False)
    mine = serializers.ChoiceField(choices=[("hide", "Hide what I uploaded")], required=False)


class ReviewIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    comment = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", help_text="Required unless you accept."
    )

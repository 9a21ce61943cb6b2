"""Shapes of the evidence API. Input serializers check types and that the task is the caller's organisation's; the
rules (who may upload or review, file types and sizes, duplicates, a comment unless accepting) are the services'."""

from datetime import datetime, timedelta

from django.conf import settings
from rest_framework import serializers

from evidence import resumable
from evidence.forms import DECISION_CHOICES
from evidence.models import Evidence, EvidenceUpload, EvidenceUploadPart, UploadState
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


class ResumableIn(serializers.Serializer):
    task = OrgRelatedField(Task)
    filename = serializers.CharField(max_length=1000, help_text="The file's own name (no folders).")
    size = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The whole file, in bytes.")
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", help_text="SHA-256 of the whole file (hex).")
    content_type = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text="Informative: the type is sniffed."
    )
    part_size = serializers.IntegerField(
        min_value=resumable.PART_MIN, max_value=resumable.PART_MAX, required=False,
        help_text="Bytes per part (5 MiB to 64 MiB); the server's default when left out.",
    )  # fmt: skip
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    replaces = OrgRelatedField(Evidence, required=False, help_text="Make the file a new version of this evidence.")
    change_summary = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class PartOut(serializers.ModelSerializer):
    received_at = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = EvidenceUploadPart
        fields = ["number", "size_bytes", "sha256", "received_at"]


class ResumableOut(serializers.ModelSerializer):
    part_count = serializers.IntegerField(read_only=True)
    parts = PartOut(many=True, read_only=True, help_text="The parts the server holds.")
    missing = serializers.SerializerMethodField(help_text="Part numbers still to send.")
    expires_at = serializers.SerializerMethodField(help_text="Aborted when no part arrives before then.")

    class Meta:
        model = EvidenceUpload
        fields = ["id", "task", "filename", "size_bytes", "sha256", "content_type", "part_size", "part_count",
                  "s3_upload_id", "state", "error", "evidence", "parts", "missing", "note", "replaces",
                  "change_summary", "expires_at", "created_at", "updated_at"]  # fmt: skip

    def get_missing(self, upload) -> list[int]:
        have = {part.number for part in upload.parts.all()}
        if upload.state != UploadState.OPEN:
            return []
        return [number for number in range(1, upload.part_count + 1) if number not in have]

    def get_expires_at(self, upload) -> datetime:
        return upload.updated_at + timedelta(hours=settings.EVIDENCE_UPLOAD_ABANDON_HOURS)

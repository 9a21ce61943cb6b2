"""The evidence domain over the API: evidence of the organisation's tasks (list, read, download link, upload, new
version) and the review queue with decisions. Another organisation's evidence or task is a 404; every write is a
service call (which also holds who may upload and who may review)."""

import django_filters as filters
from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.permissions import REVIEW_EVIDENCE, UPLOAD_EVIDENCE
from evidence import selectors, services, storage
from evidence.api import serializers
from evidence.models import Evidence
from pit.api import sync
from pit.api.views import ApiViewSet
from pit.enums import ReviewDecision


class EvidenceFilter(filters.FilterSet):
    task = filters.NumberFilter(field_name="task_id")
    current = filters.BooleanFilter(field_name="is_current", label="Only current versions (true) or older (false)")
    review_state = filters.ChoiceFilter(choices=ReviewDecision.choices)
    lineage = filters.UUIDFilter()

    class Meta:
        model = Evidence
        fields = ["task", "current", "review_state", "lineage"]


def refuse_oversized(request) -> None:
    """After parsing the body: the upload handler notes a file it cut short (evidence.uploads)."""
    parsed = request.data is not None
    oversized = parsed and getattr(request._request, "oversized_uploads", [])
    if oversized:  # nothing of it was kept
        limit = settings.EVIDENCE_MAX_UPLOAD_MB
        raise ValidationError({"file": [f"“{oversized[0]}” is larger than {limit} MB, the limit for evidence."]})


@extend_schema_view(
    create=extend_schema(
        request={"multipart/form-data": serializers.UploadIn}, responses={201: serializers.EvidenceOut}
    )
)
class EvidenceViewSet(ApiViewSet):
    """Evidence versions of live tasks; `deleted` lists versions deleted since `updated_since`."""

    serializer_class = serializers.EvidenceOut
    filterset_class = EvidenceFilter
    ordering_fields = ["created_at", "updated_at", "version"]
    ordering = ["-created_at"]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.visible(self.org).select_related("uploaded_by", "task")

    def create(self, request):
        """Upload one file (with a note) as evidence of a task: it waits for a reviewer."""
        self.require(UPLOAD_EVIDENCE)
        refuse_oversized(request)
        data = self.validated(serializers.UploadIn)
        [row] = services.upload(actor=request.user, task=data["task"], files=[data["file"]], note=data["note"])
        return self.respond(row, status_code=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": serializers.VersionIn}, responses={201: serializers.EvidenceOut})
    @action(detail=True, methods=["post"], filter_backends=[])
    def versions(self, request, pk=None):
        """Upload a corrected file as the next version of this (current) evidence."""
        self.require(UPLOAD_EVIDENCE)
        refuse_oversized(request)
        evidence = self.object_for_write()
        data = self.validated(serializers.VersionIn)
        [row] = services.upload(
            actor=request.user, task=evidence.task, files=[data["file"]], note=data["note"], replaces=evidence,
            change_summary=data["change_summary"],
        )  # fmt: skip
        return self.respond(row, status_code=status.HTTP_201_CREATED)

    @extend_schema(responses=serializers.DownloadOut, parameters=[])
    @action(detail=True, filter_backends=[], pagination_class=None)
    def download(self, request, pk=None):
        """A presigned address to fetch the file from the bucket directly (valid for a few minutes)."""
        evidence = self.get_object()
        expires_in = storage.bucket_storage().querystring_expire
        return Response({"url": storage.presigned_url(evidence), "expires_in": expires_in})


@extend_schema_view(list=extend_schema(parameters=[sync.PARAMETER, serializers.QueueQuery]))
class ReviewViewSet(ApiViewSet):
    """The review queue: pending current versions, oldest first (reviewers, managers, admins)."""

    serializer_class = serializers.QueueItemOut
    filter_backends = []
    ordering = ["review_state_at"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.require(REVIEW_EVIDENCE)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return Evidence.objects.none()
        if self.action == "decide":  # any version: one reviewed meanwhile is a clear 400, not a 404
            return selectors.visible(self.org).select_related("uploaded_by", "task")
        query = serializers.QueueQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        extra = {"threshold": settings.EVIDENCE_AI_THRESHOLD, "user_id": self.request.user.pk}
        return selectors.review_queue(self.org, {**query.validated_data, **extra})

    def tombstones(self, since) -> list[dict]:
        return []  # a version leaves the queue when decided: sync the queue whole (its ETag makes that cheap)

    @extend_schema(request=serializers.ReviewIn, responses=serializers.EvidenceOut)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Accept, reject or ask for clarification (a comment is required unless you accept)."""
        evidence = self.object_for_write()
        services.decide(actor=request.user, evidence=evidence, **self.validated(serializers.ReviewIn))
        row = selectors.visible(self.org).select_related("uploaded_by", "task").get(pk=evidence.pk)
        return Response(serializers.EvidenceOut(row).data)

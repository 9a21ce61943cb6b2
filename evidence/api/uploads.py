"""Resumable uploads over the API (evidence.resumable): start, send parts (raw bytes, one PUT each, re-sendable),
ask what arrived, complete into evidence, abort. Each person sees only their own uploads (another person's or
organisation's is a 404).

Not one transaction per request: S3 is not transactional, so the services commit their steps (a refused completion
must leave its refusal recorded). `Idempotency-Key` still replays a create or a completion (pit.api `replays`);
a part needs no key: sending part n again replaces it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.permissions import UPLOAD_EVIDENCE
from evidence import resumable, selectors
from evidence.api import serializers
from evidence.models import EvidenceUpload
from pit.api import conditional
from pit.api.errors import Conflict, PayloadTooLarge, Unprocessable
from pit.api.schema import ErrorOut
from pit.api.views import ApiViewSet

UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
START_EXAMPLE = OpenApiExample(
    "A 20 MB video in 8 MiB parts",
    value={
        "task": 42,
        "filename": "site-walk.mp4",
        "size": 20_000_000,
        "sha256": SHA,
        "content_type": "video/mp4",
        "part_size": 8_388_608,
        "note": "Walk-through after the repair",
    },  # fmt: skip
    request_only=True,
)
UPLOAD_EXAMPLE = OpenApiExample(
    "Part 2 of 3 still to send",
    value={
        "id": "3f2c9a4e-4b1d-4c55-9a51-0d6c2f7e8b10",
        "task": 42,
        "filename": "site-walk.mp4",
        "size_bytes": 20_000_000,
        "sha256": SHA,
        "content_type": "video/mp4",
        "part_size": 8_388_608,
        "part_count": 3,
        "s3_upload_id": "166b3f1c…",
        "state": "open",
        "error": "",
        "evidence": None,
        "parts": [
            {"number": 1, "size_bytes": 8_388_608, "sha256": SHA, "received_at": "2026-11-27T09:30:02Z"},
            {"number": 3, "size_bytes": 3_222_784, "sha256": SHA, "received_at": "2026-11-27T09:30:05Z"},
        ],
        "missing": [2],
        "note": "Walk-through after the repair",
        "replaces": None,
        "change_summary": "",
        "expires_at": "2026-11-28T09:30:05Z",
        "created_at": "2026-11-27T09:30:00Z",
        "updated_at": "2026-11-27T09:30:05Z",
    },  # fmt: skip
    response_only=True,
)
PART_EXAMPLE = OpenApiExample(
    "Part 2 stored",
    value={"number": 2, "size_bytes": 8_388_608, "sha256": SHA, "received_at": "2026-11-27T09:31:40Z"},
    response_only=True,
)
CONFLICT = OpenApiResponse(
    ErrorOut, description="The upload is not open (completed, refused, aborted), or parts are missing"
)


@extend_schema_view(
    list=extend_schema(description="Your resumable uploads, newest first (the `deleted` list stays empty)."),
    retrieve=extend_schema(
        description="The parts the server holds and those `missing`: after a lost connection, send only those.",
        examples=[UPLOAD_EXAMPLE],
    ),
    create=extend_schema(
        request=serializers.ResumableIn,
        responses={201: serializers.ResumableOut, 409: CONFLICT},
        examples=[START_EXAMPLE, UPLOAD_EXAMPLE],
        description="Start a resumable upload of one file for a task (or a new version with `replaces` and "
        "`change_summary`). Refused at once when the file is too large, its name is not acceptable, you may not upload "
        "to the task, or the same bytes (by SHA-256) are already its evidence. Then PUT each part and complete.",
    ),  # fmt: skip
    destroy=extend_schema(
        responses={204: None, 409: CONFLICT}, description="Abort: the parts are dropped. Aborting twice is fine."
    ),
)
class UploadViewSet(ApiViewSet):
    serializer_class = serializers.ResumableOut
    lookup_value_regex = UUID  # anything else is not an upload's address (a JSON 404, not a 400)
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    atomic = False  # the services commit their steps; a refused completion stays recorded
    replays = True

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is generated without a user
            return EvidenceUpload.objects.none()
        return selectors.uploads_of(self.request.user)

    def tombstones(self, since) -> list[dict]:
        return []  # uploads are not soft-deleted: a forgotten one is simply gone

    def handle_exception(self, exc):
        if isinstance(exc, resumable.UploadConflict):
            exc = Conflict(str(exc))
        elif isinstance(exc, resumable.ChecksumMismatch):
            exc = Unprocessable(str(exc), code="checksum_mismatch")
        return super().handle_exception(exc)

    def create(self, request):
        self.require(UPLOAD_EVIDENCE)
        data = self.validated(serializers.ResumableIn)
        upload = resumable.start(actor=request.user, **data)
        return self.respond(upload, status_code=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        resumable.abort(actor=request.user, upload=self.current())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: serializers.PartOut,
            409: CONFLICT,
            413: OpenApiResponse(ErrorOut, description="The body is larger than this part"),
        },
        parameters=[OpenApiParameter("number", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH,
                                     description="The part's number, 1 to the upload's `part_count`.")],
        examples=[PART_EXAMPLE],
        description="Send part `number` (1 to `part_count`) as the raw request body, exactly `part_size` bytes (the "
        "last part: the rest). Sending a part again replaces it.",
    )  # fmt: skip
    @action(detail=True, methods=["put"], url_path=r"parts/(?P<number>[0-9]{1,9})", filter_backends=[],
            pagination_class=None, replays=False, streams_body=True)  # fmt: skip
    def part(self, request, pk=None, number=None):
        upload = self.get_object()
        expected = resumable.check_part(upload, int(number))
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length.isdigit():
            raise ValidationError(f"Send the part with a Content-Length of {expected:,} bytes.")
        if int(length) > expected:
            raise PayloadTooLarge(f"Part {number} is {expected:,} bytes; {int(length):,} were sent.")
        part = resumable.receive_part(actor=request.user, upload=upload, number=int(number), stream=request._request)
        return Response(serializers.PartOut(part).data)

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(serializers.EvidenceOut, description="Completed before: the same evidence"),
            201: serializers.EvidenceOut,
            409: CONFLICT,
            422: OpenApiResponse(ErrorOut, description="The assembled file's size or SHA-256 is not the declared one "
                                 "(code checksum_mismatch), or the Idempotency-Key was used for another request"),
        },
        description="Assemble the parts, check the size and SHA-256, sniff the type and make the evidence (the same "
        "rules as a plain upload). A refusal keeps nothing: start a new upload.",
    )  # fmt: skip
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def complete(self, request, pk=None):
        evidence, created = resumable.complete(actor=request.user, upload=self.current())
        row = selectors.visible(self.org).select_related("uploaded_by", "task").get(pk=evidence.pk)
        status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(serializers.EvidenceOut(row).data, status=status_code)

    def current(self) -> EvidenceUpload:
        """The addressed upload as the client last read it (`If-Match`, else 412)."""
        upload = self.get_object()
        conditional.check_if_match(self.request, conditional.object_etag(upload))
        return upload

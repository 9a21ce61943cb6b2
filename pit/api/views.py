"""Base views of every app's API.

`ApiView` / `ApiViewSet` give each endpoint the JSON error shape, one transaction per write (rolled back unless it
succeeds) and `Idempotency-Key` replays. `ApiViewSet` adds the sync list (cursor pages, `updated_since` with
tombstones, ETag → 304) and object reads with an ETag; its write helpers check `If-Match` under the row lock.

A domain view validates input with its own input serializer (`self.validated`), calls one service or selector with
keyword arguments, and answers with its output serializer (`self.respond`); it holds no business rules.
"""

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from accounts.permissions import has_perm
from pit import rls
from pit.api import conditional, idempotency, sync
from pit.api.errors import PayloadTooLarge
from pit.api.pagination import Cursor

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def too_big(request) -> bool:
    """A JSON or form body over Django's in-memory limit (uploads are multipart: their files stream to disk)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class ApiMixin:
    atomic = True  # False only where a failed request must leave a trace (sign-in attempts, a refused upload)
    replays = False  # with atomic False: honour Idempotency-Key all the same (claimed before, answer kept after)
    streams_body = False  # True where the view streams a large raw body itself (upload parts): no in-memory limit
    idempotency_record = None

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        if not self.atomic:  # the view's services commit their own steps
            response = super().dispatch(request, *args, **kwargs)
            self.keep_answer(response)
            return response
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)  # a failed write changes nothing
            self.keep_answer(response)
        return response

    def keep_answer(self, response) -> None:
        """A successful answer is kept for the Idempotency-Key's retries (a failed one is not: retry freely)."""
        record = self.idempotency_record
        if record is None:
            return
        if 200 <= response.status_code < 300:
            response.render()
            idempotency.store(record, response)
        elif not self.atomic:  # its claim was committed: forget it, as a rolled-back write's claim is forgotten
            record.delete()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = getattr(request, "_user", None)  # None when the view chose not to authenticate (signing in)
        if user is not None and user.is_authenticated:  # a token names its user only now (pit/rls.py)
            rls.enter_organisation(user.org_id)
        if not (self.streams_body or request.content_type.startswith("multipart/")) and too_big(request):
            raise PayloadTooLarge(f"Send at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.")
        if (self.atomic or self.replays) and idempotency.wanted(request):
            self.idempotency_record = idempotency.claim(request, request.user)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        return super().handle_exception(exc)

    def require(self, perm: str) -> None:
        if not has_perm(self.request.user, perm):
            raise PermissionDenied(f"Your role does not allow this ({perm}).")

    def validated(self, serializer_class, **kwargs) -> dict:
        """The request body checked by an input serializer (400 with field errors when it is not valid)."""
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def get_serializer_context(self):
        return {"request": self.request, "view": self}

    def conditional(self, data, *, status_code=status.HTTP_200_OK) -> Response:
        """`data` with a digest ETag, or 304 when the client already has it."""
        etag = conditional.data_etag(data)
        if conditional.not_modified(self.request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, status=status_code, headers={"ETag": etag})

    @property
    def org(self):
        """The caller's organisation (None while the schema is generated: every queryset is then empty)."""
        return getattr(self.request.user, "org", None)


class ApiView(ApiMixin, APIView):
    """A single endpoint (an action, a selector's answer)."""


class ApiViewSet(ApiMixin, GenericViewSet):
    """A resource: `get_queryset` is the organisation's live rows; `get_deleted_queryset` its soft-deleted ones."""

    pagination_class = Cursor

    def get_deleted_queryset(self):
        return self.get_queryset().model.all_objects.for_org(self.org).deleted()

    def tombstones(self, since) -> list[dict]:
        return sync.tombstones(self.get_deleted_queryset(), since)

    @extend_schema(parameters=[sync.PARAMETER])
    def list(self, request, *args, **kwargs):
        since = sync.since_of(request)
        server_time = sync.server_time()  # before reading: nothing committed after it can be missed
        queryset = sync.changed(self.filter_queryset(self.get_queryset()), since)
        page = self.paginate_queryset(queryset)
        first_page = not request.query_params.get(self.paginator.cursor_query_param)
        data = {
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
            "results": self.get_serializer(page, many=True).data,
            "deleted": self.tombstones(since) if since and first_page else [],
        }
        etag = conditional.data_etag(data)
        if conditional.not_modified(request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response({**data, "server_time": server_time}, headers={"ETag": etag})

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        etag = conditional.object_etag(obj)
        if conditional.not_modified(request, etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(self.get_serializer(obj).data, headers={"ETag": etag})

    def lock(self, obj):
        """Lock what a write of `obj` locks first (override to follow the domain's lock order); return it fresh."""
        return type(obj).objects.select_for_update().get(pk=obj.pk)

    def object_for_write(self):
        """The addressed row (404 outside the organisation), locked, and as the client last read it (else 412)."""
        obj = self.lock(self.get_object())
        conditional.check_if_match(self.request, conditional.object_etag(obj))
        return obj

    def respond(self, obj, *, status_code=status.HTTP_200_OK) -> Response:
        """The row as it is after the write (re-read: roll-ups may have moved it), with its new ETag."""
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(
            self.get_serializer(obj).data, status=status_code, headers={"ETag": conditional.object_etag(obj)}
        )

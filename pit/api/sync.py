"""Offline sync: `?updated_since=` returns the rows changed since then plus tombstones of rows deleted since then,
and the `server_time` to send next time.

`server_time` is a little in the past (settings.API_SYNC_OVERLAP_SECONDS): a row saved by a transaction that
started before this request but commits after it carries an `updated_at` from before `server_time` would be
missed otherwise. A client may see a row twice; it never misses one.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

PARAM = "updated_since"
PARAMETER = OpenApiParameter(
    PARAM,
    OpenApiTypes.DATETIME,
    description="Only rows changed since then, and `deleted` tombstones; send the last `server_time` you got.",
)


def since_of(request):
    """The `updated_since` of the request (aware datetime), None when absent; a clear 400 when malformed."""
    raw = request.query_params.get(PARAM)
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.strip().replace(" ", "+"))  # a bare "+" in a query string arrives as a space
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({PARAM: ["Send an ISO 8601 date and time, e.g. 2026-11-26T09:30:00Z."]})
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.UTC)
    return value.astimezone(timezone.UTC)  # PostgreSQL refuses offsets Python allows (beyond ±15:59)


def server_time():
    return timezone.now() - timedelta(seconds=settings.API_SYNC_OVERLAP_SECONDS)


def changed(queryset, since):
    return queryset if since is None else queryset.filter(updated_at__gte=since)


def tombstones(deleted_queryset, since) -> list[dict]:
    """{id, deleted_at} of the rows deleted since `since` (ids only: the client drops them)."""
    rows = deleted_queryset.filter(deleted_at__gte=since).order_by("deleted_at", "pk")
    return [{"id": pk, "deleted_at": at} for pk, at in rows.values_list("pk", "deleted_at")]

"""ETags: `If-None-Match` → 304 on reads, `If-Match` → 412 on a stale write.

An object's ETag comes from its `updated_at` (every write through a service, and every set-based write, moves it),
so a client can send back the ETag it read with its change. A list's ETag is a digest of the page it returns.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.http import parse_etags

from pit.api.errors import PreconditionFailed


def object_etag(obj) -> str:
    return f'"{obj.pk}-{int(obj.updated_at.timestamp() * 1_000_000)}"'


def data_etag(data) -> str:
    digest = hashlib.sha256(json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _matches(header: str, etag: str) -> bool:
    tags = parse_etags(header)
    return "*" in tags or etag.removeprefix("W/") in [tag.removeprefix("W/") for tag in tags]


def not_modified(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    return bool(header) and _matches(header, etag)


def check_if_match(request, etag: str) -> None:
    """412 when the client's `If-Match` names another version than the current one (no header: no check)."""
    header = request.headers.get("If-Match")
    if header and not _matches(header, etag):
        raise PreconditionFailed()

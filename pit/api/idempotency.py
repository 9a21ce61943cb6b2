"""`Idempotency-Key`: a retried POST/PATCH/PUT/DELETE (a phone that lost the answer) gets the first answer again
instead of doing the write twice.

The key is stored per user, method and path with a fingerprint of the request, in the write's own transaction: a
concurrent retry waits on the unique index until the first commits, then replays its answer. Only successful (2xx)
answers are kept: a failed request changed nothing, so its retry simply runs again. The same key with another body
is a 422. Keys are forgotten after settings.API_IDEMPOTENCY_TTL_HOURS.
"""

import hashlib
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from pit.api.errors import Unprocessable

HEADER = "Idempotency-Key"
METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
REPLAYED_HEADERS = ("ETag", "Location")
REUSED = "This Idempotency-Key was used for a different request: use a new key for each new change."


class Replay(Exception):
    def __init__(self, response):
        self.response = response


def store_model():
    return apps.get_model(settings.API_IDEMPOTENCY_MODEL)


def wanted(request) -> bool:
    return request.method in METHODS and HEADER in request.headers


def fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.get_full_path(), request.content_type or "", ""):
        digest.update(part.encode() + b"\n")
    if (request.content_type or "").startswith("multipart/"):
        _multipart(request.data, digest)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _multipart(data, digest) -> None:
    """Fields and files of a form upload: files (evidence, maybe large) are hashed in chunks, never held whole."""
    for name, values in sorted(data.lists()):
        for value in values:
            digest.update(name.encode() + b"=")
            if hasattr(value, "chunks"):
                for chunk in value.chunks():
                    digest.update(chunk)
                value.seek(0)
            else:
                digest.update(str(value).encode())
            digest.update(b"\n")


def claim(request, user):
    """The stored record of this request: a fresh one to fill in, or Replay with the first answer."""
    key = request.headers[HEADER].strip()
    if not 1 <= len(key) <= 255:
        raise ValidationError({HEADER: ["Send an Idempotency-Key of 1 to 255 characters (a UUID is a good choice)."]})
    model = store_model()
    scope = {"user": user, "key": key, "method": request.method, "path": request.path}
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)
    model.objects.filter(**scope, created_at__lt=cutoff).delete()
    sent = fingerprint(request)
    model.objects.bulk_create([model(**scope, fingerprint=sent)], ignore_conflicts=True)  # waits for a concurrent one
    record = model.objects.get(**scope)
    if record.fingerprint != sent:
        raise Unprocessable(REUSED)
    if record.status_code is not None:
        raise Replay(replay(record))
    return record


def store(record, response) -> None:
    record.status_code = response.status_code
    record.response_body = response.content.decode()
    record.response_headers = {name: response[name] for name in ("Content-Type", *REPLAYED_HEADERS) if name in response}
    record.save(update_fields=["status_code", "response_body", "response_headers"])


def replay(record) -> HttpResponse:
    headers = dict(record.response_headers)
    response = HttpResponse(record.response_body, status=record.status_code, headers=headers)
    response["Idempotent-Replayed"] = "true"
    return response

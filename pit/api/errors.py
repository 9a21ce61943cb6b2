"""One JSON error shape for every error the API answers: {"code", "message", "errors": {field: [messages]}}.

Never a stack trace: an unexpected exception is logged and answered with a plain 500 message.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("pit.api")

NON_FIELD = "non_field_errors"
MESSAGES = {
    400: "The request is not valid: see the field errors.",
    404: "Not found.",
    500: "Something went wrong on our side. It has been logged; try again later.",
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "This was changed since you read it: fetch it again, then retry with its new ETag."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the current state."
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


def body(code: str, message: str, errors: dict | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or {}}


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as {field: [messages]} ("items.0.name" for nested fields)."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            for inner, messages in _flatten(value).items():
                flat[key if inner == NON_FIELD else f"{key}.{inner}"] = messages
        return flat
    if isinstance(detail, list) and detail and all(isinstance(item, dict) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat |= {f"{index}.{key}": messages for key, messages in _flatten(item).items()}
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {NON_FIELD: [str(item) for item in items]}


def _from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError (model clean, business rules) as DRF's, keeping its fields."""
    if hasattr(error, "error_dict"):
        detail = {("non_field_errors" if f == "__all__" else f): m for f, m in error.message_dict.items()}
    else:
        detail = {NON_FIELD: error.messages}
    return exceptions.ValidationError(detail)


def _translate(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # never echo the lookup: it could tell another organisation's rows apart
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        return _from_django(exc)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, IntegrityError):  # a constraint the services check first, lost to a concurrent writer
        logger.warning("API write refused by a database constraint: %s", exc)
        return Conflict("This conflicts with a change made at the same time: fetch the latest and try again.")
    return exc


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception becomes the JSON error shape."""
    exc = _translate(exc)
    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unexpected API error", exc_info=exc)
        set_rollback()
        return Response(body("server_error", MESSAGES[500]), status=500)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:.0f}"
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        data = body("invalid", MESSAGES[400], _flatten(exc.detail))
        if list(data["errors"]) == [NON_FIELD]:
            data["message"] = " ".join(data["errors"][NON_FIELD])
    else:
        data = body(_code_of(exc), str(exc.detail))
    return Response(data, status=exc.status_code, headers=headers)


def _code_of(exc) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


@csrf_exempt  # it changes nothing; else a POST/PUT to a wrong address got CSRF's HTML 403 instead of this JSON 404
def not_found(request, *args, **kwargs):
    """Any path under the API that names no endpoint."""
    return JsonResponse(body("not_found", MESSAGES[404]), status=404)

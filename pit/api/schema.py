"""The OpenAPI schema's shared parts: the sync headers every endpoint takes and the error answers it can give, so
each app's views document only what is theirs."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from pit.api.idempotency import METHODS


class ErrorOut(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable: invalid, not_found, precondition_failed, ...")
    message = serializers.CharField(help_text="For people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name → messages (non_field_errors for the request as a whole).",
    )


def header(name: str, description: str, **string) -> OpenApiParameter:
    kind = {"type": "string", **string} if string else OpenApiTypes.STR
    return OpenApiParameter(name, kind, OpenApiParameter.HEADER, description=description)


IF_NONE_MATCH = header("If-None-Match", "The ETag you have: 304 Not Modified when it is still current.")
IF_MATCH = header("If-Match", "The ETag you read: 412 when the row changed since (and nothing is written).")
IDEMPOTENCY_KEY = header(
    "Idempotency-Key",
    "A new key per change (e.g. a UUID): a retry returns the first answer.",
    minLength=1,
    maxLength=255,
    pattern=r"^\S(.*\S)?$",
)

ERRORS = {
    "400": "Invalid input (field errors), or a malformed filter or updated_since",
    "401": "Not signed in, or the token expired or was revoked",
    "403": "Your role does not allow this",
    "404": "No such row in your organisation",
    "412": "If-Match names an older version",
    "422": "Idempotency-Key reused for a different request",
}


class AutoSchema(SpectacularAutoSchema):
    def _is_detail(self) -> bool:
        return "{" in self.path

    def _writes(self) -> bool:
        view = self.view
        return self.method in METHODS and (getattr(view, "atomic", True) or getattr(view, "replays", False))

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "GET":
            parameters.append(IF_NONE_MATCH)
        if self._writes():
            parameters.append(IDEMPOTENCY_KEY)
            if self._is_detail():
                parameters.append(IF_MATCH)
        return parameters

    def _error_codes(self) -> list[str]:
        codes = ["400"] if self.method != "GET" or self._is_list_view() else []
        if self.get_auth():
            codes += ["401", "403"]
        if self._is_detail():
            codes.append("404")
        if self._writes():
            codes += ["412", "422"] if self._is_detail() else ["422"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            responses.setdefault("304", {"description": "Not modified: your copy (If-None-Match) is current"})
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorOut, code, direction=direction)
                responses[code]["description"] = ERRORS[code]
        return responses

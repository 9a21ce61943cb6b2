"""Cursor pagination: stable pages while rows change underneath (a phone syncing on a slow network)."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages ordered by the view's `ordering` (default: id, the primary key index), `?page_size=` up to 500."""

    ordering = ("id",)
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"] |= {
            "deleted": {
                "type": "array",
                "description": "With `updated_since` (first page only): rows deleted since then.",
                "items": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "deleted_at": {"type": "string", "format": "date-time"}},
                },
            },
            "server_time": {
                "type": "string",
                "format": "date-time",
                "description": "Send this as `updated_since` next time.",
            },
        }
        return response

    def get_ordering(self, request, queryset, view):
        """The requested or default ordering, ending in the id so that rows with equal keys keep one order."""
        ordering = super().get_ordering(request, queryset, view)
        if not {"id", "-id", "pk", "-pk"} & set(ordering):
            ordering = (*ordering, "-id" if ordering[0].startswith("-") else "id")
        return ordering

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:  # a mangled cursor is bad input, not a missing page
            raise ValidationError({self.cursor_query_param: ["Use the next or previous link as it came."]}) from None

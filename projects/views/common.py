"""Helpers the workspace views share."""

from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")

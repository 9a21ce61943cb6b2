"""Sign-in throttling hooks for django-axes: which account is tried, and what a locked-out person is told."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render


def username_of(request, credentials) -> str:
    """The account tried, as the lockout counts it: email, case-insensitively (as sign-in itself matches it)."""
    credentials = credentials or {}
    username = credentials.get("username") or credentials.get("email") or request.POST.get("username") or ""
    return username.strip().lower()


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many failed sign-ins for this account or from this address. Try again in {minutes} minutes, "
        "or ask your organisation's admin to unlock it."
    )


def lockout_response(request, original_response=None, credentials=None):
    """API clients get JSON; people get the sign-in form again with the reason (429 either way)."""
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked", "message": message, "errors": {}}, status=429)  # the API's shape
    form = AuthenticationForm(request, initial={"username": username_of(request, credentials)})
    return render(request, "registration/login.html", {"form": form, "lockout_message": message}, status=429)

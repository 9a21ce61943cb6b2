"""The inbox, the preferences pages and browser push registration. Thin: parse, call a service or selector, render."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.permissions import ADMINISTER, has_perm
from notifications import preferences, selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Device, Notification
from pit.enums import NotificationType
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404


def _own(request, pk: int) -> Notification:
    """One of the person's own in-app notifications; anyone else's (of any organisation) is a 404."""
    rows = Notification.objects.filter(user=request.user, type=NotificationType.INTERNAL_MESSAGE)
    return get_for_org_or_404(rows, request.org, pk=pk)


@org_required()
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    page = selectors.inbox(request.user, unread_only=unread_only, page=request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@require_POST
@org_required()
def open_notification(request, pk: int):
    """Follow a notification to its object, marking it read on the way."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification=notification)
    local = notification.link.startswith("/") and not notification.link.startswith("//")
    return redirect(notification.link if local else "notifications:inbox")  # only ever within PIT


@require_POST
@org_required()
def mark_read(request, pk: int):
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification=notification)
    messages.success(request, f"“{notification.title}” marked read.")
    return redirect(_back(request))


@require_POST
@org_required()
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect(_back(request))


def _back(request) -> str:
    return "/notifications/?show=unread" if request.POST.get("show") == "unread" else "/notifications/"


def _preferences_page(request, *, user, title: str, intro: str):
    org = request.org
    channels = preferences.channels_offered()
    table = preferences.table(org, user)
    form = PreferencesForm(request.POST or None, table=table, channels=channels)
    if request.method == "POST" and form.is_valid():
        services.save_preferences(
            actor=request.user, org=org, user=user, cells=form.cells(), channels=form.channel_settings()
        )
        messages.success(request, "Notification settings saved.")
        return redirect(request.path)
    devices = Device.objects.filter(user=request.user, retired_at__isnull=True).order_by("-last_seen_at")
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "devices": list(devices) if user else None,
        "vapid_public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY if "push" in channels else "",
        "push_offered": "push" in channels,
        "digest_hour": settings.NOTIFICATIONS_DIGEST_HOUR,
        "is_org_page": user is None,
        "can_set_defaults": user is not None and has_perm(request.user, ADMINISTER),
    }
    return render(request, "notifications/settings.html", context, status=400 if form.errors else 200)


@org_required()
def preferences_page(request):
    intro = "Choose what reaches you, and where. Unset choices follow your organisation's defaults."
    return _preferences_page(request, user=request.user, title="Notification settings", intro=intro)


@org_required(ADMINISTER)
def org_preferences_page(request):
    intro = f"Defaults for everyone in {request.org.name} who has not chosen otherwise."
    return _preferences_page(request, user=None, title="Organisation notification defaults", intro=intro)


@require_POST
@org_required()
def register_device(request):
    """A browser's Web Push subscription (JSON: platform, token, name). The mobile API calls the same service."""
    try:
        body = json.loads(request.body or b"{}")
        token = body["token"] if isinstance(body["token"], str) else json.dumps(body["token"])
        device = services.register_device(
            user=request.user, platform=body.get("platform", "web"), token=token, name=str(body.get("name", ""))
        )
    except (ValueError, KeyError, TypeError) as error:
        message = "send JSON with a token" if isinstance(error, KeyError | TypeError) else str(error)
        return JsonResponse({"ok": False, "message": message}, status=400)
    return JsonResponse({"ok": True, "device": device.pk}, status=201)


@require_POST
@org_required()
def remove_device(request, pk: int):
    device = get_for_org_or_404(Device.objects.filter(user=request.user), request.org, pk=pk)
    services.retire_device(device=device, reason="removed by its owner", actor=request.user)
    messages.success(request, f"{device} will get no more notifications.")
    return redirect("notifications:settings")

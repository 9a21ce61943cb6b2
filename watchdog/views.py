"""The alerts pages: the list (open, acknowledged, snoozed, history) with filters, acknowledge, snooze, scan now,
and the organisation's thresholds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import ADMINISTER, RESOLVE_ALERTS, has_perm
from pit.guards import org_required
from pit.tenancy import get_for_org_or_404
from projects.models import Project
from projects.views.common import add_errors, safe_next
from watchdog import selectors, services
from watchdog.forms import AcknowledgeForm, AlertFilterForm, SettingsForm, SnoozeForm
from watchdog.models import WatchdogAlert, WatchdogScanLog, WatchdogSettings
from watchdog.scan import ScanBusy, scan

PAGE_SIZE = 50
HISTORY_SHOWN = 10_000  # history only grows: its pages reach back this far (filters narrow it)


@org_required()
def alert_list(request):
    today = request.org.today()
    form = AlertFilterForm(request.GET or None, org=request.org)
    filters = form.cleaned_data if form.is_valid() else {}
    project = None
    if filters.get("project"):
        project = get_for_org_or_404(Project, request.org, pk=filters["project"])
    counts = selectors.tab_counts(request.org, today)
    tab = filters.get("tab") or "open"
    rows = selectors.alerts(request.org, filters, today)
    if tab == "resolved":
        rows = rows[:HISTORY_SHOWN]  # counted with a LIMIT: the cost stays flat as history grows
    paginator = Paginator(rows, PAGE_SIZE)
    if tab in counts and not any(filters.get(key) for key in ("project", "rule", "owner", "severity")):
        paginator.count = counts[tab]  # already counted: no second pass over the open alerts
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "tab": tab,
        "tabs": selectors.TABS,
        "counts": counts,
        "project": project,
        "query": query.urlencode(),
        "tab_query": _without(query, "tab"),
        "can_resolve": has_perm(request.user, RESOLVE_ALERTS),
        "can_administer": has_perm(request.user, ADMINISTER),
        "history_capped": tab == "resolved" and paginator.count >= HISTORY_SHOWN,
        "last_scan": WatchdogScanLog.objects.filter(org=request.org, detail__project=None).first(),
        "today": today,
    }
    return render(request, "watchdog/alerts.html", context)


def _without(query, key: str) -> str:
    copy = query.copy()
    copy.pop(key, None)
    return copy.urlencode()


def _alert(request, pk: int) -> WatchdogAlert:
    return get_for_org_or_404(WatchdogAlert, request.org, pk=pk)


def _act(request, alert, form, service, done: str):
    back = safe_next(request, reverse("watchdog:alerts"))
    if form.is_valid():
        try:
            service(actor=request.user, alert=alert, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(back)
    problems = [f"{e}" for errors in form.errors.values() for e in errors]
    messages.error(request, f"Nothing changed: {' '.join(problems)}")
    return redirect(back)


@require_POST
@org_required(RESOLVE_ALERTS)
def acknowledge(request, pk: int):
    alert = _alert(request, pk)
    return _act(request, alert, AcknowledgeForm(request.POST), services.acknowledge, f"Acknowledged: {alert}.")


@require_POST
@org_required(RESOLVE_ALERTS)
def snooze(request, pk: int):
    alert = _alert(request, pk)
    form = SnoozeForm(request.POST)
    until = form.data.get("until", "")
    return _act(request, alert, form, services.snooze, f"Snoozed until {until}: {alert}.")


@require_POST
@org_required(RESOLVE_ALERTS)
def scan_now(request):
    project = None
    if request.POST.get("project"):
        project = get_for_org_or_404(Project, request.org, pk=request.POST["project"])
    try:
        result = scan(org=request.org, project=project)
    except ScanBusy as busy:
        messages.warning(request, str(busy))
    else:
        services.notify_due(org=request.org, project=project)
        messages.success(request, f"Scanned in {result.log.duration_ms} ms. {result.log.ai_summary}")
    return redirect(safe_next(request, reverse("watchdog:alerts")))


@org_required(ADMINISTER)
def settings_page(request):
    row = WatchdogSettings.objects.filter(org=request.org).first()
    form = SettingsForm(request.POST or None, settings_row=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(
                actor=request.user, org=request.org, thresholds=form.thresholds(),
                notify_yellow_after_days=form.cleaned_data["notify_yellow_after_days"],
            )  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Thresholds saved; the next scan uses them.")
            return redirect("watchdog:settings")
    return render(request, "watchdog/settings.html", {"form": form})

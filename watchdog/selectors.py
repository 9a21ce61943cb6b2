"""Reads of the watchdog: the alerts list and its counts, a project's open alerts, the portfolio's headline.

Each runs a fixed number of queries whatever the number of alerts (the tests assert it)."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from watchdog.models import WatchdogAlert
from watchdog.rules import registry

TABS = {
    "open": "Open",
    "acknowledged": "Acknowledged",
    "snoozed": "Snoozed",
    "resolved": "History",
}


def _tab_filters(today) -> dict[str, Q]:
    is_open, snoozed = Q(resolved_at__isnull=True), Q(snoozed_until__gte=today)
    return {
        "open": is_open & Q(acknowledged_at__isnull=True) & ~snoozed,
        "acknowledged": is_open & Q(acknowledged_at__isnull=False),
        "snoozed": is_open & Q(acknowledged_at__isnull=True) & snoozed,
        "resolved": Q(resolved_at__isnull=False),
    }


def alerts(org, filters: dict, today):
    """The organisation's alerts of one tab (open: by severity, worst and newest first; history: newest resolved
    first), narrowed by the cleaned filter form's project, rule, owner and severity."""
    tab = filters.get("tab") or "open"
    rows = WatchdogAlert.objects.for_org(org).filter(_tab_filters(today)[tab])
    for key, lookup in (("project", "project_id"), ("rule", "code"), ("owner", "owner"), ("severity", "severity")):
        if filters.get(key):
            rows = rows.filter(**{lookup: filters[key]})
    order = ("-resolved_at", "-id") if tab == "resolved" else ("-severity", "-detected_at", "-id")
    people = ("project__name", "owner__name", "acknowledged_by__name")  # the rows show only their names
    own = [field.name for field in WatchdogAlert._meta.concrete_fields]
    return rows.select_related("project", "owner", "acknowledged_by").only(*own, *people).order_by(*order)


def tab_counts(org, today) -> dict[str, int]:
    """How many alerts each tab holds, and the open ones by severity: one grouped pass over the open alerts."""
    flag = {"output_field": BooleanField()}
    groups = (
        WatchdogAlert.objects.for_org(org).filter(resolved_at__isnull=True)
        .annotate(acknowledged=ExpressionWrapper(Q(acknowledged_at__isnull=False), **flag),
                  snoozed=ExpressionWrapper(Q(snoozed_until__gte=today), **flag))
        .values_list("severity", "acknowledged", "snoozed").annotate(n=Count("*")).order_by()
    )  # fmt: skip
    counts = dict.fromkeys(("open", "acknowledged", "snoozed", "red", "yellow"), 0)
    for severity, acknowledged, snoozed, n in groups:
        tab = "acknowledged" if acknowledged else "snoozed" if snoozed else "open"
        counts[tab] += n
        if tab == "open":
            counts[severity] = counts.get(severity, 0) + n
    return counts


@dataclass
class ProjectAlerts:
    rows: list
    red: int
    yellow: int

    @property
    def total(self) -> int:
        return self.red + self.yellow


PROJECT_SHOWN = 10


def project_alerts(project) -> ProjectAlerts:
    """A project's open alerts (the worst PROJECT_SHOWN) and their counts: two queries."""
    open_rows = WatchdogAlert.objects.filter(project=project, resolved_at__isnull=True)
    counts = open_rows.aggregate(
        red=Count("pk", filter=Q(severity="red")), yellow=Count("pk", filter=Q(severity="yellow"))
    )
    rows = list(open_rows.order_by("-severity", "-detected_at", "-id")[:PROJECT_SHOWN])
    return ProjectAlerts(rows, counts["red"], counts["yellow"])


def headline(org) -> dict[str, int]:
    """Open alerts of the organisation by severity (acknowledged and snoozed ones included): one query."""
    return (
        WatchdogAlert.objects.for_org(org)
        .filter(resolved_at__isnull=True)
        .aggregate(red=Count("pk", filter=Q(severity="red")), yellow=Count("pk", filter=Q(severity="yellow")))
    )


def rule_choices() -> list[tuple[str, str]]:
    return [(code, rule.title) for code, rule in registry().items()]

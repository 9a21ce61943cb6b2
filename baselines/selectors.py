"""Reads of the baselines domain; each runs a fixed number of queries whatever the size of the plan."""

import hashlib
from datetime import date

from django.core.cache import cache

from baselines import variance
from baselines.models import Baseline, BaselineDependency, BaselineItem
from calendars.selectors import calendar_for_project
from projects import dependencies
from projects.gantt import chart as c
from projects.gantt import schedule

SPANS_SECONDS = 30 * 86400  # a baseline's own dates never change
VERSION_SECONDS = 3600  # what depends on the plan's version: a newer version is a new key, the old one ages out
ROW_KIND = {"milestone": c.MILESTONE_ROW, "deliverable": c.DELIVERABLE_ROW, "task": c.TASK_ROW}
ITEM_COLUMNS = ("kind", "item_id", "milestone_id", "deliverable_id", "name", "start_date", "end_date",
                "progress_percent", "capex", "opex", "order_index")  # fmt: skip
PLAN_COLUMNS = ("name", "start_date", "end_date", "progress_percent")


def project_baselines(project) -> list[Baseline]:
    return list(Baseline.objects.filter(project=project).select_related("captured_by").order_by("-captured_at", "-pk"))


def items_then(baseline: Baseline) -> list[variance.Item]:
    rows = BaselineItem.objects.filter(baseline=baseline).values_list(*ITEM_COLUMNS)
    return [variance.Item._make(row) for row in rows]


def items_now(project) -> list[variance.Item]:
    """The live plan, three queries (one per level)."""
    milestones = project.milestones.values_list("id", *PLAN_COLUMNS, "capex_total", "opex_total", "order_index")
    deliverables = project.deliverables.values_list(
        "id", "milestone_id", *PLAN_COLUMNS, "capex_total", "opex_total", "order_index"
    )
    tasks = project.tasks.values_list(
        "id", "milestone_id", "deliverable_id", *PLAN_COLUMNS, "capex_cost", "opex_cost", "order_index"
    )
    return [
        *(variance.Item("milestone", pk, pk, None, *rest) for pk, *rest in milestones),
        *(variance.Item("deliverable", pk, milestone, pk, *rest) for pk, milestone, *rest in deliverables),
        *(variance.Item("task", *row) for row in tasks),
    ]


def links_then(baseline: Baseline) -> list[schedule.Link]:
    rows = BaselineDependency.objects.filter(baseline=baseline).values_list(
        "predecessor_id", "successor_id", "lag_days"
    )
    return [schedule.Link(*row) for row in rows]


def fingerprint(calendar) -> str:
    """A calendar's short, stable name for cache keys: a change of holidays is a new key."""
    return hashlib.blake2b(repr(calendar).encode(), digest_size=8).hexdigest()


def comparison(baseline: Baseline, calendar=None) -> tuple[list[variance.Row], variance.Summary]:
    """Every item's variance and the project's summary (`calendar` defaults to the project's).

    Cached under the project's timeline version, which every write to its plan bumps (projects.rollups), and the
    calendar: the first look after a change computes it (about 0.1-0.2 s at 5,000 tasks), the pages after read it."""
    project = baseline.project
    calendar = calendar or calendar_for_project(project)
    key = (f"baselines:variance:{baseline.pk}:{baseline.captured_at.timestamp():.6f}:{project.timeline_version}:"
           f"{fingerprint(calendar)}")  # fmt: skip
    found = cache.get(key)
    if found is None:
        rows = variance.compare(items_then(baseline), items_now(project), calendar)
        links_now = dependencies.links_of(project.pk, live_only=True)
        summary = variance.summarise(rows, calendar, then_links=links_then(baseline), now_links=links_now,
                                     then_end=baseline.end_date, now_end=project.end_date)  # fmt: skip
        found = (rows, summary)
        cache.set(key, found, timeout=VERSION_SECONDS)
    return found


def spans_of(baseline: Baseline) -> dict:
    """(Gantt row kind, id) → (start, end) of the baseline's items, as ISO dates and as day numbers. Cached for good:
    a baseline never changes (the key carries its capture time, so even a reused id could not pick up another's)."""
    key = f"baselines:spans:{baseline.pk}:{baseline.captured_at.timestamp():.6f}"
    spans = cache.get(key)
    if spans is None:
        rows = BaselineItem.objects.filter(baseline=baseline).values_list("kind", "item_id", "start_date", "end_date")
        spans = {
            (ROW_KIND[kind], pk): (start.isoformat(), end.isoformat(), start.toordinal(), end.toordinal())
            for kind, pk, start, end in rows
        }
        cache.set(key, spans, timeout=SPANS_SECONDS)
    return spans


def gantt_overlay(baseline: Baseline, data: dict, calendar) -> dict:
    """The baseline as the Gantt draws it, for the rows of the chart `data` that the baseline has: (row kind, id) →
    (start, end, x, width, label): ISO dates, the bar's place in whole pixels of the chart's own coordinates (as a
    row's X and W)
    and the finish's slip in working days ("+4 d"; empty when the finish has not moved).

    Cached like the chart itself: under the chart's version (which every change to the plan bumps), its scale, the
    calendar and which rows `data` holds (the whole chart, or a window of it), so a shown baseline costs a cache read
    until the plan changes."""
    rows = data["rows"]
    held = f"{data.get('first', 'all')}:{len(rows)}:{rows[0][c.ID] if rows else 0}:{rows[-1][c.ID] if rows else 0}"
    key = (f"baselines:overlay:{baseline.pk}:{baseline.captured_at.timestamp():.6f}:{data.get('version')}:"
           f"{data['origin']}:{data['ppd']}:{fingerprint(calendar)}:{held}")  # fmt: skip
    overlay = cache.get(key)
    if overlay is None:
        overlay = _overlay(spans_of(baseline), data, calendar)
        cache.set(key, overlay, timeout=VERSION_SECONDS)
    return overlay


def _overlay(spans: dict, data: dict, calendar) -> dict:
    overlay, labels = {}, {}
    origin, ppd = date.fromisoformat(data["origin"]).toordinal(), data["ppd"]
    for row in data["rows"]:
        key = (row[c.KIND], row[c.ID])
        span = spans.get(key)
        if span:
            finishes = (span[1], row[c.END])
            if finishes not in labels:  # plans share dates: each pair of finishes is counted once
                then, now = date.fromisoformat(finishes[0]), date.fromisoformat(finishes[1])
                labels[finishes] = variance.drift_label(variance.slip(calendar, then, now))
            first, last = span[2], span[3]
            # Whole pixels: a 3 px shadow needs no finer place, and whole numbers are written out several times faster.
            x, width = round((first - origin) * ppd), max(1, round((last - first + 1) * ppd))
            overlay[key] = (span[0], span[1], x, width, labels[finishes])
    return overlay

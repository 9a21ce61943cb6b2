"""Reads of the baselines domain; each runs a fixed number of queries whatever the size of the plan."""

from datetime import date

from baselines import variance
from baselines.models import Baseline, BaselineDependency, BaselineItem
from calendars.selectors import calendar_for_project
from projects import dependencies
from projects.gantt import chart as c
from projects.gantt import schedule

ROW_KIND = {"milestone": c.MILESTONE_ROW, "deliverable": c.DELIVERABLE_ROW, "task": c.TASK_ROW}
ITEM_COLUMNS = ("kind", "item_id", "milestone_id", "deliverable_id", "name", "start_date", "end_date",
                "progress_percent", "capex", "opex", "order_index")  # fmt: skip
CURRENT = {
    "milestone": ("id", "id", None, "name", "start_date", "end_date", "progress_percent", "capex_total",
                  "opex_total", "order_index"),
    "deliverable": ("id", "milestone_id", "id", "name", "start_date", "end_date", "progress_percent",
                    "capex_total", "opex_total", "order_index"),
    "task": ("id", "milestone_id", "deliverable_id", "name", "start_date", "end_date", "progress_percent",
             "capex_cost", "opex_cost", "order_index"),
}  # fmt: skip


def project_baselines(project) -> list[Baseline]:
    return list(Baseline.objects.filter(project=project).select_related("captured_by").order_by("-captured_at", "-pk"))


def items_then(baseline: Baseline) -> list[variance.Item]:
    rows = BaselineItem.objects.filter(baseline=baseline).values_list(*ITEM_COLUMNS)
    return [variance.Item(*row) for row in rows]


def items_now(project) -> list[variance.Item]:
    """The live plan, three queries (one per level)."""
    found = []
    for kind, model in (("milestone", project.milestones), ("deliverable", project.deliverables),
                        ("task", project.tasks)):  # fmt: skip
        columns = [column for column in CURRENT[kind] if column]
        for values in model.values_list(*columns):
            row = dict(zip(columns, values, strict=True))
            found.append(variance.Item(kind, *(row[col] if col else None for col in CURRENT[kind])))
    return found


def links_then(baseline: Baseline) -> list[schedule.Link]:
    rows = BaselineDependency.objects.filter(baseline=baseline).values_list(
        "predecessor_id", "successor_id", "lag_days"
    )
    return [schedule.Link(*row) for row in rows]


def comparison(baseline: Baseline, calendar=None) -> tuple[list[variance.Row], variance.Summary]:
    """Every item's variance and the project's summary (`calendar` defaults to the project's)."""
    project = baseline.project
    calendar = calendar or calendar_for_project(project)
    rows = variance.compare(items_then(baseline), items_now(project), calendar)
    summary = variance.summarise(
        rows, calendar, then_links=links_then(baseline), now_links=dependencies.links_of(project.pk, live_only=True),
        then_end=baseline.end_date, now_end=project.end_date,
    )  # fmt: skip
    return rows, summary


def gantt_overlay(baseline: Baseline, data: dict, calendar) -> dict:
    """The baseline as the Gantt draws it: (row kind, id) → (baseline start, baseline end, drift label), for the
    rows of the chart `data` that the baseline has. The label is the finish's slip in working days."""
    spans = {
        (ROW_KIND[kind], item): (start, end)
        for kind, item, start, end in BaselineItem.objects.filter(baseline=baseline).values_list(
            "kind", "item_id", "start_date", "end_date"
        )
    }
    overlay, parse = {}, date.fromisoformat
    for row in data["rows"]:
        span = spans.get((row[c.KIND], row[c.ID]))
        if span:
            overlay[(row[c.KIND], row[c.ID])] = (
                *span,
                variance.drift_label(variance.slip(calendar, span[1], parse(row[c.END]))),
            )
    return overlay

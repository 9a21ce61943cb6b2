from decimal import Decimal

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from projects.gantt.scale import short_date
from projects.status import LABELS

register = template.Library()


@register.filter
def money(value) -> str:
    """Dollars with thousands separators, as people in en-AU write them: $12,500.00."""
    if value in (None, ""):
        return ""
    return f"${Decimal(value):,.2f}"


@register.filter
def add_money(value, other) -> str:
    return money(Decimal(value or 0) + Decimal(other or 0))


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column heading that sorts by `key`, and reverses when it already does."""
    current = context.get("sort") or "start"
    target = f"-{key}" if current == key else key
    arrow = " ↑" if current == key else " ↓" if current == f"-{key}" else ""
    query = context.get("query") or ""
    return format_html('<a href="?{}sort={}">{}{}</a>', f"{query}&" if query else "", target, label, arrow)


@register.filter
def model_path(obj) -> str:
    """The URL segment of a hierarchy row's pages: "milestones", "deliverables", "tasks"."""
    return f"{obj._meta.model_name}s"


@register.filter
def status_label(value: str) -> str:
    return LABELS.get(value, value)


def _evidence(task: dict) -> str:
    if not task["requires_evidence"]:
        return ""
    return "accepted" if task["evidence_ok"] else "needed"


@register.simple_tag
def task_rows(tasks) -> str:
    """The task rows of the project tree. A project page shows thousands of them, so they are written here in
    Python (every value escaped) rather than looped in the template language, which is about ten times slower."""
    return mark_safe(  # every interpolated value is escaped or is an integer or enum value
        "".join(
            f'<tr id="task-{t["id"]}"><td><a href="/tasks/{t["id"]}/">{escape(t["name"])}</a></td>'
            f"<td>{escape(t['owner__name'])}</td>"
            f"<td>{short_date(t['start_date'], year=False)} – {short_date(t['end_date'])}</td>"
            f'<td><span class="st st-{t["status"]}">{LABELS[t["status"]]}</span></td>'
            f"<td>{t['progress_percent']} %</td><td>{_evidence(t)}</td></tr>"
            for t in tasks
        )
    )

from decimal import Decimal

from django import template
from django.utils.html import format_html

from pit.enums import TaskStatus

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
def status_label(value: str) -> str:
    return TaskStatus(value).label


@register.filter
def model_path(obj) -> str:
    """The URL segment of a hierarchy row's pages: "milestones", "deliverables", "tasks"."""
    return f"{obj._meta.model_name}s"

"""What working calendars add to other apps' pages, one tag each."""

from django import template

from calendars.selectors import calendar_for_project

register = template.Library()


@register.simple_tag
def working_days(task) -> int:
    """The working days from a task's start to its end, both included, on its project's calendar."""
    return calendar_for_project(task.project).working_days_in(task.start_date, task.end_date)

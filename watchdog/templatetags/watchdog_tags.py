"""What the watchdog adds to other apps' pages, each one line in their templates: a project's open alerts (project
page and Gantt), a task's forecast finish, and the portfolio's open alert counts."""

from django import template

from calendars.selectors import calendar_for_project
from watchdog import forecast, selectors

register = template.Library()


@register.inclusion_tag("watchdog/_project_alerts.html")
def project_alerts(project):
    return {"project": project, "alerts": selectors.project_alerts(project)}


@register.inclusion_tag("watchdog/_task_forecast.html", takes_context=True)
def task_forecast(context, task):
    calendar = calendar_for_project(task.project)
    return {"forecast": forecast.for_task(task, context["request"].org.today(), calendar)}


@register.inclusion_tag("watchdog/_alert_headline.html")
def alert_headline(org):
    return {"counts": selectors.headline(org)}

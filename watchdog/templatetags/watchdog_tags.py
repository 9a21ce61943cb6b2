"""What the watchdog adds to other apps' pages, each one line in their templates: a project's open alerts (project
page and Gantt), a task's forecast finish, and the portfolio's open alert counts."""

from django import template

from watchdog import forecast, selectors

register = template.Library()


@register.inclusion_tag("watchdog/_project_alerts.html")
def project_alerts(project):
    return {"project": project, "alerts": selectors.project_alerts(project)}


@register.inclusion_tag("watchdog/_task_forecast.html", takes_context=True)
def task_forecast(context, task):
    return {"forecast": forecast.for_task(task, context["request"].org.today())}


@register.inclusion_tag("watchdog/_alert_headline.html")
def alert_headline(org):
    return {"counts": selectors.headline(org)}

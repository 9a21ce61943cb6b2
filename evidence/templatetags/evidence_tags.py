"""Tags other apps' templates use to show evidence: one line each in the task page and the My work rows."""

from django import template

from evidence import selectors

register = template.Library()


@register.inclusion_tag("evidence/_task_evidence.html", takes_context=True)
def evidence_panel(context, task):
    """The task page's evidence section: the completion gate, the current items, the upload form."""
    request = context["request"]
    return {**selectors.task_panel(task, request.user), "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("evidence/_work_upload.html", takes_context=True)
def evidence_upload_row(context, task):
    """A compact upload form for a My work row (no queries: the service checks who may upload)."""
    return {"t": task, "request": context["request"], "csrf_token": context.get("csrf_token")}


@register.filter
def state_label(value: str) -> str:
    return {"needs_clarification": "needs clarification"}.get(value, value)

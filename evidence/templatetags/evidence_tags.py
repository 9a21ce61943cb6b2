"""Tags other apps' templates use to show evidence: one line each in the task page and the My work rows."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


@register.simple_tag
def queue_rows(items, threshold: int) -> str:
    """The review queue's rows, written in Python (every value escaped) rather than looped in the template
    language, which is several times slower; the queue page must stay fast with thousands waiting."""
    return mark_safe("".join(_queue_row(item, threshold) for item in items))  # every value below is escaped


def _queue_row(item, threshold: int) -> str:
    version = f" · v{item.version}" if item.version > 1 else ""
    if item.ai_score is None:
        score = '<span class="sub">not scored</span>'
    else:
        kind = "score-likely" if item.ai_score >= threshold else "score-doubtful"
        score = f'<span class="score {kind}">{int(item.ai_score)}</span>'
    return (
        f'<tr data-evidence="{item.pk}"><td>{escape(item.age)}</td>'
        f'<td><a href="/reviews/{item.pk}/">{escape(item.filename)}</a> '
        f'<span class="sub">{escape(item.get_file_type_display())}{version}</span></td>'
        f"<td>{escape(item.task.name)}</td><td>{escape(item.task.project.name)}</td>"
        f"<td>{escape(item.uploaded_by.name)}</td><td>{score}</td></tr>"
    )

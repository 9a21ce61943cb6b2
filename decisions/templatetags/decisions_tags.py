"""What shared pages (a task's, a project's) show of the decisions domain: each a selector behind one tag, so the
shared template needs a single include line."""

from html import escape  # the stdlib one: Django's lazy wrapper costs several times more on long threads

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from accounts.permissions import DECIDE, PLAN, RAISE_DECISIONS, has_perm
from decisions import selectors
from decisions.enums import OPEN, DecisionPriority, DecisionStatus, DecisionType
from decisions.forms import IsmsLinkForm, RiskLinkForm

register = template.Library()
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@register.filter
def decision_status(value: str) -> str:
    try:
        return DecisionStatus(value).label
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def task_decisions(context, task):
    user = context["request"].user
    return {
        "panel": selectors.task_panel(task),
        "can_plan": has_perm(user, PLAN),
        "isms_form": IsmsLinkForm(),
        "risk_form": RiskLinkForm(),
    }


@register.simple_tag(takes_context=True)
def project_decisions(context, project):
    user = context["request"].user
    return {
        "decisions": selectors.project_decisions(project),
        "can_raise": has_perm(user, RAISE_DECISIONS),
        "can_decide": has_perm(user, DECIDE),
    }


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def _comment_html(comment, user_id: int, edit_url: str) -> str:
    """One comment (a row of `selectors.COMMENT_COLUMNS`); every value escaped."""
    edited = ' <span class="muted">(edited)</span>' if comment.is_edited else ""
    edit = f' <a href="{edit_url.format(comment.id)}">Edit</a>' if comment.author_id == user_id else ""
    text = escape(comment.content).replace("\n", "<br>")
    return (
        f'<article class="comment" id="comment-{comment.id}"><header><strong>{escape(comment.author_name)}</strong> '
        f'<time datetime="{comment.created_at.isoformat()}">{_when(comment.created_at)}</time>{edited}{edit}'
        f"</header><p>{text}</p></article>"
    )


@register.simple_tag(takes_context=True)
def threads(context, threads, can_reply: bool):
    """A list of comment threads, written in Python with the stdlib's escape: a decision can carry hundreds of
    comments, and the template loop (or Django's lazy escape) is several times slower."""
    user_id = context["request"].user.pk
    edit_url = reverse("decisions:comment_edit", args=[0]).replace("/0/", "/{}/")
    parts = []
    for thread in threads:
        root = thread.comment
        parts.append(f'<li class="thread">{_comment_html(root, user_id, edit_url)}')
        if thread.replies:
            replies = "".join(f"<li>{_comment_html(reply, user_id, edit_url)}</li>" for reply in thread.replies)
            parts.append(f'<ol class="replies">{replies}</ol>')
        if can_reply:
            parts.append(f'<a class="reply-link" href="?reply={root.id}#comment-form">Reply</a>')
        parts.append("</li>")
    return mark_safe("".join(parts))


def _url_pattern(name: str) -> str:
    return reverse(name, args=[0]).replace("/0/", "/{}/")


@register.simple_tag
def decision_rows(decisions, now):
    """The decision log's rows, written in Python (every value escaped): the page's budget is a few tens of ms."""
    detail, project = _url_pattern("decisions:detail"), _url_pattern("projects:project")
    rows = []
    for d in decisions:
        holder = "—"
        if d.escalated_to_id:
            holder = f'{escape(d.escalated_to.name)} <span class="esc">escalated</span>'
        elif d.assigned_to_id:
            holder = escape(d.assigned_to.name)
        where = f'<a href="{project.format(d.project_id)}">{escape(d.project.name)}</a>' if d.project_id else "—"
        late = ' <span class="overdue">overdue</span>' if d.status in OPEN and d.due_at and d.due_at < now else ""
        due = _when(d.due_at) if d.due_at else "—"
        rows.append(
            f'<tr><td><a href="{detail.format(d.pk)}">{escape(d.title)}</a></td>'
            f'<td><span class="dst dst-{d.status}">{DecisionStatus(d.status).label}</span></td>'
            f'<td><span class="prio prio-{d.priority}">{DecisionPriority(d.priority).label}</span></td>'
            f"<td>{DecisionType(d.decision_type).label if d.decision_type else '—'}</td>"
            f"<td>{escape(d.owner.name)}</td><td>{holder}</td><td>{where}</td><td>{due}{late}</td></tr>"
        )
    return mark_safe("".join(rows))

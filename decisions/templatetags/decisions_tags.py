"""What shared pages (a task's, a project's) show of the decisions domain: each a selector behind one tag, so the
shared template needs a single include line."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.permissions import DECIDE, PLAN, RAISE_DECISIONS, has_perm
from decisions import selectors
from decisions.enums import DecisionStatus
from decisions.forms import IsmsLinkForm, RiskLinkForm

register = template.Library()


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


def _comment_html(comment, user_id: int) -> str:
    edit = (
        format_html(' <a href="{}">Edit</a>', reverse("decisions:comment_edit", args=[comment.pk]))
        if comment.author_id == user_id
        else ""
    )
    return format_html(
        '<article class="comment" id="comment-{}"><header><strong>{}</strong> <time datetime="{}">{}</time>{}{}'
        "</header><p>{}</p></article>",
        comment.pk, comment.author.name, comment.created_at.isoformat(), date_format(comment.created_at, "j M Y H:i"),
        mark_safe(' <span class="muted">(edited)</span>') if comment.is_edited else "", edit,
        linebreaksbr(comment.content, autoescape=True),
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def threads(context, threads, decision, can_reply: bool):
    """A list of comment threads, written in Python: a decision can carry hundreds of comments and the template
    loop is several times slower (every value is escaped by format_html)."""
    user_id = context["request"].user.pk
    token = context.get("csrf_token")
    action = reverse("decisions:comment", args=[decision.pk])
    parts = []
    for thread in threads:
        root = thread.comment
        replies = "".join(format_html("<li>{}</li>", _comment_html(reply, user_id)) for reply in thread.replies)
        form = ""
        if can_reply:
            form = format_html(
                '<details class="reply"><summary>Reply</summary><form method="post" action="{}">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="parent" '
                'value="{}"><input type="hidden" name="option_id" value="{}"><label class="visually-hidden" '
                'for="reply-{}">Reply</label><textarea id="reply-{}" name="content" rows="2" required></textarea>'
                '<button type="submit">Reply</button></form></details>',
                action, str(token), root.pk, root.option_id, root.pk, root.pk,
            )  # fmt: skip
        parts.append(
            format_html(
                '<li class="thread">{}{}{}</li>',
                _comment_html(root, user_id),
                format_html('<ol class="replies">{}</ol>', mark_safe(replies)) if replies else "",
                form,
            )
        )
    return mark_safe("".join(parts))

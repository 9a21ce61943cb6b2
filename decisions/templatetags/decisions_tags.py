"""What shared pages (a task's, a project's) show of the decisions domain: each a selector behind one tag, so the
shared template needs a single include line."""

from django import template

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
